"""A member downloads everything held about them, and closes their account: erased, except the public record."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ajet.core import audit, personal_data
from ajet.core.models import AuditEntry
from ajet.organisation.models import ChapterMembership, HandbookPage, HandbookRevision, HandoverItem, Term
from ajet.people.models import Member, User
from tests.factories import PASSWORD, give_term, join, national_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # login rate limits
    yield
    cache.clear()


@pytest.fixture
def bobs_record(block_rep, home_chapter, pending, executive):
    """Bob, block 3's representative, with everything the platform can hold about a person."""
    join(block_rep, home_chapter)
    block_rep.jet_number = "20987654321"
    block_rep.bio = "Bob's own words"
    block_rep.save()
    term = block_rep.terms.get()
    term.bio = "Representing block 3 with a bio"
    term.save()
    page = HandbookPage.objects.create(post=term.post, title="How to run a block meeting", slug="meetings")
    HandbookRevision.objects.create(page=page, title=page.title, body="Book a room.", edited_by=block_rep.user,
                                    edited_by_name="Bob Block", note="first draft")
    HandoverItem.objects.create(post=term.post, title="Book the spring meeting room", created_by=block_rep.user)
    audit.record(actor=block_rep.user, action="member.confirm", target=pending,
                 before={"status": "pending"}, after={"status": "current"})
    audit.record(actor=executive.user, action="member.change_status", target=block_rep,
                 before={"status": "pending"}, after={"status": "current"})
    return block_rep


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("people:export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_export_holds_everything_about_the_member(client, bobs_record):
    data = download(client, bobs_record.user)
    account = data["account"]
    assert account["email"] == "bob@example.org" and account["joined"]
    assert account["email_addresses"] == [{"email": "bob@example.org", "verified": True, "primary": True}]
    assert account["two_factor_authentication"]["enabled"] is True
    profile = data["member_profile"]
    assert profile["name"] == "Bob Block" and profile["jet_number"] == "20987654321"
    assert profile["prefecture"]["code"] == "11" and profile["bio"] == "Bob's own words"
    organisation = data["organisation"]
    assert [m["chapter"] for m in organisation["chapter_memberships"]] == ["Saitama AJET"]
    assert [t["post"] for t in organisation["terms"]] == ["Block 3 Representative"]
    assert organisation["terms"][0]["bio"] == "Representing block 3 with a bio"
    assert [r["page"] for r in organisation["handbook_revisions"]] == ["How to run a block meeting"]
    assert [i["title"] for i in organisation["handover_items"]] == ["Book the spring meeting room"]
    log = data["audit_log"]
    assert [(e["action"], e["record"]) for e in log["actions_by_you"]] == [("member.confirm", "Penny Pending")]
    assert [(e["action"], e["by"]) for e in log["actions_about_you"]] == [("member.change_status", "Erin Executive")]


def test_export_holds_no_secrets_and_nobody_else(client, bobs_record, member):
    member.bio = "Alice's private words"
    member.save()
    raw = json.dumps(download(client, bobs_record.user))
    secret = Authenticator.objects.get(user=bobs_record.user, type="totp").data["secret"]
    assert secret not in raw and bobs_record.user.password not in raw and "password" not in raw
    for leak in ("Alice Member", "alice@example.org", "20123456789", "Alice's private words"):
        assert leak not in raw


def test_a_pending_member_sees_the_confirmation_about_them(client, bobs_record, pending):
    data = download(client, pending.user)
    assert [(e["action"], e["by"]) for e in data["audit_log"]["actions_about_you"]] == [
        ("member.confirm", "Bob Block")]
    assert data["audit_log"]["actions_by_you"] == [] and data["organisation"]["terms"] == []
    assert "bob@example.org" not in json.dumps(data)


def reauthenticate(client, password=PASSWORD):
    return client.post(reverse("account_reauthenticate"), {"password": password})


def close(client):
    reauthenticate(client)
    return client.post(reverse("people:close_account"))


def test_closing_erases_personal_data_and_keeps_the_public_record(client, bobs_record):
    user, member_id = bobs_record.user, bobs_record.pk
    client.force_login(user)
    response = close(client)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")

    user.refresh_from_db()
    assert not Member.objects.filter(pk=member_id).exists()
    assert user.email != "bob@example.org" and "bob" not in user.email
    assert not user.has_usable_password() and not user.is_active
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not ChapterMembership.objects.filter(member_id=member_id).exists()
    term = Term.objects.get(post__slug="block-3-representative")
    assert term.member is None and term.holder == "Bob Block" and term.bio == ""
    pseudonym = personal_data.pseudonym_of(user)
    assert pseudonym.startswith("closed account #")
    confirmed = AuditEntry.objects.get(action="member.confirm")
    assert confirmed.actor_label == pseudonym and confirmed.actor is None
    assert AuditEntry.objects.get(action="member.change_status").target_label == pseudonym
    assert HandbookRevision.objects.get().edited_by_name == pseudonym
    assert HandoverItem.objects.get().created_by is None  # shown as left by "a former holder"
    assert SESSION_KEY not in client.session

    # The council still names him; the account itself cannot be found or used.
    assert "Bob Block" in client.get(reverse("organisation:council")).content.decode()
    assert not User.objects.filter(email="bob@example.org").exists()


def test_a_closed_account_cannot_sign_in(client, member):
    client.force_login(member.user)
    close(client)
    response = client.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_closing_ends_every_session(client, member):
    elsewhere = Client()
    elsewhere.force_login(member.user)
    assert elsewhere.get(reverse("core:dashboard")).status_code == 200
    client.force_login(member.user)
    close(client)
    response = elsewhere.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_closing_asks_who_you_are_first(client, member):
    client.force_login(member.user)
    for response in (client.get(reverse("people:close_account")), client.post(reverse("people:close_account"))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    wrong = reauthenticate(client, password="not-my-password")
    assert wrong.status_code == 200
    assert client.post(reverse("people:close_account")).status_code == 302
    member.refresh_from_db()
    assert member.user.is_active and member.user.email == "alice@example.org"
    assert ChapterMembership.objects.filter(member=member).exists()

    assert reauthenticate(client).status_code == 302
    page = client.get(reverse("people:close_account"))
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    assert "CLOSE" not in page.content.decode()


def test_closing_is_all_or_nothing(client, bobs_record, monkeypatch):
    def fail_last(user):
        raise RuntimeError("an app failed to erase")

    # Erasers run in reverse order of registration: this one runs after all the others.
    monkeypatch.setattr(personal_data, "_erasers", {"failing": fail_last, **personal_data._erasers})
    with pytest.raises(RuntimeError):
        personal_data.erase_personal_data(bobs_record.user)
    bobs_record.refresh_from_db()
    assert bobs_record.user.email == "bob@example.org" and bobs_record.user.is_active
    assert ChapterMembership.objects.filter(member=bobs_record).exists()
    assert Term.objects.get(member=bobs_record).bio == "Representing block 3 with a bio"


def text_columns(model):
    return [field for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.JSONField))]


def rows_mentioning(needle: str) -> list[tuple[str, str, object]]:
    """(model, column, pk) of every row of every table whose text or JSON holds `needle`."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in text_columns(model):
            rows = model._base_manager.annotate(as_text=Cast(field.name, models.TextField()))
            for pk in rows.filter(as_text__icontains=needle).values_list("pk", flat=True):
                found.append((model._meta.label, field.name, pk))
    return found


@pytest.mark.django_db(databases=["default", "support"])  # every table, the PSG's own database too
def test_after_closing_no_table_names_the_member_except_the_public_record_of_past_terms(client, bobs_record,
                                                                                        executive):
    user, today = bobs_record.user, timezone.localdate()
    current = bobs_record.terms.get()
    past = give_term(bobs_record, national_post("cir-representative"), start=today - timedelta(days=800))
    future = give_term(bobs_record, national_post("vice-chair"), start=today + timedelta(days=40))
    # The name, address and JET number copied into the log by officers' actions, also inside before/after.
    audit.record(actor=executive.user, action="term.create", target=future, target_label=str(future),
                 after={"holder": "Bob Block", "contact": "Bob Block <bob@example.org>", "jet": "20987654321",
                        "nested": [{"name": "bob block"}]})
    audit.record(actor=user, action="roster.import", target_label="roster.csv",
                 after={"note": "sent by bob@example.org"})
    identifiers = ("Bob Block", "bob@example.org", "20987654321")
    before = {needle: {row[:2] for row in rows_mentioning(needle)} for needle in identifiers}
    assert {("people.User", "email"), ("account.EmailAddress", "email"), ("core.AuditEntry", "after")} <= before[
        "bob@example.org"]
    assert {("people.Member", "full_name"), ("core.AuditEntry", "target_label"),
            ("organisation.HandbookRevision", "edited_by_name")} <= before["Bob Block"]

    client.force_login(user)
    assert close(client).status_code == 302

    for needle in identifiers:
        found = rows_mentioning(needle)
        allowed = [row for row in found if row[:2] == ("organisation.Term", "holder_name")]
        assert found == allowed, found
        assert sorted(Term.objects.filter(pk__in=[pk for *_, pk in allowed]).values_list("pk", flat=True)) == (
            sorted([past.pk, current.pk]) if needle == "Bob Block" else [])

    # Past terms keep their dates, the running one ends today, the future one is gone; each change logged.
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.holder_name, current.holder_name, current.end) == ("Bob Block", "Bob Block", today)
    assert not Term.objects.filter(pk=future.pk).exists()
    pseudonym = personal_data.pseudonym_of(user)
    cancelled = AuditEntry.objects.get(action="term.cancel")
    ended = AuditEntry.objects.get(action="term.end")
    assert cancelled.target_id == str(future.pk) and ended.target_id == str(current.pk)
    assert cancelled.actor_label == ended.actor_label == pseudonym and pseudonym in cancelled.target_label
    logged = AuditEntry.objects.get(action="term.create", target_id=str(future.pk))
    assert logged.actor_label == "Erin Executive"  # other people's names stay
    assert logged.after == {"holder": pseudonym, "contact": f"{pseudonym} <{pseudonym}>", "jet": pseudonym,
                            "nested": [{"name": pseudonym}]}

    # Nobody is shown holding a post for the closed account after today.
    tomorrow = today + timedelta(days=1)
    assert not Term.objects.current(tomorrow).filter(holder_name="Bob Block").exists()
