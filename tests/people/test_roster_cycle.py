"""The yearly roster cycle: invitations in the member's language, leavers marked alumni in bulk (with a
preview, their officer terms ended that day, audit-logged), and officers' downloads of their members."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from ajet.core.models import AuditEntry
from ajet.people.models import Member
from ajet.people.views_roster import SESSION_KEY
from tests.factories import MemberFactory, block_post, give_term

pytestmark = pytest.mark.django_db


def test_invitations_go_out_in_the_language_the_roster_gives(client, executive, django_capture_on_commit_callbacks):
    client.force_login(executive.user)
    text = ("email,full_name,prefecture,position,preferred_language\n"
            "hana@example.org,Hana,11,CIR,ja\nliam@example.org,Liam,11,ALT,\n")
    client.post(reverse("people:roster_import"), {"file": SimpleUploadedFile("roster.csv", text.encode("cp932"))})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:roster_confirm"), {"token": client.session[SESSION_KEY]["token"]})
    assert Member.objects.get(user__email="hana@example.org").preferred_language == "ja"
    assert Member.objects.get(user__email="liam@example.org").preferred_language == "en"
    by_address = {message.to[0]: message for message in mail.outbox}
    with translation.override("ja"):
        japanese = translation.gettext("You have been invited to AJET Nexus")
    assert japanese != "You have been invited to AJET Nexus"
    assert japanese in by_address["hana@example.org"].subject
    assert "You have been invited to AJET Nexus" in by_address["liam@example.org"].subject


# --- Leavers become alumni ------------------------------------------------------------------------------

@pytest.fixture
def leavers(db):
    """Two 2023 arrivals (one of them the Block 3 representative, with next year's term lined up too), a 2024
    arrival, and an alumna from before."""
    today = timezone.localdate()
    lena = MemberFactory(full_name="Lena Leaver", user__email="lena@example.org",
                         jet_start_date=datetime.date(2023, 7, 27))
    rex = MemberFactory(full_name="Rex Rep", user__email="rex@example.org", jet_start_date=datetime.date(2023, 8, 3))
    current = give_term(rex, block_post(4), start=today - datetime.timedelta(days=100), days=365)
    upcoming = give_term(rex, block_post(4), start=today + datetime.timedelta(days=300), days=365)
    stay = MemberFactory(full_name="Stella Stays", user__email="stella@example.org",
                         jet_start_date=datetime.date(2024, 8, 3))
    gone = MemberFactory(full_name="Gail Gone", user__email="gail@example.org", status="alumni",
                         jet_start_date=datetime.date(2023, 7, 27))
    return {"lena": lena, "rex": rex, "stay": stay, "gone": gone, "current": current, "upcoming": upcoming,
            "last_day": today + datetime.timedelta(days=20)}


def _choose(client, **data):
    return client.post(reverse("people:leavers"), data)


def test_by_arrival_year_with_a_preview_then_all_at_once(client, executive, leavers):
    client.force_login(executive.user)
    last_day = leavers["last_day"]
    response = _choose(client, arrival_year=2023, last_day=last_day.isoformat())
    assert response.status_code == 302
    preview = client.get(reverse("people:leavers_preview"))
    assert [member.full_name for member in preview.context["leaving"]] == ["Lena Leaver", "Rex Rep"]
    assert {term.pk for term in preview.context["terms"]} == {leavers["current"].pk, leavers["upcoming"].pk}
    assert "cancelled (it has not started)" in preview.content.decode()
    assert Member.objects.filter(status="alumni").count() == 1  # the preview wrote nothing
    assert not AuditEntry.objects.exists()

    token = client.session["people.leavers"]["token"]
    response = client.post(reverse("people:leavers_confirm"), {"token": token}, follow=True)
    assert "2 members are now alumni." in response.content.decode()
    statuses = dict(Member.objects.values_list("full_name", "status"))
    assert statuses["Lena Leaver"] == statuses["Rex Rep"] == "alumni" and statuses["Stella Stays"] == "current"
    leavers["current"].refresh_from_db()
    assert leavers["current"].end == last_day
    assert not leavers["rex"].terms.filter(pk=leavers["upcoming"].pk).exists()
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["member.alumni", "member.alumni", "roster.alumni", "term.cancel", "term.end"]
    summary = AuditEntry.objects.get(action="roster.alumni")
    assert summary.after == {"source": "arrived in 2023", "last_day": last_day.isoformat(), "alumni": 2,
                             "skipped": 0}
    assert AuditEntry.objects.get(action="term.end").after["end"] == last_day.isoformat()


def test_from_a_file_of_leavers_in_shift_jis_with_skipped_rows(client, executive, leavers):
    client.force_login(executive.user)
    text = "email,full_name\nLENA@example.org,リーナ\nnobody@example.org,誰か\ngail@example.org,ゲイル\n"
    response = _choose(client, file=SimpleUploadedFile("leavers.csv", text.encode("cp932")),
                       last_day=leavers["last_day"].isoformat())
    assert response.status_code == 302
    preview = client.get(reverse("people:leavers_preview"))
    assert [member.full_name for member in preview.context["leaving"]] == ["Lena Leaver"]
    page = preview.content.decode()
    assert "no member has this address" in page and "not a current member (Alumni)" in page
    client.post(reverse("people:leavers_confirm"), {"token": client.session["people.leavers"]["token"]})
    assert Member.objects.get(full_name="Lena Leaver").status == "alumni"
    assert Member.objects.get(full_name="Rex Rep").status == "current"


def test_a_malformed_address_blocks_the_whole_change(client, executive, leavers):
    client.force_login(executive.user)
    _choose(client, file=SimpleUploadedFile("leavers.csv", b"email\nlena@example.org\nnot-an-address\n"),
            last_day=leavers["last_day"].isoformat())
    preview = client.get(reverse("people:leavers_preview"))
    assert "not a valid e-mail address" in preview.content.decode()
    assert reverse("people:leavers_confirm") not in preview.content.decode()
    client.post(reverse("people:leavers_confirm"), {"token": client.session["people.leavers"]["token"]})
    assert Member.objects.get(full_name="Lena Leaver").status == "current"
    assert not AuditEntry.objects.exists()


def test_the_form_asks_for_one_way_of_choosing(client, executive, leavers):
    client.force_login(executive.user)
    both = _choose(client, arrival_year=2023, file=SimpleUploadedFile("l.csv", b"email\nlena@example.org\n"),
                   last_day="2026-07-31")
    neither = _choose(client, last_day="2026-07-31")
    for response in (both, neither):
        assert response.status_code == 200
        assert "one of the two" in response.content.decode()
    refused = _choose(client, file=SimpleUploadedFile("l.csv", b"\x81 \x81 email\n"), last_day="2026-07-31")
    assert "neither UTF-8 nor Shift-JIS" in refused.content.decode()


def test_only_executives_mark_alumni_even_calling_the_service(block_rep, leavers):
    from django.core.exceptions import PermissionDenied

    from ajet.people import services

    with pytest.raises(PermissionDenied):
        services.mark_alumni(member_ids=[leavers["lena"].pk], last_day=leavers["last_day"], by=block_rep.user,
                             source="forged")
    assert Member.objects.get(full_name="Lena Leaver").status == "current"


def test_a_member_changed_meanwhile_is_skipped(executive, leavers):
    from ajet.people import services

    Member.objects.filter(pk=leavers["lena"].pk).update(status="left")
    result = services.mark_alumni(member_ids=[leavers["lena"].pk, leavers["rex"].pk],
                                  last_day=leavers["last_day"], by=executive.user, source="test")
    assert (result.marked, result.skipped) == (1, 1)
    assert Member.objects.get(full_name="Lena Leaver").status == "left"


# A file of leavers with JET numbers: members are found by number, and the address is checked against it.

LENA_NUMBER, REX_NUMBER, STELLA_NUMBER = "20231234567", "20237654321", "20245550001"


@pytest.fixture
def numbered(leavers):
    for name, number in (("lena", LENA_NUMBER), ("rex", REX_NUMBER), ("stay", STELLA_NUMBER)):
        Member.objects.filter(pk=leavers[name].pk).update(jet_number=number)
    MemberFactory(full_name="Nico Nonumber", user__email="nico@example.org")  # never gave a JET number
    return leavers


def _preview_of(client, text: str, last_day: datetime.date):
    response = _choose(client, file=SimpleUploadedFile("leavers.csv", text.encode()), last_day=last_day.isoformat())
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("people:leavers_preview"))


def _listed(rows) -> list[list]:
    return [list(row) for row in rows]  # the session may give the (row, value, why) triples back as lists


def test_a_file_with_jet_numbers_finds_members_by_number(client, executive, numbered):
    client.force_login(executive.user)
    text = ("jet_number,email,full_name\n"
            f"{LENA_NUMBER},lena.private@example.org,Lena\n"  # a new address: the number decides
            "2023-765-4321,,Rex\n"  # written with hyphens; no address
            "20990000000,nobody@example.org,Someone\n"  # neither is a member's
            ",nico@example.org,Nico\n"  # no number: found by address
            "20881112223,NICO@example.org,Nico again\n")  # an unknown number, but Nico has none: by address
    preview = _preview_of(client, text, numbered["last_day"])
    assert [member.full_name for member in preview.context["leaving"]] == ["Lena Leaver", "Nico Nonumber",
                                                                         "Rex Rep"]
    pending = client.session["people.leavers"]
    assert pending["errors"] == []
    assert _listed(pending["skipped"]) == [[4, "20990000000", "no member has this JET number or this address"]]
    assert _listed(pending["notes"]) == [
        [2, LENA_NUMBER, "matched by JET number to Lena Leaver, whose address is not lena.private@example.org"],
        [6, "20881112223", "matched by e-mail address to Nico Nonumber, who has not given a JET number"]]
    page = preview.content.decode()
    assert "Rows matched despite a difference" in page and "whose address is not lena.private@example.org" in page
    client.post(reverse("people:leavers_confirm"), {"token": pending["token"]})
    statuses = dict(Member.objects.values_list("full_name", "status"))
    assert statuses["Lena Leaver"] == statuses["Rex Rep"] == statuses["Nico Nonumber"] == "alumni"
    assert statuses["Stella Stays"] == "current"


def test_a_file_of_jet_numbers_alone_is_enough(client, executive, numbered):
    client.force_login(executive.user)
    preview = _preview_of(client, f"jet_number\n{LENA_NUMBER}\n20990000000\n", numbered["last_day"])
    assert [member.full_name for member in preview.context["leaving"]] == ["Lena Leaver"]
    assert _listed(client.session["people.leavers"]["skipped"]) == [[3, "20990000000", "no member has this JET number"]]


@pytest.mark.parametrize(("row", "why"), [
    (f"{LENA_NUMBER},stella@example.org",
     "this JET number belongs to Lena Leaver, but the e-mail address stella@example.org to Stella Stays"),
    ("20990000000,stella@example.org", "no member has this JET number, and the e-mail address stella@example.org "
                                       "belongs to Stella Stays, whose JET number is another"),
    ("2023123456,lena@example.org", "not a JET number (11 digits starting with 20)"),
    (",", "neither a JET number nor an e-mail address"),
], ids=["number-and-address-of-two-members", "unknown-number-address-of-another", "malformed", "empty"])
def test_a_row_whose_number_and_address_disagree_blocks_the_whole_change(client, executive, numbered, row, why):
    client.force_login(executive.user)
    text = f"jet_number,email,full_name\n{REX_NUMBER},rex@example.org,Rex\n{row},Someone\n"
    preview = _preview_of(client, text, numbered["last_day"])
    pending = client.session["people.leavers"]
    assert [error[0] for error in pending["errors"]] == [3] and pending["errors"][0][2] == why
    page = preview.content.decode()
    assert "Nothing can be changed while any row has an error" in page
    assert reverse("people:leavers_confirm") not in page
    client.post(reverse("people:leavers_confirm"), {"token": pending["token"]})
    assert set(Member.objects.filter(status="alumni").values_list("full_name", flat=True)) == {"Gail Gone"}
    assert not AuditEntry.objects.exists()


def test_a_file_of_leavers_without_a_number_or_an_address_column_is_refused(client, executive, numbered):
    client.force_login(executive.user)
    response = _choose(client, file=SimpleUploadedFile("leavers.csv", b"full_name\nLena\n"),
                       last_day=numbered["last_day"].isoformat())
    assert response.status_code == 200
    assert "The file needs a column for one of: jet_number, email." in response.content.decode()


# --- Officers download the members they are responsible for -------------------------------------------------

@pytest.fixture
def tricky(db):
    return MemberFactory(full_name="=HYPERLINK(\"http://evil\")", user__email="tricky@example.org",
                         contracting_organisation="@SUM(A1)", jet_number="20123456780", preferred_language="ja")


def test_a_block_rep_downloads_their_members_as_csv_neutralised(client, block_rep, member, pending,
                                                                 pending_elsewhere, tricky):
    client.force_login(block_rep.user)
    response = client.get(reverse("people:members_export", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["email", "full_name", "prefecture", "position"]
    by_email = {row[0]: row for row in rows[1:]}
    assert "ellis@example.org" not in by_email  # Aichi is not Bob's
    assert {"alice@example.org", "penny@example.org", "tricky@example.org"} <= set(by_email)
    assert by_email["tricky@example.org"][1] == "'=HYPERLINK(\"http://evil\")"
    assert by_email["tricky@example.org"][4] == "'@SUM(A1)"
    assert by_email["tricky@example.org"][7:] == ["20123456780", "current", "ja"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_chapter_officer_downloads_xlsx_with_text_cells_never_formulas(client, chapter_officer, tricky,
                                                                         pending_elsewhere):
    client.force_login(chapter_officer.user)
    response = client.get(reverse("people:members_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "email"
    tricky_row = next(row for row in rows if row[0] == "tricky@example.org")
    assert tricky_row[1] == "'=HYPERLINK(\"http://evil\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "ellis@example.org" not in {row[0] for row in rows}


def test_the_export_re_imports_unchanged(client, executive, member, tricky):
    from ajet.people import roster

    client.force_login(executive.user)
    response = client.get(reverse("people:members_export", args=["csv"]))
    rows = roster.read_roster(SimpleUploadedFile("members.csv", response.content)).rows
    alice = next(row for row in rows if row["values"]["email"] == "alice@example.org")
    [preview] = roster.preview_roster([alice]).rows
    assert preview.action == roster.UPDATE and preview.changes == []


def test_members_cannot_download_and_unknown_formats_are_404(client, member, block_rep):
    client.force_login(member.user)
    assert client.get(reverse("people:members_export", args=["csv"])).status_code == 403
    client.force_login(block_rep.user)
    assert client.get(reverse("people:members_export", args=["pdf"])).status_code == 404
