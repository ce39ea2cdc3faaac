"""Roster import: upload → preview (writes nothing) → confirm (all or nothing), with invitations."""

import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from ajet.core.models import AuditEntry
from ajet.people import roster
from ajet.people.models import Member
from ajet.people.views_roster import SESSION_KEY
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
HEADER = "email,full_name,prefecture,position,contracting_organisation,year_on_jet,arrival_group,jet_number,status"


def csv_file(text: str, name: str = "roster.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "roster.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, file):
    return client.post(reverse("people:roster_import"), {"file": file})


def counts():
    return User.objects.count(), Member.objects.count(), EmailAddress.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def importer(client, executive):
    client.force_login(executive.user)
    return client


# Reading the file ------------------------------------------------------------------------------------


def test_csv_with_bom_any_column_order_and_case_is_read():
    text = "\ufeffPosition,E-mail,Full Name,PREFECTURE\r\nALT,New@Example.org,Nina New,11\r\n,,,\r\n"
    result = roster.read_roster(csv_file(text))
    assert result.rows == [{"line": 2, "values": {
        "position": "ALT", "email": "New@Example.org", "full_name": "Nina New", "prefecture": "11"}}]


@pytest.mark.parametrize("header, expected", [
    ("email,name,prefecture,position", "full_name"),
    ("email,full_name,prefecture", "position"),
    ("email,full_name,prefecture,position,shoe_size", "shoe_size"),
    ("email,full_name,prefecture,position,email", "email"),
])
def test_wrong_or_missing_columns_give_one_message(importer, header, expected):
    before = counts()
    response = upload(importer, csv_file(f"{header}\nnew@example.org,Nina,11,ALT,x\n"))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and expected in errors[0] and "required email, full_name, prefecture, position" in errors[0]
    assert SESSION_KEY not in importer.session
    assert counts() == before


@pytest.mark.parametrize("encoding", ["shift_jis", "cp932", "utf-8", "utf-8-sig"])
def test_a_csv_in_shift_jis_or_utf8_is_read(importer, encoding):
    text = f"{HEADER}\nsato@example.org,佐藤 花子,埼玉県,ALT,さいたま市,1,A,,\n"
    response = upload(importer, csv_file(text, encoding=encoding))
    assert response.status_code == 302
    [row] = importer.session[SESSION_KEY]["rows"]
    assert row["values"]["full_name"] == "佐藤 花子" and row["values"]["prefecture"] == "埼玉県"


def test_cp932_only_characters_are_read():
    from ajet.people.roster import decode_csv

    text = "email,full_name\nx@example.org,髙橋 ①\n"  # 髙 and ① exist in cp932, not in plain Shift-JIS
    assert decode_csv(text.encode("cp932")) == text


@pytest.mark.parametrize("encoding", ["latin-1"])
def test_a_csv_in_neither_utf8_nor_shift_jis_is_refused_with_advice(importer, encoding):
    text = f"{HEADER}\nzoe@example.org,Zoë Müller,Saitama,ALT,,1,A,,\n"
    response = upload(importer, csv_file(text, encoding=encoding))
    [error] = response.context["form"].errors["file"]
    assert "UTF-8" in error and "save" in error.lower()
    assert SESSION_KEY not in importer.session


def test_an_oversized_file_is_refused_before_it_is_parsed(importer, settings):
    settings.AJET_MAX_UPLOAD_BYTES = 200
    text = HEADER + "\n" + "".join(f"m{n}@example.org,Member {n},11,ALT,,1,A,,\n" for n in range(20))
    response = upload(importer, csv_file(text))
    [error] = response.context["form"].errors["file"]
    assert "largest file we accept" in error
    assert SESSION_KEY not in importer.session


@pytest.mark.parametrize("name, content", [
    ("roster.txt", b"email,full_name,prefecture,position\n"),
    ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("roster", b"email,full_name,prefecture,position\n"),
])
def test_unknown_file_types_are_refused(importer, name, content):
    response = upload(importer, SimpleUploadedFile(name, content))
    [error] = response.context["form"].errors["file"]
    assert ".csv" in error and ".xlsx" in error


def test_a_broken_workbook_is_refused(importer):
    response = upload(importer, SimpleUploadedFile("roster.xlsx", b"PK\x03\x04 not really a zip"))
    [error] = response.context["form"].errors["file"]
    assert "workbook could not be read" in error


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_opened(importer):
    """A zip bomb: 60 MiB of zeros compress to a few kilobytes, well under the upload limit."""
    small = xlsx_file([["email", "full_name", "prefecture", "position"], ["a@example.org", "A", "11", "ALT"]])
    buffer = io.BytesIO(small.read())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = upload(importer, SimpleUploadedFile("roster.xlsx", buffer.getvalue()))
    [error] = response.context["form"].errors["file"]
    assert "unpacks to" in error and "50.0\xa0MB" in error
    assert SESSION_KEY not in importer.session


def test_a_header_without_rows_is_refused(importer):
    response = upload(importer, csv_file(HEADER + "\n\n"))
    assert "no members" in response.context["form"].errors["file"][0]


def test_xlsx_with_numeric_cells_is_read(importer):
    response = upload(importer, xlsx_file([
        ["Email", "Full_Name", "Prefecture", "Position", "Year_on_JET", "JET_Number"],
        ["xl@example.org", "Xavier Xlsx", 13, "cir", 2, 20987654321],
    ]))
    assert response.status_code == 302
    preview = importer.get(reverse("people:roster_preview")).context["preview"]
    [row] = preview.rows
    assert row.action == roster.CREATE
    assert row.values == {"full_name": "Xavier Xlsx", "prefecture_id": "13", "position": "CIR", "year_on_jet": 2,
                          "jet_number": "20987654321"}


# Preview -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefecture", ["11", "Saitama", "saitama-ken", "埼玉県", "埼玉", "１１"])
def test_prefecture_by_code_english_or_japanese_name(prefecture):
    preview = roster.preview_roster([{"line": 2, "values": {
        "email": "p@example.org", "full_name": "P", "prefecture": prefecture, "position": "ALT"}}])
    assert preview.rows[0].values["prefecture_id"] == "11", preview.rows[0].errors


def test_preview_shows_creates_updates_and_errors_and_writes_nothing(importer, member, pending_elsewhere):
    text = "\n".join([
        HEADER,
        "new@example.org,Nina New,Aichi,ALT,Nagoya BOE,1,A,,",                          # 2 create
        "ALICE@example.org,Alice Member,11,ALT,,3,,,",                                 # 3 update year
        "not-an-email,Bad Address,11,ALT,,,,,",                                        # 4 error
        "twice@example.org,Twice One,11,ALT,,,,,",                                     # 5 duplicate e-mail
        "twice@example.org,Twice Two,11,ALT,,,,,",                                     # 6 duplicate e-mail
        "nowhere@example.org,No Where,Atlantis,ALT,,,,,",                              # 7 unknown prefecture
        "year@example.org,Year Seven,11,ALT,,7,,,",                                    # 8 bad year
        "job@example.org,Job Less,11,Teacher,,,,,",                                    # 9 bad position
        "jet1@example.org,Jet One,11,ALT,,,,20555555555,",                             # 10 duplicate JET no.
        "jet2@example.org,Jet Two,11,ALT,,,,20555555555,",                             # 11 duplicate JET no.
        "clash@example.org,Clash,11,ALT,,,,20123456789,",                              # 12 Alice's JET number
        "short@example.org,Short,11,ALT,,,,2012345,",                                  # 13 bad JET number
        "ellis@example.org,Ellis Elsewhere,23,ALT,,,,,current",                        # 14 update status
    ]) + "\n"
    before = counts()
    assert upload(importer, csv_file(text)).status_code == 302
    response = importer.get(reverse("people:roster_preview"))
    preview = response.context["preview"]
    by_line = {row.line: row for row in preview.rows}
    assert by_line[2].action == roster.CREATE
    assert by_line[3].action == roster.UPDATE
    assert [(c.old, c.new) for c in by_line[3].changes] == [("2", "3")]
    assert [(c.old, c.new) for c in by_line[14].changes] == [("Pending confirmation", "Current participant")]
    expected_errors = {
        4: "not a valid e-mail address", 5: "also on row 6", 6: "also on row 5", 7: "Unknown prefecture",
        8: "from 1 to 5", 9: "Unknown position", 10: "also on row 11", 11: "also on row 10",
        12: "belongs to another member", 13: "11 digits",
    }
    for line, reason in expected_errors.items():
        assert by_line[line].action == roster.ERROR
        assert any(reason in error for error in by_line[line].errors), (line, by_line[line].errors)
    page = response.content.decode()
    assert "Atlantis" in page and "Nothing can be imported" in page
    assert reverse("people:roster_confirm") not in page  # confirming is not offered
    assert counts() == before


def test_confirming_a_preview_with_errors_is_refused(importer, member):
    upload(importer, csv_file(f"{HEADER}\nnew@example.org,Nina New,11,ALT,,,,,\nbad,Bad,11,ALT,,,,,\n"))
    token = importer.session[SESSION_KEY]["token"]
    before = counts()
    response = importer.post(reverse("people:roster_confirm"), {"token": token}, follow=True)
    assert "nothing was imported" in response.content.decode()
    assert counts() == before
    assert not User.objects.filter(email="new@example.org").exists()


def test_preview_queries_do_not_grow_with_rows(django_assert_num_queries, member):
    def rows(n):
        return [{"line": i + 2, "values": {"email": f"m{i}@example.org", "full_name": f"M {i}", "prefecture": "11",
                                           "position": "ALT", "jet_number": f"2000000000{i}"}} for i in range(n)]

    with django_assert_num_queries(5) as one:
        roster.preview_roster(rows(1))
    with django_assert_num_queries(len(one.captured_queries)):
        roster.preview_roster(rows(3))


# Confirm -------------------------------------------------------------------------------------------------


def test_confirm_imports_everything_audits_once_and_invites_new_members(
        importer, executive, member, django_capture_on_commit_callbacks):
    text = "\n".join([
        HEADER,
        "nina@example.org,Nina New,Aichi,ALT,Nagoya BOE,1,A,20111111111,",
        "omar@example.org,Omar Old,愛知県,CIR,,4,B,,alumni",
        "alice@example.org,Alice Member,Tokyo,ALT,,3,,,",
    ]) + "\n"
    upload(importer, csv_file(text, name="spring-2025.csv"))
    token = importer.session[SESSION_KEY]["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = importer.post(reverse("people:roster_confirm"), {"token": token})
    assert response.status_code == 302
    assert SESSION_KEY not in importer.session

    nina = Member.objects.select_related("user").get(user__email="nina@example.org")
    assert (nina.full_name, nina.prefecture_id, nina.position, nina.year_on_jet, nina.arrival_group,
            nina.jet_number, nina.contracting_organisation) == (
        "Nina New", "23", "ALT", 1, "A", "20111111111", "Nagoya BOE")
    assert nina.status == Member.Status.CURRENT and nina.confirmed_by == executive.user
    assert not nina.user.has_usable_password()
    assert EmailAddress.objects.get(user=nina.user).verified
    assert Member.objects.get(user__email="omar@example.org").status == Member.Status.ALUMNI
    member.refresh_from_db()
    assert (member.prefecture_id, member.year_on_jet, member.jet_number) == ("13", 3, "20123456789")

    entry = AuditEntry.objects.get(action="roster.import")
    assert entry.actor == executive.user
    assert entry.after == {"file_name": "spring-2025.csv", "created": 2, "updated": 1, "unchanged": 0}
    # And one entry per member, with what changed.
    created = {entry.target_label: entry for entry in AuditEntry.objects.filter(action="roster.member_create")}
    assert set(created) == {"Nina New", "Omar Old"}
    assert created["Nina New"].target_id == str(nina.pk) and created["Nina New"].actor == executive.user
    assert created["Nina New"].before == {}
    assert created["Nina New"].after == {
        "email": "nina@example.org", "full_name": "Nina New", "prefecture_id": "23", "position": "ALT",
        "contracting_organisation": "Nagoya BOE", "year_on_jet": 1, "arrival_group": "A",
        "jet_number": "20111111111", "status": "current"}
    updated = AuditEntry.objects.get(action="roster.member_update")
    assert updated.target_id == str(member.pk) and updated.target_label == "Alice Member"
    assert updated.before == {"prefecture_id": "11", "year_on_jet": 2}
    assert updated.after == {"prefecture_id": "13", "year_on_jet": 3}
    assert AuditEntry.objects.count() == 4

    assert sorted(message.to[0] for message in mail.outbox) == ["nina@example.org", "omar@example.org"]
    invitation = next(message for message in mail.outbox if message.to == ["nina@example.org"])
    assert "Nina New" in invitation.body

    # The link is allauth's set-password page, and it works (signing in afterwards: test_invitation_smtp.py).
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", invitation.body).group(0)
    visitor = Client()
    redirect = visitor.get(urlsplit(link).path)
    assert redirect.status_code == 302 and redirect["Location"].endswith("-set-password/")
    page = visitor.get(redirect["Location"])
    assert page.status_code == 200 and not page.context.get("token_fail")
    new_password = {"password1": "Nagoya-castle-2025", "password2": "Nagoya-castle-2025"}
    response = visitor.post(redirect["Location"], new_password)
    assert response.status_code == 302
    nina.user.refresh_from_db()
    assert nina.user.check_password("Nagoya-castle-2025")


def test_confirm_refuses_when_members_changed_since_the_preview(importer, member):
    upload(importer, csv_file(f"{HEADER}\nnina@example.org,Nina New,11,ALT,,,,20222222222,\n"))
    token = importer.session[SESSION_KEY]["token"]
    MemberFactory(jet_number="20222222222")  # someone took the JET number meanwhile
    before = counts()
    response = importer.post(reverse("people:roster_confirm"), {"token": token}, follow=True)
    assert "nothing was imported" in response.content.decode()
    assert counts() == before
    assert not mail.outbox


def test_confirm_with_a_wrong_token_does_nothing(importer):
    upload(importer, csv_file(f"{HEADER}\nnina@example.org,Nina New,11,ALT,,,,,\n"))
    before = counts()
    response = importer.post(reverse("people:roster_confirm"), {"token": "guess"}, follow=True)
    assert "no longer available" in response.content.decode()
    assert counts() == before


def test_an_officer_who_is_not_an_executive_cannot_import(client, block_rep):
    client.force_login(block_rep.user)
    before = counts()
    response = client.post(reverse("people:roster_import"),
                           {"file": csv_file(f"{HEADER}\nnina@example.org,Nina New,11,ALT,,,,,\n")})
    assert response.status_code == 403
    assert SESSION_KEY not in client.session
    assert counts() == before


def test_the_import_link_shows_for_executives_only(client, executive, block_rep):
    client.force_login(executive.user)
    assert reverse("people:roster_import") in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(block_rep.user)
    assert reverse("people:roster_import") not in client.get(reverse("core:dashboard")).content.decode()


def test_an_invitation_is_not_sent_to_someone_who_already_has_a_password(member):
    from ajet.people.tasks import send_invitations

    result = send_invitations.enqueue(user_ids=[member.user_id])
    assert result.return_value == 0
    assert not mail.outbox


def test_invitation_text_and_renewing_an_expired_link(importer, django_capture_on_commit_callbacks):
    upload(importer, csv_file(f"{HEADER}\nnina@example.org,Nina New,11,ALT,,,,,\n"))
    with django_capture_on_commit_callbacks(execute=True):
        importer.post(reverse("people:roster_confirm"), {"token": importer.session[SESSION_KEY]["token"]})
    [invitation] = mail.outbox
    assert invitation.subject.startswith("[AJET Nexus] ")
    assert "Hello Nina New," in invitation.body and "nina@example.org" in invitation.body
    # "Forgot your password?" works for an invited member who never chose one.
    mail.outbox.clear()
    Client().post(reverse("account_reset_password"), {"email": "nina@example.org"})
    [reset] = mail.outbox
    assert reset.to == ["nina@example.org"] and "/accounts/password/reset/key/" in reset.body


def test_invitations_are_enqueued_after_commit_in_batches(importer, monkeypatch, django_capture_on_commit_callbacks):
    from ajet.people import services

    monkeypatch.setattr(services, "INVITATIONS_PER_TASK", 2)
    text = HEADER + "\n" + "".join(f"new{n}@example.org,New {n},11,ALT,,,,,\n" for n in range(3))
    upload(importer, csv_file(text))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        importer.post(reverse("people:roster_confirm"), {"token": importer.session[SESSION_KEY]["token"]})
    assert not mail.outbox  # nothing is sent before the import has committed
    batches = [callback for callback in callbacks if getattr(callback, "func", None) is services._enqueue_invitations]
    assert [len(batch.args[0]) for batch in batches] == [2, 1]
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [f"new{n}@example.org" for n in range(3)]

