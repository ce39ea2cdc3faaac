"""Announcement e-mails travel through a real SMTP server (aiosmtpd on 127.0.0.1): each recipient exactly
once, in batches over one connection each, with one-click unsubscribe headers, even after a crash mid-send."""

import email
import email.policy
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ajet.hub import tasks
from ajet.hub.models import Delivery, Preference
from ajet.organisation.models import Prefecture
from ajet.organisation.scopes import Scope
from ajet.people.models import Member, User
from tests.hub.hub_factories import announce, block3
from tests.smtp import smtp_server_for

pytestmark = pytest.mark.django_db


class Mailbox:
    """Keeps every message; can refuse one address, or fail every message after `fail_after` accepted."""

    def __init__(self):
        self.envelopes = []
        self.sessions = set()
        self.fail_after = None
        self.refuse = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_after is not None and len(self.envelopes) >= self.fail_after:
            return "451 4.3.0 Server crashed, try again later"
        self.envelopes.append(envelope)
        self.sessions.add(id(session))
        return "250 Message accepted for delivery"

    def recipients(self) -> Counter:
        return Counter(address for envelope in self.envelopes for address in envelope.rcpt_tos)


@pytest.fixture
def smtp_server(settings):
    with smtp_server_for(settings, Mailbox()) as mailbox:
        yield mailbox


def _members_in_saitama(count: int) -> list[Member]:
    """`count` current members in Saitama (block 3), written in bulk."""
    users = User.objects.bulk_create([User(email=f"crowd{n}@example.org", password="!") for n in range(count)])
    saitama = Prefecture.objects.get(code="11")
    return Member.objects.bulk_create([
        Member(user=user, full_name=f"Crowd {n}", prefecture=saitama, status=Member.Status.CURRENT)
        for n, user in enumerate(users)])


def _sent(announcement) -> Counter:
    return Counter(announcement.deliveries.values_list("status", flat=True))


def test_an_announcement_reaches_every_member_once_in_batches_with_unsubscribe_headers(
        settings, smtp_server, block_rep, other_block_rep, django_capture_on_commit_callbacks):
    settings.HUB_EMAIL_BATCH_SIZE = 100
    crowd = _members_in_saitama(300)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(block_rep, block3(), title="Block meeting", body="Come **along**.")

    expected = {member.user.email for member in crowd} | {block_rep.user.email}
    assert smtp_server.recipients() == Counter(expected)  # 301 messages, one each; Olga (block 5) none
    assert len(smtp_server.sessions) == 4  # 301 in batches of 100: four connections
    assert _sent(announcement) == {Delivery.Status.SENT: 301}

    message = email.message_from_bytes(smtp_server.envelopes[0].content, policy=email.policy.default)
    assert "Block meeting" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https?://\S+)>", message["List-Unsubscribe"].strip()).group(1)
    assert "<strong>along</strong>" in message.get_body(preferencelist=("html",)).get_content()
    assert link in message.get_body(preferencelist=("plain",)).get_content()

    # One click from the mail client (RFC 8058): a POST without session or CSRF token.
    response = Client(enforce_csrf_checks=True).post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    recipient = Member.objects.get(user__email=smtp_server.envelopes[0].rcpt_tos[0])
    assert Preference.objects.get(member=recipient, scope_kind=Scope.BLOCK).mode == Preference.Mode.NONE


def test_a_crash_mid_batch_then_a_rerun_delivers_each_recipient_exactly_once(
        settings, smtp_server, executive, django_capture_on_commit_callbacks):
    settings.HUB_EMAIL_BATCH_SIZE = 10
    _members_in_saitama(40)
    smtp_server.fail_after = 17  # the server fails from the 18th message on: the task stops there (FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(executive, Scope(Scope.NATIONAL))
    assert _sent(announcement) == {Delivery.Status.SENT: 17, Delivery.Status.QUEUED: 24}
    assert announcement.deliveries.filter(attempts=1, status=Delivery.Status.QUEUED).count() == 1

    smtp_server.fail_after = None
    assert tasks.deliver_announcement.call(announcement_id=announcement.pk) == 24
    assert tasks.deliver_announcement.call(announcement_id=announcement.pk) == 0  # nothing left: nothing sent
    counts = smtp_server.recipients()
    assert len(counts) == 41 and set(counts.values()) == {1}
    assert _sent(announcement) == {Delivery.Status.SENT: 41}


def test_a_refused_address_is_retried_then_marked_failed_while_the_others_go_out(
        settings, smtp_server, executive, member, django_capture_on_commit_callbacks):
    settings.HUB_EMAIL_MAX_ATTEMPTS = 2
    smtp_server.refuse = {member.user.email}
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(executive, Scope(Scope.NATIONAL))
    assert smtp_server.recipients() == Counter([executive.user.email])
    refused = announcement.deliveries.get(member=member)
    assert (refused.status, refused.attempts) == (Delivery.Status.QUEUED, 1)

    tasks.send_due_announcements.call()  # the schedule resumes unfinished sendings
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (Delivery.Status.FAILED, 2)
    assert "No such mailbox" in refused.last_error
    assert tasks.deliver_announcement.call(announcement_id=announcement.pk) == 0
    assert smtp_server.recipients() == Counter([executive.user.email])


def test_members_who_chose_no_email_get_none_and_forged_unsubscribe_links_do_nothing(
        client, smtp_server, executive, member, django_capture_on_commit_callbacks):
    Preference.objects.create(member=member, scope_kind=Scope.NATIONAL, mode=Preference.Mode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(executive, Scope(Scope.NATIONAL))
    assert smtp_server.recipients() == Counter([executive.user.email])
    assert not announcement.deliveries.filter(member=member).exists()

    from ajet.hub.services import unsubscribe_token

    genuine = unsubscribe_token(executive, Scope.NATIONAL)
    forged = genuine.replace(genuine.split(":")[0], "x" + genuine.split(":")[0][1:])
    assert Client().post(f"/hub/unsubscribe/{forged}/").status_code == 404
    assert not Preference.objects.filter(member=executive).exists()


def test_a_daily_digest_groups_the_members_announcements_in_one_email_once(
        smtp_server, executive, member, django_capture_on_commit_callbacks):
    Preference.objects.create(member=member, scope_kind=Scope.NATIONAL, mode=Preference.Mode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        announce(executive, title="First news")
        announce(executive, title="Second news")
        announce(executive, block3(), title="Block news")  # blocks: immediately (no preference)
    assert smtp_server.recipients()[member.user.email] == 1  # only the block news so far

    assert tasks.send_digests.call() == 1
    assert tasks.send_digests.call() == 0  # a re-run sends nothing twice
    digest = email.message_from_bytes(smtp_server.envelopes[-1].content, policy=email.policy.default)
    assert smtp_server.envelopes[-1].rcpt_tos == [member.user.email]
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "First news" in text and "Second news" in text and "Block news" not in text
    assert "2 new announcements" in digest["Subject"]

    link = re.fullmatch(r"<(https?://\S+)>", digest["List-Unsubscribe"].strip()).group(1)
    Client().post(urlsplit(link).path)
    assert Preference.objects.get(member=member, scope_kind=Scope.NATIONAL).mode == Preference.Mode.NONE


def test_an_announcement_to_1000_members_delivers_exactly_1000_messages_with_the_right_headers(
        settings, smtp_server, executive, django_capture_on_commit_callbacks):
    settings.HUB_EMAIL_BATCH_SIZE = 250
    crowd = _members_in_saitama(999)  # and Erin (Tokyo): 1,000 current members in all
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(executive, Scope(Scope.NATIONAL), title="Election timetable", body="Vote **now**.")

    assert len(smtp_server.envelopes) == 1000
    assert smtp_server.recipients() == Counter({member.user.email for member in crowd} | {executive.user.email})
    assert _sent(announcement) == {Delivery.Status.SENT: 1000}
    links = set()
    for envelope in smtp_server.envelopes:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert [message["To"]] == envelope.rcpt_tos and "Election timetable" in message["Subject"]
        assert message["From"] == settings.DEFAULT_FROM_EMAIL and message["Message-ID"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        links.add(message["List-Unsubscribe"])
        assert message.get_content_type() == "multipart/alternative"
    assert len(links) == 1000  # a signed link of its own for each recipient
