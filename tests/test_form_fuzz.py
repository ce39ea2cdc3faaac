"""Every form of the project, sent boundary values: no answer is a server error.

The pages come from the authorization matrix's rows (so a new page is fuzzed as soon as it has a row). Each
page is opened as each persona who may see it; every `<form>` on it is parsed from the HTML and sent back
with one field at a time set to a bad value (the other fields plausible), then with every field bad at once.
A server error (an exception in the view, or a status >= 500) fails the test; all of them are listed.
"""

import datetime
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from tests.test_authorization_matrix import ROWS, world  # noqa: F401 (the `world` fixture)

PERSONAS = ("executive", "block_rep", "chapter_officer", "member", "anonymous")
# Forms that end the test's session or are not ours to vary.
SKIPPED_ACTIONS = ("/accounts/logout/",)
NOT_VARIED = {"csrfmiddlewaretoken"}

LONG_TEXT = "x" * 10_000
BAD_VALUES = [
    "9" * 40,  # overflows every integer column
    "-1",
    "-99999999999999999999",
    "1e309",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    LONG_TEXT,
    "\x00",
    "nul\x00byte",
    "\x1b[31mred\x07\x08\x7f",
    "\u202eevil\u2066isolate",
    "   ",
    "",
    ["first", "second"],  # a list where one value is expected
    "999999999",  # an id that does not exist
    "<script>alert(1)</script>",
    "%s%n{0}{{ 1 }}",
    "\U0001f600" * 300,  # astral characters
]
# Boundary values that matter for one kind of control, tried on every control of that kind.
EDGES_BY_KIND = {
    "date": ["9999-12-31", "0001-01-01", "1899-12-31"],
    "number": ["9" * 40, "-99999999999999999999", "32768"],
    "select": ["999999999", "nul\x00byte"],
    "select-multiple": ["999999999", ["1", "999999999"]],
    "checkbox": ["999999999", ["x"] * 60],
    "radio": ["999999999"],
    "email": ["a@" + "x" * 300 + ".org", "nul\x00@example.org"],
    "text": ["nul\x00byte", "\u202eevil"],
    "textarea": ["nul\x00byte", LONG_TEXT * 10],
    "hidden": ["nul\x00byte"],
}
BAD_FILES = [
    ("x" * 10_000 + ".txt", b"long name"),
    ("nul\x00name.csv", b"a,b\n1,2\n"),
    ("../../etc/passwd", b"root:x:0:0"),
    ("empty.xlsx", b""),
    ("binary.csv", bytes(range(256)) * 4),
    ("\u202eevil.txt", b"bidi name"),
]


@dataclass
class Control:
    name: str
    kind: str  # the input type, "select", "select-multiple" or "textarea"
    values: list[str] = field(default_factory=list)  # the values a plausible answer may use
    checked: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class ParsedForm:
    method: str
    action: str
    enctype: str
    controls: dict[str, Control] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The forms of a page and their controls, as a browser would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[ParsedForm] = []
        self._form: ParsedForm | None = None
        self._select: Control | None = None
        self._option: str | None = None
        self._textarea: Control | None = None

    def _control(self, name, kind) -> Control:
        return self._form.controls.setdefault(name, Control(name=name, kind=kind))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = ParsedForm(method=(attributes.get("method") or "get").lower(),
                                    action=attributes.get("action") or "",
                                    enctype=attributes.get("enctype") or "")
            self.forms.append(self._form)
        if self._form is None or (not attributes.get("name") and tag != "option"):
            return
        name = attributes.get("name")
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            control = self._control(name, kind)
            control.required = "required" in attributes
            control.values.append(attributes.get("value", "on" if kind in {"checkbox", "radio"} else ""))
            if "checked" in attributes:
                control.checked.append(control.values[-1])
        elif tag == "select":
            self._select = self._control(name, "select-multiple" if "multiple" in attributes else "select")
        elif tag == "option" and self._select is not None:
            self._option = attributes.get("value")
            if self._option is not None:
                self._select.values.append(self._option)
                if "selected" in attributes:
                    self._select.checked.append(self._option)
        elif tag == "textarea":
            self._textarea = self._control(name, "textarea")
            self._textarea.required = "required" in attributes
            self._textarea.values.append("")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.values[-1] += data
        elif self._select is not None and self._option is None and data.strip():
            self._select.values.append(data.strip())  # an <option> without a value sends its text

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None


def plausible(control: Control):
    """What a person filling in the form in good faith might send (None: nothing is sent)."""
    kind = control.kind
    if kind == "file":
        return SimpleUploadedFile("fuzz.txt", b"fuzz-value\n", content_type="text/plain")
    if kind in {"checkbox", "radio"}:
        if control.checked:
            return control.checked if kind == "checkbox" else control.checked[0]
        return [control.values[0]] if len(control.values) > 1 else None
    if kind in {"select", "select-multiple"}:
        options = [value for value in control.values if value]
        chosen = control.checked or options[:1]
        return chosen if kind == "select-multiple" else (chosen[0] if chosen else "")
    current = control.values[0] if control.values else ""
    if current or not control.required:
        return current
    return {
        "email": "fuzz@example.org", "date": datetime.date.today().isoformat(), "number": "1",
        "password": "fuzz-Password-123", "url": "https://example.org/", "tel": "0312345678",
    }.get(kind, "fuzz-value")


def bad_value(control: Control, turn: int):
    if control.kind == "file":
        name, content = BAD_FILES[turn % len(BAD_FILES)]
        return SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return BAD_VALUES[turn % len(BAD_VALUES)]


def fresh_token_values(form: ParsedForm) -> dict:
    """Hidden one-time tokens are renewed for every send, so that each send reaches the form's checks."""
    try:
        from ajet.core import once
    except ImportError:
        return {}
    return {once.FIELD: once.issue()} if once.FIELD in form.controls else {}


def send(client, form: ParsedForm, data: dict):
    data = {name: value for name, value in data.items() if value is not None}
    if form.method == "post":
        return client.post(form.action, data)
    return client.get(form.action, data)


@dataclass
class Failure:
    persona: str
    page: str
    form: ParsedForm
    varied: str
    value: object
    problem: str

    def __str__(self):
        shown = repr(self.value)
        shown = shown if len(shown) < 80 else shown[:77] + "..."
        return f"{self.persona} {self.form.method.upper()} {self.form.action} (from {self.page}) " \
               f"{self.varied}={shown}:\n{self.problem}"


def _forms_to_fuzz(client, world, users):  # noqa: F811 (the fixture's value)
    """(persona, page, form) for every distinct form that a persona who may see a page finds on it."""
    seen, found = set(), []
    for row in ROWS:
        if row.method != "get":
            continue
        for persona in PERSONAS:
            if row.expect[persona] != 200:
                continue
            client.logout()
            if users[persona] is not None:
                client.force_login(users[persona])
            page = reverse(row.name, kwargs=row.kwargs(world))
            response = client.get(page)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(response.content.decode())
            for form in parser.forms:
                form.action = urlsplit(urljoin(page, form.action or page)).path
                key = (persona, form.method, form.action, tuple(sorted(form.controls)))
                if form.action in SKIPPED_ACTIONS or key in seen:
                    continue
                seen.add(key)
                found.append((persona, page, form))
    return found


@pytest.mark.django_db(databases=["default", "support"])  # the PSG's forms write to its own database
def test_no_form_input_reaches_a_server_error(client, world):  # noqa: F811
    users = {persona: (None if persona == "anonymous" else getattr(world, persona).user) for persona in PERSONAS}
    forms = _forms_to_fuzz(client, world, users)
    assert len(forms) > 20, [form.action for _, _, form in forms]  # the walk found the project's forms
    failures: list[Failure] = []
    turn = 0
    for persona, page, form in forms:
        names = [name for name in form.controls if name not in NOT_VARIED]
        base = {name: plausible(form.controls[name]) for name in form.controls}
        attempts = [(name, {name: bad_value(form.controls[name], turn + index)}) for index, name in enumerate(names)]
        attempts += [(name, {name: value})
                     for name in names for value in EDGES_BY_KIND.get(form.controls[name].kind, [])]
        for shift in range(0, len(BAD_VALUES), 3):  # every field bad at once, a few different ways
            attempts.append(("*", {name: bad_value(form.controls[name], turn + shift + index)
                                   for index, name in enumerate(names)}))
        attempts.append(("(extra field)", {"unexpected": LONG_TEXT}))
        turn += 1
        for varied, bad in attempts:
            client.logout()
            if users[persona] is not None:
                client.force_login(users[persona])
            data = {**base, **fresh_token_values(form), **bad}
            try:
                with transaction.atomic():  # a database error must not poison the next sends
                    response = send(client, form, data)
            except Exception:  # every server error is collected, then all are reported
                failures.append(Failure(persona, page, form, varied, bad.get(varied, bad),
                                        "".join(traceback.format_exc().splitlines(keepends=True)[-6:])))
                continue
            if response.status_code >= 500:
                failures.append(Failure(persona, page, form, varied, bad.get(varied, bad),
                                        f"status {response.status_code}"))
    distinct = {}
    for failure in failures:  # one example of each distinct error at each address
        distinct.setdefault((failure.form.action, failure.problem.splitlines()[-1][:120]), failure)
    assert not failures, f"{len(failures)} server error(s), {len(distinct)} distinct:\n\n" + "\n\n".join(
        str(failure) for failure in distinct.values())
