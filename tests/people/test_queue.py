"""The confirmation queue: verified and unverified sign-ups apart, bulk confirm, reject with a reason, the
e-mails that tell the person, the officers' daily digest — each action checked per member and audit-logged."""

import datetime
import email
import email.policy

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from ajet.core.models import AuditEntry
from ajet.people import services, tasks
from ajet.people.models import Member
from tests.factories import MemberFactory
from tests.smtp import Mailbox, smtp_server_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(db):
    uma = MemberFactory(full_name="Uma Unverified", status="pending", user__email="uma@example.org",
                        preferred_language="ja")
    EmailAddress.objects.filter(user=uma.user).update(verified=False)
    return uma


@pytest.fixture
def pat(db):
    return MemberFactory(full_name="Pat Pending", status="pending", user__email="pat@example.org")


def _decide(client, members, decision, **extra):
    return client.post(reverse("people:decide_pending"),
                       {"members": [member.pk for member in members], "decision": decision, **extra})


def test_the_queue_lists_unverified_sign_ups_apart_without_a_way_to_confirm_them(client, block_rep, pending,
                                                                                  unverified):
    client.force_login(block_rep.user)
    response = client.get(reverse("people:pending"))
    assert [member.pk for member in response.context["pending"]] == [pending.pk]
    assert [member.pk for member in response.context["unverified"]] == [unverified.pk]
    page = response.content.decode()
    assert page.index("Penny Pending") < page.index("not verified yet") < page.index("Uma Unverified")


def test_bulk_confirm_confirms_each_audits_each_and_emails_each(
        client, block_rep, pending, pat, django_capture_on_commit_callbacks):
    client.force_login(block_rep.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, [pending, pat], "confirm")
    assert response.status_code == 302
    assert set(Member.objects.filter(pk__in=[pending.pk, pat.pk]).values_list("status", flat=True)) == {"current"}
    assert AuditEntry.objects.filter(action="member.confirm").count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["pat@example.org", "penny@example.org"]
    assert "confirmed" in mail.outbox[0].subject


def test_a_forged_id_outside_the_area_changes_nothing(client, block_rep, pending, pending_elsewhere):
    client.force_login(block_rep.user)
    response = _decide(client, [pending, pending_elsewhere], "confirm")
    assert response.status_code == 403
    pending.refresh_from_db()
    pending_elsewhere.refresh_from_db()
    assert pending.is_pending and pending_elsewhere.is_pending
    assert not AuditEntry.objects.exists() and not mail.outbox


def test_an_id_that_does_not_exist_changes_nothing(client, block_rep, pending):
    client.force_login(block_rep.user)
    response = client.post(reverse("people:decide_pending"), {"members": [pending.pk, 999999], "decision": "confirm"})
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending


def test_bulk_confirm_with_an_unverified_sign_up_confirms_nobody_and_says_who(client, block_rep, pending,
                                                                               unverified):
    client.force_login(block_rep.user)
    response = _decide(client, [pending, unverified], "confirm")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.is_pending and not AuditEntry.objects.exists()
    text = client.get(reverse("people:pending")).content.decode()
    assert "Uma Unverified has not verified" in text


def test_reject_with_a_reason_tells_the_person_in_their_language(
        client, block_rep, unverified, django_capture_on_commit_callbacks):
    client.force_login(block_rep.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, [unverified], "reject", reason="duplicate", note="You already have an account.")
    assert response.status_code == 302
    unverified.refresh_from_db()
    assert unverified.status == Member.Status.REJECTED
    entry = AuditEntry.objects.get(action="member.reject")
    assert entry.before == {"status": "pending"}
    assert entry.after == {"status": "rejected", "reason": "duplicate", "note": "You already have an account."}
    [message] = mail.outbox
    assert message.to == ["uma@example.org"]
    assert "You already have an account." in message.body
    with translation.override("ja"):
        label = str(Member.RejectionReason.DUPLICATE.label)
    assert label in message.body


def test_reject_needs_a_reason(client, block_rep, pending):
    client.force_login(block_rep.user)
    _decide(client, [pending], "reject")
    pending.refresh_from_db()
    assert pending.is_pending and not mail.outbox
    with pytest.raises(services.MembershipError):
        services.reject_members(members=[pending], by=block_rep.user, reason="because")


def test_nothing_ticked_is_a_clear_message(client, block_rep, pending):
    client.force_login(block_rep.user)
    response = client.post(reverse("people:decide_pending"), {"decision": "confirm"}, follow=True)
    assert "Choose at least one sign-up." in response.content.decode()
    with pytest.raises(services.MembershipError):
        services.confirm_members(members=[], by=block_rep.user)


def test_a_rejected_sign_up_cannot_be_confirmed_or_rejected_again(block_rep, pending):
    services.reject_members(members=[pending], by=block_rep.user, reason="not_jet")
    pending.refresh_from_db()
    assert not block_rep.user.has_perm("people.confirm_member", pending)
    assert not block_rep.user.has_perm("people.reject_member", pending)
    with pytest.raises(services.MembershipError):
        services.reject_members(members=[pending], by=block_rep.user, reason="not_jet")
    with pytest.raises(services.MembershipError):
        services.confirm_members(members=[pending], by=block_rep.user)


def test_the_services_check_each_member_again(other_block_rep, pending):
    with pytest.raises(PermissionDenied):
        services.confirm_members(members=[pending], by=other_block_rep.user)
    with pytest.raises(PermissionDenied):
        services.reject_members(members=[pending], by=other_block_rep.user, reason="not_jet")
    pending.refresh_from_db()
    assert pending.is_pending


def test_officers_may_not_decide_on_themselves(executive):
    executive.status = Member.Status.PENDING
    executive.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        services.reject_members(members=[executive], by=executive.user, reason="not_jet")


def test_the_member_page_links_back_to_the_queue_and_offers_reject(client, block_rep, pending, member):
    client.force_login(block_rep.user)
    page = client.get(reverse("people:member", args=[pending.pk])).content.decode()
    assert reverse("people:pending") in page and reverse("people:decide_pending") in page
    confirmed = client.get(reverse("people:member", args=[member.pk])).content.decode()
    assert reverse("people:decide_pending") not in confirmed


def test_the_single_confirm_emails_the_member_too(block_rep, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_membership(member=pending, by=block_rep.user)
    assert [message.to for message in mail.outbox] == [["penny@example.org"]]


# --- The daily digest -------------------------------------------------------------------------------

def _signed_up(member, days_ago):
    Member.objects.filter(pk=member.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))


def test_the_daily_digest_goes_once_to_each_officer_of_the_area_by_smtp(
        settings, block_rep, chapter_officer, other_block_rep, executive, pending, pat, pending_elsewhere,
        unverified):
    _signed_up(pat, days_ago=3)  # waiting, but not new: counted, not listed
    with smtp_server_for(settings, Mailbox()) as mailbox:
        sent = tasks.send_pending_digest.call()
    assert sent == 3  # Bob and Carol for Saitama, Olga for Aichi; not the executive
    recipients = sorted(envelope.rcpt_tos[0] for envelope in mailbox.envelopes)
    assert recipients == ["bob@example.org", "carol@example.org", "olga@example.org"]
    bob = next(envelope for envelope in mailbox.envelopes if envelope.rcpt_tos == ["bob@example.org"])
    message = email.message_from_bytes(bob.content, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Penny Pending" in body and "Pat Pending" not in body and "Uma" not in body
    assert "Ellis" not in body
    assert "2 sign-ups wait for confirmation in your area in all." in body
    assert "/members/pending/" in body
    assert "1 new sign-up" in message["Subject"]


def test_no_digest_without_new_sign_ups(block_rep, pending):
    _signed_up(pending, days_ago=2)
    assert tasks.send_pending_digest.call() == 0
    assert not mail.outbox


def test_no_digest_when_nobody_waits(block_rep):
    assert tasks.send_pending_digest.call() == 0
