"""The edges of reading and checking a roster (ajet/people/roster.py): blank and short rows, the row and
size limits, workbooks with several sheets or formulas, every field's boundaries, and the address clashes.
Reading and previewing write nothing, so these call `read_roster` and `preview_roster` directly."""

import datetime
import io
import re
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ajet.people import roster
from ajet.people.models import User
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

HEADER = "email,full_name,prefecture,position,contracting_organisation,year_on_jet,arrival_group,jet_number,status"


def csv_file(text: str, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def workbook_bytes(*sheets: list[list]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, rows in enumerate(sheets):
        sheet = workbook.create_sheet(f"Sheet{number + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_of(file) -> str:
    with pytest.raises(roster.RosterFileError) as raised:
        roster.read_roster(file)
    return raised.value.message


def row(**values) -> dict:
    return {"email": "nina@example.org", "full_name": "Nina New", "prefecture": "11", "position": "ALT"} | values


def preview_one(**values) -> roster.RowPreview:
    [preview] = roster.preview_roster([{"line": 2, "values": row(**values)}]).rows
    return preview


# Reading the file ------------------------------------------------------------------------------------


def test_a_blank_line_in_the_middle_skips_only_itself():
    text = f"{HEADER}\none@example.org,One,11,ALT\n,,,,\n\ntwo@example.org,Two,23,CIR\n"
    rows = roster.read_roster(csv_file(text)).rows
    assert [(r["line"], r["values"]["email"]) for r in rows] == [(2, "one@example.org"), (5, "two@example.org")]


def test_short_rows_leave_the_missing_cells_empty_and_blank_headings_are_ignored():
    text = "email,full_name,,prefecture,position,status\nshort@example.org,Sho Rt,x,11\n"
    [only] = roster.read_roster(csv_file(text)).rows
    assert only == {"line": 2, "values": {"email": "short@example.org", "full_name": "Sho Rt", "prefecture": "11",
                                          "position": "", "status": ""}}


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(delimiter):
    text = delimiter.join(["E-mail Address", "Full Name", "prefecture", "position"]) + "\n"
    text += delimiter.join(["semi@example.org", "Semi Colon", "Saitama", "alt"]) + "\n"
    [only] = roster.read_roster(csv_file(text)).rows
    assert only["values"] == {"email": "semi@example.org", "full_name": "Semi Colon", "prefecture": "Saitama",
                              "position": "alt"}


def test_the_separator_is_read_from_the_heading_row_alone():
    text = "email;full_name;prefecture;position;contracting_organisation\n"
    text += "nina@example.org;Nina New;11;ALT;Board of Education, Kawagoe, Saitama, Kanto, Honshu, Japan\n"
    [only] = roster.read_roster(csv_file(text)).rows
    assert only["values"]["contracting_organisation"] == "Board of Education, Kawagoe, Saitama, Kanto, Honshu, Japan"


def test_ten_thousand_rows_are_read_and_one_more_is_refused():
    lines = [f"m{n}@example.org,Member {n},11,ALT" for n in range(10_001)]
    rows = roster.read_roster(csv_file("\n".join(["email,full_name,prefecture,position", *lines[:-1]]))).rows
    assert len(rows) == 10_000 and rows[-1]["line"] == 10_001
    message = error_of(csv_file("\n".join(["email,full_name,prefecture,position", *lines])))
    assert "more than 10000 rows" in message


def test_a_workbook_one_row_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    header = ["email", "full_name", "prefecture", "position"]
    members = [[f"m{n}@example.org", f"Member {n}", 11, "ALT"] for n in range(4)]
    assert len(roster.read_roster(SimpleUploadedFile("r.xlsx", workbook_bytes([header, *members[:3]]))).rows) == 3
    assert "more than 3 rows" in error_of(SimpleUploadedFile("r.xlsx", workbook_bytes([header, *members])))


def test_the_first_sheet_is_the_roster_and_formulas_and_dates_are_read_as_values():
    first = [["email", "full_name", "prefecture", "position", "year_on_jet", "contracting_organisation"],
             ["xl@example.org", "Xavier  Xlsx ", 13.0, "ALT", "=1+1", datetime.date(2026, 4, 1)],
             ["ok@example.org", "Ｆｕｌｌ Ｗｉｄｔｈ", 11, "CIR", 2.0, 2.5],
             ["yes@example.org", "Tru Th", 11, "ALT", None, True]]
    other = [["email", "full_name"], ["leak@example.org", "Not A Member"]]
    rows = roster.read_roster(SimpleUploadedFile("roster.xlsx", workbook_bytes(first, other))).rows
    assert [r["values"]["email"] for r in rows] == ["xl@example.org", "ok@example.org", "yes@example.org"]
    xavier, wide, truth = (r["values"] for r in rows)
    # A formula cell without a cached value (openpyxl writes none) reads as empty, never as its text.
    assert xavier["year_on_jet"] == "" and xavier["prefecture"] == "13" and xavier["full_name"] == "Xavier  Xlsx"
    assert xavier["contracting_organisation"] == "2026-04-01T00:00:00"
    assert wide["full_name"] == "Full Width" and wide["year_on_jet"] == "2"
    assert wide["contracting_organisation"] == "2.5"
    assert truth["contracting_organisation"] == "True" and truth["year_on_jet"] == ""


def test_long_cells_are_cut_and_long_file_names_shortened():
    upload = io.BytesIO(f"email,full_name,prefecture,position\nlong@example.org,{'x' * 1500},11,ALT\n".encode())
    upload.name = "uploads/" + "r" * 196 + ".csv" + "~" * 20  # the name is cut to 200 characters first
    read = roster.read_roster(upload)
    assert read.file_name == "r" * 196 + ".csv" and len(read.rows[0]["values"]["full_name"]) == 1_000


def test_file_size_limits_hold_whether_or_not_the_size_is_reported(settings):
    settings.AJET_MAX_UPLOAD_BYTES = 100
    text = "email,full_name,prefecture,position\n" + "a@example.org,A,11,ALT\n"
    exact = text + "#" * (100 - len(text))
    assert len(exact.encode()) == 100
    assert len(roster.read_roster(csv_file(exact)).rows) == 2  # the padding reads as a row of its own
    assert "largest file we accept" in error_of(csv_file(exact + "#"))
    unsized = io.BytesIO((exact + "#").encode())
    unsized.name = "roster.csv"
    assert "larger than 100" in error_of(unsized)
    unsized = io.BytesIO(exact.encode())
    unsized.name = "roster.csv"
    assert len(roster.read_roster(unsized).rows) == 2


@pytest.mark.parametrize("content, expected", [
    (b"  \n\n ", "The file is empty."),
    (b"not a zip at all", "not an Excel workbook"),
])
def test_empty_and_disguised_files_are_refused(content, expected):
    assert expected in error_of(SimpleUploadedFile("Roster.XLSX", content))


def test_a_csv_with_a_huge_cell_is_refused_as_unreadable():
    assert "could not be read as CSV" in error_of(csv_file(f"email,full_name\n\"{'x' * 200_000}\",A\n"))


def zip_of(size: int, name: str = "xl/worksheets/sheet1.xml") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"\0" * size)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def test_the_unpacked_size_limit_is_fifty_mebibytes():
    limit = 50 * 1024 * 1024
    # At the limit the size check passes, and the archive fails as a workbook (it is none).
    assert "workbook could not be read" in error_of(zip_of(limit))
    assert "unpacks to" in error_of(zip_of(limit + 1))


def test_a_zip_that_is_no_workbook_is_refused():
    assert "workbook could not be read" in error_of(zip_of(10, name="hello.txt"))


def rebuilt_workbook(compression: int, change) -> SimpleUploadedFile:
    """A real one-member workbook, its parts written again (`change` may spoil one) and packed anew."""
    original = zipfile.ZipFile(io.BytesIO(workbook_bytes([["email", "full_name", "prefecture", "position"],
                                                           ["a@example.org", "A", 11, "ALT"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name in original.namelist():
            archive.writestr(name, change(name, original.read(name)))
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


STYLES_WITH_A_WORD = (b"<styleSheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
                      b"<cellXfs count='1'><xf numFmtId='abc'/></cellXfs></styleSheet>")


def damaged(file: SimpleUploadedFile) -> SimpleUploadedFile:
    data = bytearray(file.read())
    data[data.find(b"xl/worksheets/sheet1.xml") + 40] ^= 0xFF  # inside the sheet's packed data
    return SimpleUploadedFile(file.name, bytes(data))


@pytest.mark.parametrize("file", [
    pytest.param(lambda: damaged(rebuilt_workbook(zipfile.ZIP_STORED, lambda name, data: data)), id="bad-checksum"),
    pytest.param(lambda: damaged(rebuilt_workbook(zipfile.ZIP_DEFLATED, lambda name, data: data)), id="bad-deflate"),
    pytest.param(lambda: rebuilt_workbook(zipfile.ZIP_DEFLATED, lambda name, data: b"<not xml" if name.endswith(
        "sheet1.xml") else data), id="bad-sheet-xml"),
    pytest.param(lambda: rebuilt_workbook(zipfile.ZIP_DEFLATED, lambda name, data: b"<not xml" if name == (
        "[Content_Types].xml") else data), id="bad-content-types"),
    pytest.param(lambda: rebuilt_workbook(zipfile.ZIP_DEFLATED, lambda name, data: re.sub(
        rb"<sheets>.*</sheets>", b"<sheets/>", data) if name == "xl/workbook.xml" else data), id="no-sheets"),
    pytest.param(lambda: rebuilt_workbook(zipfile.ZIP_DEFLATED, lambda name, data: data.replace(
        b'r="A1"', b'r="1A"') if name.endswith("sheet1.xml") else data), id="bad-cell-reference"),
    pytest.param(lambda: rebuilt_workbook(zipfile.ZIP_DEFLATED, lambda name, data: STYLES_WITH_A_WORD if name.endswith(
        "styles.xml") else data), id="bad-styles"),
])
def test_a_damaged_workbook_is_refused_with_advice(file):
    undamaged = rebuilt_workbook(zipfile.ZIP_DEFLATED, lambda name, data: data)
    assert len(roster.read_roster(undamaged).rows) == 1
    assert "workbook could not be read" in error_of(file())


# Checking the rows -----------------------------------------------------------------------------------


@pytest.mark.parametrize("field, value, ok", [
    ("full_name", "n" * 150, True), ("full_name", "n" * 151, False),
    ("contracting_organisation", "o" * 200, True), ("contracting_organisation", "o" * 201, False),
    ("year_on_jet", "0", False), ("year_on_jet", "1", True), ("year_on_jet", "5", True), ("year_on_jet", "6", False),
    ("year_on_jet", "-1", False), ("year_on_jet", "one", False),
    ("email", "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".org", True),
    ("email", "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".org", False),
])
def test_field_boundaries(field, value, ok):
    if field == "email":
        assert len(value) == (254 if ok else 255)
    preview = preview_one(**{field: value})
    assert (preview.action == roster.CREATE) is ok, preview.errors
    if ok and field != "email":
        assert preview.values[field] == (int(value) if field == "year_on_jet" else value)


@pytest.mark.parametrize("field, keep", [
    ("prefecture", 60), ("position", 30), ("year_on_jet", 30), ("arrival_group", 30), ("jet_number", 30),
    ("status", 30), ("email", 80),
])
def test_messages_quote_a_bounded_part_of_a_wrong_value(field, keep):
    value = "".join(chr(ord("a") + n % 26) for n in range(120))
    [error] = preview_one(**{field: value}).errors
    assert f"“{value[:keep]}”" in error


@pytest.mark.parametrize("field, value", [("full_name", "Nina\x07New"), ("contracting_organisation", "Board\x1b[2J")])
def test_control_characters_are_refused(field, value):
    preview = preview_one(**{field: value})
    assert preview.action == roster.ERROR and field not in preview.values and len(preview.errors) == 1


def test_a_missing_address_is_named_first_among_the_errors():
    preview = preview_one(email="", full_name="", position="")
    assert preview.errors[0] == "The e-mail address is missing."
    assert preview.errors[1:] == ["The name is missing.", "The position is missing."]
    assert preview_one(email="nowhere").errors == ["“nowhere” is not a valid e-mail address."]


def test_an_address_of_an_account_without_a_member_profile_is_refused():
    User.objects.create_superuser("Root@Example.org", PASSWORD)
    preview = preview_one(email="ROOT@example.org")
    assert preview.errors == ["This address belongs to an account without a member profile."]


def test_an_address_used_by_another_account_is_refused(member):
    EmailAddress.objects.create(user=member.user, email="alias@example.org", verified=True)
    assert preview_one(email="alias@example.org").errors == ["This address is already used by another account."]
    # Alice's own address updates Alice.
    preview = preview_one(email="alice@example.org", full_name="Alice Member")
    assert preview.action == roster.UPDATE and preview.member == member and preview.errors == []


def test_optional_cells_are_cleaned_case_blind_and_spaces_in_jet_numbers_dropped():
    preview = preview_one(position="cir", arrival_group="b", status="ALUMNI", jet_number="201 2345-6789",
                          contracting_organisation="Saitama BOE", year_on_jet="3", prefecture="Hyōgo-ken")
    assert preview.errors == []
    assert preview.values == {"full_name": "Nina New", "prefecture_id": "28", "position": "CIR",
                              "arrival_group": "B", "status": "alumni", "jet_number": "20123456789",
                              "contracting_organisation": "Saitama BOE", "year_on_jet": 3}


@pytest.mark.parametrize("name, code", [
    ("1", "01"), ("Mie-ken", "24"), ("Tokyo-to", "13"), ("kyoto fu", "26"), ("Osaka Prefecture", "27"),
    ("東京", "13"), ("京都", "26"), ("北海道", "01"),
])
def test_prefecture_names_with_and_without_their_suffix(name, code):
    assert preview_one(prefecture=name).values["prefecture_id"] == code


def test_an_unchanged_member_is_counted_as_unchanged_and_changes_are_shown_by_name(member):
    rows = [
        {"line": 2, "values": row(email="alice@example.org", full_name="Alice Member", year_on_jet="2")},
        {"line": 3, "values": row(email="penny@example.org", full_name="Penny Pending", prefecture="Aichi",
                                  arrival_group="C", status="pending")},
        {"line": 4, "values": row(email="new@example.org")},
        {"line": 5, "values": row(email="")},
    ]
    MemberFactory(full_name="Penny Pending", status="pending", user__email="penny@example.org", arrival_group="")
    preview = roster.preview_roster(rows)
    assert (preview.created, preview.updated, preview.unchanged, preview.errors) == (1, 1, 1, 1)
    assert preview.has_errors and [r.line for r in preview.error_rows] == [5]
    alice, penny = preview.rows[0], preview.rows[1]
    assert alice.action == roster.UPDATE and alice.changes == []
    assert [(c.label, c.old, c.new) for c in penny.changes] == [("Prefecture", "Saitama", "Aichi"),
                                                                 ("Arrival group", "—", "Group C")]


def test_the_upload_page_marks_the_four_required_columns():
    columns = roster.describe_columns()
    assert [c["name"] for c in columns if c["required"]] == ["email", "full_name", "prefecture", "position"]
    assert [c["name"] for c in columns] == list(roster.COLUMNS)


def test_a_jet_number_belongs_to_its_member_whatever_the_other_address(member):
    """Alice holds 20123456789: any other address with it is refused, hers updates her."""
    for email in ("aaron@example.org", "zed@example.org"):
        assert preview_one(email=email, jet_number="20123456789").errors == [
            "The JET number 20123456789 belongs to another member."]
    preview = preview_one(email="alice@example.org", full_name="Alice Member", jet_number="20123456789")
    assert preview.action == roster.UPDATE and preview.errors == []


@pytest.mark.parametrize("content", ["\ufeff", "\ufeff,,,\r\nnina@example.org,Nina,11,ALT\r\n"])
def test_a_file_without_a_heading_row_is_refused(content):
    message = error_of(csv_file(content))
    assert message.startswith("The first row must name the columns: email, full_name, prefecture, position,")


def test_only_the_prefecture_is_shown_by_name_in_the_changes(member):
    """A contracting organisation that happens to look like a JIS code is shown as it is."""
    preview = preview_one(email="alice@example.org", full_name="Alice Member", contracting_organisation="23",
                          prefecture="23", position="cir")
    assert [(c.label, c.old, c.new) for c in preview.changes] == [
        ("Prefecture", "Saitama", "Aichi"),
        ("Position", "ALT (Assistant Language Teacher)", "CIR (Coordinator for International Relations)"),
        ("Contracting organisation", "—", "23")]


def test_a_preview_without_errors_has_none(member):
    preview = roster.preview_roster([
        {"line": 2, "values": row(email="alice@example.org", full_name="Alice Member")},
        {"line": 3, "values": row(email="new@example.org")},
    ])
    assert not preview.has_errors and preview.error_rows == [] and preview.errors == 0
    assert (preview.created, preview.updated, preview.unchanged) == (1, 0, 1)


def test_a_read_roster_cannot_be_changed_before_it_is_previewed():
    """The rows wait in the session between preview and confirm: what was read is what is checked."""
    import dataclasses

    read = roster.read_roster(csv_file("email,full_name,prefecture,position\nnina@example.org,Nina New,11,ALT\n"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.rows = []


# The yearly cycle: Shift-JIS files, the preferred-language column, a file of leavers ------------------------


@pytest.mark.parametrize(("cell", "expected"), [
    ("ja", "ja"), ("JA", "ja"), ("Japanese", "ja"), ("日本語", "ja"), ("en", "en"), ("English", "en"), ("英語", "en")])
def test_the_preferred_language_column_names_a_language(cell, expected):
    preview = preview_one(preferred_language=cell)
    assert preview.action == roster.CREATE and preview.values["preferred_language"] == expected


def test_an_unknown_language_is_an_error_and_an_empty_one_is_left_out():
    assert preview_one(preferred_language="fr").errors == ["Unknown language “fr” (use en or ja)."]
    assert "preferred_language" not in preview_one(preferred_language="").values


def test_a_changed_language_shows_in_the_preview():
    MemberFactory(full_name="Nina New", user__email="nina@example.org", preferred_language="en", prefecture_id="11",
                  position="ALT")
    preview = preview_one(preferred_language="ja")
    assert [(change.label, change.old, change.new) for change in preview.changes] == [
        ("Preferred language", "English", "Japanese")]


def test_a_roster_cannot_reject_a_sign_up():
    assert preview_one(status="rejected").errors == [
        "Unknown status “rejected” (use current, pending, alumni or left)."]
    assert preview_one(status="left").values["status"] == "left"


def test_a_shift_jis_file_with_a_byte_that_is_neither_is_refused():
    data = "email,full_name,prefecture,position\nx@example.org,佐藤,11,ALT\n".encode("cp932") + b"\x81 "
    assert "neither UTF-8 nor Shift-JIS" in error_of(SimpleUploadedFile("roster.csv", data))


def test_utf8_is_tried_before_shift_jis():
    text = "email,full_name,prefecture,position\nx@example.org,Zoë,11,ALT\n"
    assert roster.decode_csv(text.encode("utf-8")) == text
    assert roster.decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == text  # the byte-order mark is dropped


def test_a_file_of_leavers_needs_only_the_email_column():
    leavers = roster.read_roster(csv_file("email\nleaver@example.org\n"), required=("email",))
    assert leavers.rows == [{"line": 2, "values": {"email": "leaver@example.org"}}]
    message = error_of(csv_file("name\nLeaver\n"))
    assert "The file has no column for: email, full_name, prefecture, position." in message
    with pytest.raises(roster.RosterFileError) as raised:
        roster.read_roster(csv_file("full_name\nLeaver\n"), required=("email",))
    assert "The file has no column for: email." in raised.value.message
    assert "required email; optional full_name, prefecture" in raised.value.message


def test_a_file_of_leavers_needs_a_jet_number_or_an_email_column():
    for text in ("jet_number\n20231234567\n", "email\nleaver@example.org\n", "email,jet_number\nl@example.org,\n"):
        assert roster.read_roster(csv_file(text), required=(), one_of=("jet_number", "email")).rows
    with pytest.raises(roster.RosterFileError) as raised:
        roster.read_roster(csv_file("full_name\nLeaver\n"), required=(), one_of=("jet_number", "email"))
    assert raised.value.message == (
        "The file needs a column for one of: jet_number, email. The first row must name the columns (in any "
        "order): required one of jet_number / email; optional full_name, prefecture, position, "
        "contracting_organisation, year_on_jet, arrival_group, status, preferred_language.")
    with pytest.raises(roster.RosterFileError) as raised:
        roster.read_roster(csv_file("email,position\nl@example.org,ALT\n"), required=("position",),
                           one_of=("jet_number", "full_name"))
    assert raised.value.message.startswith("The file needs a column for one of: jet_number, full_name. ")
    assert "required position, one of jet_number / full_name; optional email, prefecture, contracting" \
        in raised.value.message


def test_a_jet_number_may_be_written_with_spaces_and_hyphens():
    assert roster.normalise_jet_number("2023 123-4567") == "20231234567"
    assert roster.normalise_jet_number("20231234567") == "20231234567"


@pytest.mark.parametrize(("column", "length"), [
    ("prefecture", 60), ("position", 30), ("year_on_jet", 30), ("arrival_group", 30), ("jet_number", 30),
    ("status", 30), ("preferred_language", 30)])
def test_a_long_wrong_cell_is_quoted_only_in_part(column, length):
    [error] = preview_one(**{column: "x" * 100}).errors
    assert f"“{'x' * length}”" in error
