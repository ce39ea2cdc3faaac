"""Announcement e-mails are built once per language and sent as bytes with each recipient's address, Message-ID,
Date and unsubscribe link put in (ajet/hub/prepared_mail.py). What a real SMTP server receives is what Django
would have sent: Japanese intact, each link the recipient's own and working; and where the bytes cannot take a
substitution safely (a long line encoded as quoted-printable, a non-ASCII address) the e-mail is built whole."""

import email
import email.policy
import email.utils
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ajet.hub import tasks
from ajet.hub.models import Preference
from ajet.hub.prepared_mail import RECIPIENT_PLACEHOLDER, PreparedEmail
from ajet.organisation.scopes import Scope
from ajet.people.models import Member
from tests.factories import MemberFactory
from tests.hub.hub_factories import announce
from tests.smtp import Mailbox, smtp_server_for

pytestmark = pytest.mark.django_db

JAPANESE_TITLE = "選挙のお知らせ"
JAPANESE_BODY = "投票は**金曜日**まで受け付けています。皆さんの一票をお待ちしています。"


@pytest.fixture
def smtp_server(settings):
    with smtp_server_for(settings, Mailbox()) as mailbox:
        yield mailbox


@pytest.fixture
def prepared_sent(monkeypatch):
    """Counts the e-mails that went out as prepared bytes (the rest were built whole)."""
    sent = []
    send = PreparedEmail.send

    def counting_send(self, smtp, address, data):
        sent.append(address)
        return send(self, smtp, address, data)

    monkeypatch.setattr(PreparedEmail, "send", counting_send)
    return sent


def _received(smtp_server) -> dict[str, email.message.EmailMessage]:
    return {envelope.rcpt_tos[0]: email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in smtp_server.envelopes}


def _links(message) -> set[str]:
    """The unsubscribe link of the header, the text part and the HTML part."""
    header = re.fullmatch(r"<(\S+)>", message["List-Unsubscribe"].strip()).group(1)
    text = re.search(r"(https?://\S+/hub/unsubscribe/\S+/)", message.get_body(("plain",)).get_content()).group(1)
    html = re.search(r'href="(https?://[^"]+/hub/unsubscribe/[^"]+/)"',
                     message.get_body(("html",)).get_content()).group(1)
    return {header, text, html}


def _follow(link: str, member: Member, scope_kind: str) -> None:
    """One click from the mail client (RFC 8058) stops that kind of e-mail for that member, and nobody else."""
    assert Client(enforce_csrf_checks=True).post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"}).status_code \
        == 200
    assert Preference.objects.get(member=member, scope_kind=scope_kind).mode == Preference.Mode.NONE
    assert Preference.objects.exclude(member=member).count() == 0


def test_japanese_and_english_emails_arrive_intact_each_with_its_own_working_link(
        smtp_server, prepared_sent, executive, member, django_capture_on_commit_callbacks):
    member.preferred_language = "ja"
    member.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        announce(executive, Scope(Scope.NATIONAL), title="Election", body="Vote by **Friday**.",
                 title_ja=JAPANESE_TITLE, body_ja=JAPANESE_BODY)

    assert sorted(prepared_sent) == sorted([member.user.email, executive.user.email])  # no e-mail built whole
    received = _received(smtp_server)
    japanese, english = received[member.user.email], received[executive.user.email]
    assert JAPANESE_TITLE in japanese["Subject"] and "Election" in english["Subject"]
    assert JAPANESE_BODY in japanese.get_body(("plain",)).get_content()
    assert "<strong>金曜日</strong>" in japanese.get_body(("html",)).get_content()
    assert "<strong>Friday</strong>" in english.get_body(("html",)).get_content()
    for address, message in received.items():
        assert message["To"] == address
        assert email.utils.parsedate_to_datetime(message["Date"]) is not None
    assert japanese["Message-ID"] != english["Message-ID"]

    japanese_links, english_links = _links(japanese), _links(english)
    assert len(japanese_links) == len(english_links) == 1  # the same link in the header, the text and the HTML
    assert japanese_links != english_links
    _follow(japanese_links.pop(), member, Scope.NATIONAL)


def test_a_long_line_or_a_non_ascii_address_gets_an_email_built_whole_that_works_too(
        smtp_server, prepared_sent, executive, member, django_capture_on_commit_callbacks):
    international = MemberFactory(full_name="Taro Kokusai", prefecture_id="11", user__email="taro@例え.jp")
    long_line = "word " * 250  # over 998 characters on one line: Django encodes the part as quoted-printable
    with django_capture_on_commit_callbacks(execute=True):
        announce(executive, Scope(Scope.NATIONAL), title="Short", body="Short and plain.")
        announce(executive, Scope(Scope.NATIONAL), title="Long", body=long_line)

    assert international.user.email not in prepared_sent  # its address cannot go into the bytes as it is
    assert prepared_sent.count(member.user.email) == 1  # the short announcement only
    by_subject = {}
    for envelope in smtp_server.envelopes:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        by_subject.setdefault("Long" if "Long" in message["Subject"] else "Short", {})[envelope.rcpt_tos[0]] = message
    assert set(by_subject["Long"]) == set(by_subject["Short"]) == {
        member.user.email, executive.user.email, "taro@xn--r8jz45g.jp"}
    assert long_line.strip() in by_subject["Long"][member.user.email].get_body(("plain",)).get_content()
    (link,) = _links(by_subject["Short"]["taro@xn--r8jz45g.jp"])
    _follow(link, international, Scope.NATIONAL)


@pytest.mark.parametrize("reminder", [False, True])
@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(("address_length", "link_length"), [(20, 40), (74, 58), (75, 59), (120, 200)])
def test_the_prepared_bytes_are_the_bytes_django_builds_for_that_recipient(
        executive, language, address_length, link_length, reminder):
    """Byte for byte, but for the Message-ID, the Date and the MIME boundary; around the length where Django
    puts a header's value on a line of its own (past 78 characters: "To: " and an address of 74 fit,
    "List-Unsubscribe: " and a link of 58 in angle brackets)."""
    announcement = announce(executive, Scope(Scope.NATIONAL), title="Election", body="Vote by **Friday**.",
                            title_ja=JAPANESE_TITLE, body_ja=JAPANESE_BODY)
    rendered = tasks._render_announcement(announcement, language, reminder)
    prepared = PreparedEmail.of(tasks._email(rendered, RECIPIENT_PLACEHOLDER, tasks.UNSUBSCRIBE_PLACEHOLDER, None),
                                personal=(tasks.UNSUBSCRIBE_PLACEHOLDER,))
    address = "a" * (address_length - len("@example.org")) + "@example.org"
    link = "https://x.example/u/" + "t" * (link_length - len("https://x.example/u/") - 1) + "/"
    ours = prepared.for_recipient(address, {tasks.UNSUBSCRIBE_PLACEHOLDER: link})
    django = tasks._email(rendered, address, link, None).message().as_bytes(linesep="\r\n")

    def own(data):  # what each e-mail has of its own
        message = email.message_from_bytes(data)
        return [message["Message-ID"].strip(), message["Date"], message.get_boundary()]

    for ours_value, django_value in zip(own(ours), own(django), strict=True):
        ours = ours.replace(ours_value.encode(), django_value.encode())
    assert ours == django
    assert (b"To: \r\n " in ours) == (address_length > 74)
    assert (b"List-Unsubscribe: \r\n " in ours) == (link_length > 58)


@pytest.mark.parametrize("address", ["taro@例え.jp", "Taro <taro@example.org>", "a@b.org\r\nBcc: x@y.org",
                                     "a b@example.org", "a" * 1000 + "@example.org"])
def test_an_address_that_cannot_go_into_the_bytes_as_it_is_is_refused(executive, address):
    announcement = announce(executive, Scope(Scope.NATIONAL))
    prepared = PreparedEmail.of(tasks._email(tasks._render_announcement(announcement, "en"), RECIPIENT_PLACEHOLDER,
                                             tasks.UNSUBSCRIBE_PLACEHOLDER, None),
                                personal=(tasks.UNSUBSCRIBE_PLACEHOLDER,))
    assert prepared.for_recipient(address, {tasks.UNSUBSCRIBE_PLACEHOLDER: "https://x.example/u/t/"}) is None
    assert prepared.for_recipient("a@example.org", {tasks.UNSUBSCRIBE_PLACEHOLDER: "https://x.example/u/\r\n"}) is None
    assert prepared.for_recipient("a@example.org", {tasks.UNSUBSCRIBE_PLACEHOLDER: "https://x.example/" + "u" * 1000}) \
        is None  # longer than PreparedEmail.of allowed for when it checked the lines against SMTP's limit


@pytest.mark.parametrize(("body", "headers"), [
    ("word " * 250, {}),  # a line over 998 characters: quoted-printable, which would split a placeholder
    ("Short.", {"X-Note": f"see {tasks.UNSUBSCRIBE_PLACEHOLDER} there"}),  # several words: folded elsewhere
])
def test_an_email_whose_bytes_could_not_take_a_value_as_it_is_is_not_prepared(body, headers):
    from django.core.mail import EmailMessage

    message = EmailMessage("Subject", body + tasks.UNSUBSCRIBE_PLACEHOLDER, None, [RECIPIENT_PLACEHOLDER],
                           headers=headers)
    assert PreparedEmail.of(message, personal=(tasks.UNSUBSCRIBE_PLACEHOLDER,)) is None
    plain = EmailMessage("Subject", "Short. " + tasks.UNSUBSCRIBE_PLACEHOLDER, None, [RECIPIENT_PLACEHOLDER])
    assert PreparedEmail.of(plain, personal=(tasks.UNSUBSCRIBE_PLACEHOLDER,)) is not None
