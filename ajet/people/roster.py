"""Roster files: reading a CSV/XLSX upload into rows, and checking each row against the members we have.

Nothing here writes. `read_roster` turns an upload into plain rows (JSON-safe, so they can wait in the
session between preview and confirm); `preview_roster` says, for every row, whether confirming would
create a member, update one (and which fields), or refuse the row and why. The import itself is
`ajet.people.services.import_roster`, which checks the rows again inside its transaction.
"""

import csv
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ajet.core.validators import validate_plain_text
from ajet.people.models import JET_NUMBER_VALIDATOR, Member, User

REQUIRED_COLUMNS = ("email", "full_name", "prefecture", "position")
OPTIONAL_COLUMNS = ("contracting_organisation", "year_on_jet", "arrival_group", "jet_number", "status",
                    "preferred_language")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
COLUMN_ALIASES = {"e_mail": "email", "e_mail_address": "email", "email_address": "email"}

# AJET has about 5,800 members: a roster is never longer than this, and a longer file is a mistake.
MAX_ROWS = 10_000
# No legitimate cell is this long; cutting here bounds what a compressed XLSX can expand to in memory.
MAX_CELL_CHARS = 1_000
# A workbook of 10,000 rows unpacks to a few MiB; more is a zip bomb. Python's zipfile never reads past a
# member's declared size, so the declared sizes bound what openpyxl can unpack.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024

CREATE, UPDATE, ERROR = "create", "update", "error"
# A roster sets these statuses ("rejected" is the confirmation queue's answer to a sign-up, not a roster's).
ROSTER_STATUSES = ("current", "pending", "alumni", "left")

# Roster field → Member field, in the order changes are shown.
MEMBER_FIELDS = (
    "full_name", "prefecture_id", "position", "contracting_organisation", "year_on_jet", "arrival_group",
    "jet_number", "status", "preferred_language",
)
# Japanese offices' spreadsheets save CSV as Shift-JIS (Windows code page 932): read it when UTF-8 fails.
CSV_ENCODINGS = ("utf-8-sig", "cp932")
UTF8_ADVICE = gettext_lazy(
    "The file is neither UTF-8 nor Shift-JIS text. In Excel choose “CSV UTF-8 (Comma delimited)” when saving "
    "(or save it as an .xlsx workbook) and upload it again."
)
# How a roster may name a language → the platform's language code.
LANGUAGE_NAMES = {"en": "en", "english": "en", "英語": "en", "ja": "ja", "japanese": "ja", "日本語": "ja"}


class RosterFileError(Exception):
    """The uploaded file as a whole cannot be read; `message` tells the officer what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class RosterFile:
    file_name: str
    rows: list[dict]  # [{"line": 2, "values": {"email": "...", ...}}], strings only


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class RowPreview:
    line: int
    email: str
    full_name: str
    action: str
    errors: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # Member field → cleaned value (only the cells that were filled)
    member: Member | None = None


@dataclass
class RosterPreview:
    rows: list[RowPreview]

    @property
    def has_errors(self) -> bool:
        return any(row.action == ERROR for row in self.rows)

    @property
    def error_rows(self) -> list[RowPreview]:
        return [row for row in self.rows if row.action == ERROR]

    @property
    def created(self) -> int:
        return sum(row.action == CREATE for row in self.rows)

    @property
    def updated(self) -> int:
        return sum(row.action == UPDATE and bool(row.changes) for row in self.rows)

    @property
    def unchanged(self) -> int:
        return sum(row.action == UPDATE and not row.changes for row in self.rows)

    @property
    def errors(self) -> int:
        return len(self.error_rows)


# Reading the file ------------------------------------------------------------------------------------


def read_roster(uploaded_file, *, required: tuple[str, ...] = REQUIRED_COLUMNS,
                one_of: tuple[str, ...] = ()) -> RosterFile:
    """Read an uploaded CSV or XLSX roster into rows of strings, or raise RosterFileError. `required`: the
    columns the file must have; `one_of`: columns of which it must have at least one (a file of leavers needs
    only the JET number or the e-mail address)."""
    file_name = (getattr(uploaded_file, "name", "") or "roster").rsplit("/", 1)[-1][:200]
    size = getattr(uploaded_file, "size", None)
    limit = settings.AJET_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise RosterFileError(_("The file is %(size)s; the largest file we accept is %(limit)s.") % {
            "size": filesizeformat(size), "limit": filesizeformat(limit)})
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in {"csv", "xlsx"}:
        raise RosterFileError(_("Upload the roster as a .csv file (UTF-8) or an .xlsx workbook."))
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:  # the reported size can be missing or wrong
        raise RosterFileError(_("The file is larger than %(limit)s, the largest file we accept.") % {
            "limit": filesizeformat(limit)})
    if not data.strip():
        raise RosterFileError(_("The file is empty."))
    table = _csv_table(data) if extension == "csv" else _xlsx_table(data)
    return RosterFile(file_name=file_name, rows=_rows_from_table(table, required, one_of))


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a byte-order mark), else Shift-JIS (cp932); a file that
    is neither is refused with advice."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(UTF8_ADVICE)


def _csv_table(data: bytes) -> list[list[str]]:
    text = decode_csv(data)
    first_line = text.partition("\n")[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel writes ";" in some locales
    try:
        return list(islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), MAX_ROWS + 2))
    except csv.Error as error:
        raise RosterFileError(_("The file could not be read as CSV: %(error)s") % {"error": error}) from None


def _xlsx_table(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise RosterFileError(_("The file is not an Excel workbook (.xlsx). Save it as .xlsx or as CSV UTF-8."))
    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2)]
        finally:
            workbook.close()
    # A damaged workbook fails in openpyxl, zipfile, zlib or the XML parser (ParseError is a SyntaxError).
    except (zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, ValueError, TypeError, OSError, IndexError) as error:
        raise RosterFileError(
            _("The workbook could not be read. Save it again as .xlsx (or as CSV UTF-8) and upload it again.")
        ) from error


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook that is not a valid zip or unpacks to more than MAX_XLSX_UNPACKED_BYTES."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise RosterFileError(
            _("The workbook could not be read. Save it again as .xlsx (or as CSV UTF-8) and upload it again.")
        ) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise RosterFileError(_(
            "The workbook unpacks to %(size)s, more than the %(limit)s a roster can take. Save only the "
            "members' sheet (or save it as CSV UTF-8) and upload it again."
        ) % {"size": filesizeformat(unpacked), "limit": filesizeformat(MAX_XLSX_UNPACKED_BYTES)})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets store 2 and 20123456789 as floats
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()[:MAX_CELL_CHARS]


def _column_name(heading: str) -> str:
    name = _cell(heading).casefold().replace("-", "_").replace(" ", "_")
    return COLUMN_ALIASES.get(name, name)


def _rows_from_table(table: list[list], required: tuple[str, ...] = REQUIRED_COLUMNS,
                     one_of: tuple[str, ...] = ()) -> list[dict]:
    if not table or not any(_cell(value) for value in table[0]):
        raise RosterFileError(_("The first row must name the columns: %(columns)s.") % {
            "columns": ", ".join(COLUMNS)})
    headings = [_column_name(value) for value in table[0]]
    named = [name for name in headings if name]
    missing = [name for name in required if name not in named]
    unknown = [name for name in named if name not in COLUMNS]
    repeated = sorted({name for name in named if named.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("The file has no column for: %(missing)s.") % {"missing": ", ".join(missing)})
    if one_of and not any(name in named for name in one_of):
        problems.append(_("The file needs a column for one of: %(columns)s.") % {"columns": ", ".join(one_of)})
    if unknown:
        problems.append(_("These columns are not ones we know: %(unknown)s.") % {"unknown": ", ".join(unknown)})
    if repeated:
        problems.append(_("These columns appear more than once: %(repeated)s.") % {"repeated": ", ".join(repeated)})
    if problems:
        problems.append(_("The first row must name the columns (in any order): required %(required)s; "
                          "optional %(optional)s.") % {
            "required": ", ".join([*required, *([_("one of %(columns)s") % {"columns": " / ".join(one_of)}]
                                                if one_of else [])]),
            "optional": ", ".join(name for name in COLUMNS if name not in required and name not in one_of)})
        raise RosterFileError(" ".join(problems))

    rows = []
    for index, raw in enumerate(table[1:], start=2):
        cells = [_cell(value) for value in raw]
        if not any(cells):
            continue  # blank lines are common at the end of spreadsheets
        values = {name: (cells[position] if position < len(cells) else "")
                  for position, name in enumerate(headings) if name}
        rows.append({"line": index, "values": values})
    if len(table) > MAX_ROWS + 1:
        raise RosterFileError(_("The file has more than %(max)s rows. Split it into smaller files.") % {
            "max": MAX_ROWS})
    if not rows:
        raise RosterFileError(_("The file has a header row but no members below it."))
    return rows


# Checking the rows -----------------------------------------------------------------------------------


def prefecture_lookup(prefectures) -> dict[str, str]:
    """Every way a roster may name a prefecture (JIS code, English or Japanese name) → its code."""
    lookup: dict[str, str] = {}
    for prefecture in prefectures:
        code, name_en, name_ja = prefecture.code, prefecture.name_en, prefecture.name_ja
        lookup[code] = code
        lookup[str(int(code))] = code  # "1" for Hokkaido
        lookup[_plain(name_en)] = code
        if name_ja:
            lookup[name_ja] = code
            if name_ja[-1] in "都府県":
                lookup[name_ja[:-1]] = code  # 埼玉 for 埼玉県
    return lookup


def normalise_jet_number(value: str) -> str:
    """A JET number as written in a roster ("2012 345-6789") → its 11 digits (not yet validated)."""
    return value.replace(" ", "").replace("-", "")


def _plain(name: str) -> str:
    """Case, macrons and the usual suffixes do not matter: "Hyōgo-ken", "hyogo prefecture" → "hyogo"."""
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    name = name.casefold().strip()
    for suffix in (" prefecture", "-ken", "-fu", "-to", " ken", " fu", " to"):
        if name.endswith(suffix):
            return name[: -len(suffix)].strip()
    return name


def _quoted(cell: str, length: int = 30) -> str:
    """A cell quoted in an error message: its first characters only (a wrong cell may be a whole paragraph)."""
    return cell[:length]


def _choice(value: str, choices: list[tuple[str, str]]) -> str | None:
    by_key = {key.casefold(): key for key, _label in choices}
    return by_key.get(value.casefold())


def _plain_text(value: str, errors: list[str]) -> bool:
    """Whether `value` is free of control characters; if not, say so in `errors`."""
    try:
        validate_plain_text(value)
    except ValidationError as error:
        errors.extend(error.messages)
        return False
    return True


def _clean_row(values: dict, prefectures: dict[str, str]) -> tuple[dict, list[str]]:
    """One row's cells → Member field values (only the filled cells) and the reasons it is wrong."""
    cleaned: dict = {}
    errors: list[str] = []

    full_name = values.get("full_name", "")
    if not full_name:
        errors.append(_("The name is missing."))
    elif len(full_name) > 150:
        errors.append(_("The name is longer than 150 characters."))
    elif _plain_text(full_name, errors):
        cleaned["full_name"] = full_name

    prefecture = values.get("prefecture", "")
    code = prefectures.get(prefecture) or prefectures.get(_plain(prefecture))
    if not prefecture:
        errors.append(_("The prefecture is missing."))
    elif code is None:
        errors.append(_("Unknown prefecture “%(value)s” (use its JIS code, English or Japanese name).") % {
            "value": _quoted(prefecture, 60)})
    else:
        cleaned["prefecture_id"] = code

    position = values.get("position", "")
    chosen = _choice(position, Member.Position.choices)
    if not position:
        errors.append(_("The position is missing."))
    elif chosen is None:
        errors.append(_("Unknown position “%(value)s” (use ALT, CIR, SEA or OTHER).") % {"value": _quoted(position)})
    else:
        cleaned["position"] = chosen

    organisation = values.get("contracting_organisation", "")
    if len(organisation) > 200:
        errors.append(_("The contracting organisation is longer than 200 characters."))
    elif organisation and _plain_text(organisation, errors):
        cleaned["contracting_organisation"] = organisation

    year = values.get("year_on_jet", "")
    if year:
        if year.isdigit() and 1 <= int(year) <= 5:
            cleaned["year_on_jet"] = int(year)
        else:
            errors.append(_("Year on JET must be a whole number from 1 to 5, not “%(value)s”.") % {
                "value": _quoted(year)})

    group = values.get("arrival_group", "")
    if group:
        chosen = _choice(group, Member.ArrivalGroup.choices)
        if chosen is None:
            errors.append(_("Unknown arrival group “%(value)s” (use A, B, C or other).") % {"value": _quoted(group)})
        else:
            cleaned["arrival_group"] = chosen

    jet_number = normalise_jet_number(values.get("jet_number", ""))
    if jet_number:
        try:
            JET_NUMBER_VALIDATOR(jet_number)
        except ValidationError:
            errors.append(_("The JET number “%(value)s” is not 11 digits starting with 20.") % {
                "value": _quoted(jet_number)})
        else:
            cleaned["jet_number"] = jet_number

    status = values.get("status", "")
    if status:
        chosen = _choice(status, [choice for choice in Member.Status.choices if choice[0] in ROSTER_STATUSES])
        if chosen is None:
            errors.append(_("Unknown status “%(value)s” (use current, pending, alumni or left).") % {
                "value": _quoted(status)})
        else:
            cleaned["status"] = chosen

    language = values.get("preferred_language", "")
    if language:
        chosen = LANGUAGE_NAMES.get(language.casefold())
        if chosen is None:
            errors.append(_("Unknown language “%(value)s” (use en or ja).") % {"value": _quoted(language)})
        else:
            cleaned["preferred_language"] = chosen
    return cleaned, errors


def preview_roster(rows: list[dict]) -> RosterPreview:
    """What confirming these rows would do, row by row. Reads only; a constant number of queries."""
    from ajet.organisation.models import Prefecture

    prefecture_by_code = {prefecture.code: prefecture for prefecture in Prefecture.objects.all()}
    prefectures = prefecture_lookup(prefecture_by_code.values())
    emails = [row["values"].get("email", "").strip().lower() for row in rows]

    members = {
        member.email_lower: member
        for member in Member.objects.select_related("user", "prefecture")
        .annotate(email_lower=Lower("user__email")).filter(email_lower__in=set(emails))
    }
    without_profile = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=set(emails), member__isnull=True).values_list("email_lower", flat=True)
    )
    from allauth.account.models import EmailAddress

    other_addresses = set(
        EmailAddress.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=set(emails)).exclude(email_lower=Lower("user__email"))
        .values_list("email_lower", flat=True)
    )
    jet_numbers = [normalise_jet_number(row["values"].get("jet_number", "")) for row in rows]
    jet_owners = dict(
        Member.objects.filter(jet_number__in={number for number in jet_numbers if number})
        .annotate(email_lower=Lower("user__email")).values_list("jet_number", "email_lower")
    )
    lines_by_email = _lines_by(rows, emails)
    lines_by_jet_number = _lines_by(rows, jet_numbers)

    previews = []
    for row, email in zip(rows, emails, strict=True):
        line = row["line"]
        cleaned, errors = _clean_row(row["values"], prefectures)
        member = None
        try:
            if not email:
                raise ValidationError("missing")
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors.insert(0, _("The e-mail address is missing.") if not email else
                          _("“%(value)s” is not a valid e-mail address.") % {"value": email[:80]})
        else:
            member = members.get(email)
            others = [str(other) for other in lines_by_email[email] if other != line]
            if others:
                errors.append(ngettext("The same e-mail address is also on row %(rows)s.",
                                       "The same e-mail address is also on rows %(rows)s.", len(others))
                              % {"rows": ", ".join(others)})
            if email in without_profile:
                errors.append(_("This address belongs to an account without a member profile."))
            elif member is None and email in other_addresses:
                errors.append(_("This address is already used by another account."))
        number = cleaned.get("jet_number")
        if number:
            others = [str(other) for other in lines_by_jet_number[number] if other != line]
            if others:
                errors.append(ngettext("The same JET number is also on row %(rows)s.",
                                       "The same JET number is also on rows %(rows)s.", len(others))
                              % {"rows": ", ".join(others)})
            owner = jet_owners.get(number)
            if owner is not None and owner != email:
                errors.append(_("The JET number %(number)s belongs to another member.") % {"number": number})

        preview = RowPreview(line=line, email=email, full_name=cleaned.get("full_name", row["values"].get(
            "full_name", "")), action=ERROR if errors else (UPDATE if member else CREATE), errors=errors,
            values=cleaned, member=member)
        if member is not None and not errors:
            preview.changes = _changes(member, cleaned, prefecture_by_code)
        previews.append(preview)
    return RosterPreview(rows=previews)


def _lines_by(rows: list[dict], keys: list[str]) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    for row, key in zip(rows, keys, strict=True):
        if key:
            lines.setdefault(key, []).append(row["line"])
    return lines


def _changes(member: Member, cleaned: dict, prefecture_by_code: dict) -> list[FieldChange]:
    changes = []
    for name in MEMBER_FIELDS:
        if name in cleaned and getattr(member, name) != cleaned[name]:
            old, new = getattr(member, name), cleaned[name]
            if name == "prefecture_id":
                old, new = prefecture_by_code.get(old, old), prefecture_by_code.get(new, new)
            changes.append(FieldChange(label=_field_label(name), old=_display(name, old), new=_display(name, new)))
    return changes


def _field_label(name: str) -> str:
    return str(Member._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()


def _display(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "prefecture_id":
        return str(value)  # a Prefecture: its name in the current language
    choices = Member._meta.get_field(name).choices
    return str(dict(choices).get(value, value)) if choices else str(value)


def describe_columns() -> list[dict]:
    """The columns a roster may have, for the upload page."""
    descriptions = {
        "email": gettext_lazy("The member's e-mail address; it identifies them (an existing member is updated)."),
        "full_name": gettext_lazy("Their name as it should appear on the platform."),
        "prefecture": gettext_lazy("JIS code (e.g. 11), English name (Saitama) or Japanese name (埼玉県)."),
        "position": gettext_lazy("ALT, CIR, SEA or OTHER."),
        "contracting_organisation": gettext_lazy("Their board of education or other employer."),
        "year_on_jet": gettext_lazy("A whole number from 1 to 5."),
        "arrival_group": gettext_lazy("A, B, C or other."),
        "jet_number": gettext_lazy("11 digits starting with 20; unique to one member."),
        "status": gettext_lazy("current (the default), pending, alumni or left."),
        "preferred_language": gettext_lazy("en or ja (English or Japanese): the platform and its e-mails, the "
                                           "invitation included, speak to them in it. English if empty."),
    }
    return [{"name": name, "required": name in REQUIRED_COLUMNS, "description": descriptions[name]}
            for name in COLUMNS]

