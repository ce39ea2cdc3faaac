"""Double submits change nothing twice: every creation form carries a one-time token (ajet/core/once.py)."""

import datetime
import re
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ajet.core import once
from ajet.core.models import SpentFormToken
from ajet.organisation import services
from ajet.organisation.models import (
    BlockAssignment,
    Chapter,
    HandbookFile,
    HandbookPage,
    HandoverItem,
    Initiative,
    Post,
    Term,
)
from tests.factories import block_post, national_post

TOKEN = re.compile(r'name="once_token" value="([^"]+)"')
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@dataclass
class Creation:
    name: str
    persona: str
    url: Callable  # world → URL of the page that shows the form (and receives it)
    data: Callable  # world → what a person fills in
    count: Callable  # → how many of the created things exist
    action: Callable | None = None  # world → where the form is sent, when not to its own page


def _appointed_post():
    return Post.objects.filter(kind=Post.Kind.APPOINTED, scope=Post.Scope.NATIONAL, chapter=None).first()


CREATIONS = [
    Creation("handbook page", "block_rep",
             lambda w: reverse("organisation:handbook_page_create", args=[block_post(3).pk]),
             lambda w: {"title": "Dup test", "body": "Written once."}, HandbookPage.objects.count),
    Creation("handover item", "block_rep",
             lambda w: reverse("organisation:handbook", args=[block_post(3).pk]),
             lambda w: {"title": "Book the spring venue"}, HandoverItem.objects.count,
             action=lambda w: reverse("organisation:handover_item_create", args=[block_post(3).pk])),
    Creation("handbook file", "block_rep",
             lambda w: reverse("organisation:handbook_file_upload", args=[block_post(3).pk]),
             lambda w: {"title": "Contacts", "file": SimpleUploadedFile("contacts.txt", b"phone list")},
             HandbookFile.objects.count),
    Creation("council post", "executive", lambda w: reverse("organisation:post_create"),
             lambda w: {"name_en": "Secretary", "slug": "secretary", "kind": "appointed", "scope": "national",
                        "order": 2, "valid_from": "2026-04-01"}, Post.objects.count),
    Creation("chapter post", "block_rep", lambda w: reverse("organisation:chapter_officers", args=["saitama"]),
             lambda w: {"name_en": "Treasurer", "slug": "treasurer", "kind": "appointed", "order": 3},
             Post.objects.count),
    Creation("term", "executive", lambda w: reverse("organisation:term_create", args=[national_post("vice-chair").pk]),
             lambda w: {"member": w.member.user.email,
                        "start": services.next_council_year_start().isoformat(), "end": ""},
             Term.objects.count),
    Creation("chapter", "block_rep", lambda w: reverse("organisation:chapter_create"),
             lambda w: {"name": "Kawagoe AJET", "slug": "kawagoe", "kind": "city", "prefectures": ["11"]},
             Chapter.objects.count),
    Creation("initiative", "executive", lambda w: reverse("organisation:initiative_create"),
             lambda w: {"name_en": "Book club", "slug": "book-club", "supervising_post": _appointed_post().pk},
             Initiative.objects.count),
    Creation("prefecture move", "executive", lambda w: reverse("organisation:prefecture_move", args=["11"]),
             lambda w: {"block": 5, "valid_from": (datetime.date.today() + datetime.timedelta(days=30)).isoformat()},
             BlockAssignment.objects.count),
]


@pytest.fixture
def world(home_chapter, member, block_rep, executive):
    return type("World", (), {"home_chapter": home_chapter, "member": member, "block_rep": block_rep,
                              "executive": executive})


def _token_from(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    found = TOKEN.search(response.content.decode())
    assert found, f"no one-time token in the form at {url}"
    return found.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("creation", CREATIONS, ids=lambda creation: creation.name)
def test_sending_a_creation_form_twice_creates_one_thing(client, world, creation):
    client.force_login(getattr(world, creation.persona).user)
    page = creation.url(world)
    action = creation.action(world) if creation.action else page
    token = _token_from(client, page)
    before = creation.count()

    first = client.post(action, {**creation.data(world), once.FIELD: token})
    assert first.status_code == 302, first.content.decode()[:2000]
    assert creation.count() == before + 1

    again = client.post(action, {**creation.data(world), once.FIELD: token})  # the back button, or a double click
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert creation.count() == before + 1
    assert "This form was already sent" in " ".join(str(message) for message in get_messages(again.wsgi_request))


@pytest.mark.django_db
@pytest.mark.parametrize("token", [None, "forged", "abc:def:ghi"], ids=["missing", "forged", "bad-signature"])
@pytest.mark.parametrize("creation", CREATIONS, ids=lambda creation: creation.name)
def test_a_creation_form_without_a_valid_token_is_refused(client, world, creation, token):
    client.force_login(getattr(world, creation.persona).user)
    action = creation.action(world) if creation.action else creation.url(world)
    before = creation.count()
    data = creation.data(world)
    if token is not None:
        data[once.FIELD] = token
    response = client.post(action, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This form has expired or was not sent from its page" in body
    assert TOKEN.search(body) and not TOKEN.search(body).group(1).startswith(("forged", "abc"))  # a fresh one
    assert creation.count() == before


@pytest.mark.django_db
def test_a_form_with_errors_keeps_its_token_and_can_be_sent_once_fixed(client, block_rep):
    client.force_login(block_rep.user)
    url = reverse("organisation:handbook_page_create", args=[block_post(3).pk])
    token = _token_from(client, url)
    refused = client.post(url, {"title": "", "body": "no title", once.FIELD: token})
    assert refused.status_code == 200 and token in refused.content.decode()
    assert client.post(url, {"title": "Fixed", "body": "", once.FIELD: token}).status_code == 302
    assert HandbookPage.objects.filter(title="Fixed").count() == 1


class _SignerOfLongAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time() - once.MAX_AGE.total_seconds() - 60))


@pytest.mark.django_db
def test_an_expired_token_is_refused(client, block_rep):
    client.force_login(block_rep.user)
    url = reverse("organisation:handbook_page_create", args=[block_post(3).pk])
    expired = _SignerOfLongAgo(salt="ajet.core.once").sign("a-nonce-of-long-ago")
    response = client.post(url, {"title": "Late", "body": "", once.FIELD: expired})
    assert response.status_code == 200 and "This form has expired" in response.content.decode()
    assert not HandbookPage.objects.filter(title="Late").exists()


@pytest.mark.django_db
def test_a_confirmed_roster_import_sent_again_imports_nothing(client, executive):
    # The roster import is one-shot through the session: confirming uses up the preview's token.
    from ajet.people.models import Member
    from ajet.people.views_roster import SESSION_KEY

    client.force_login(executive.user)
    rows = b"email,full_name,prefecture,position\nnina@example.org,Nina New,11,ALT\n"
    roster = SimpleUploadedFile("roster.csv", rows, content_type="text/csv")
    client.post(reverse("people:roster_import"), {"file": roster})
    token = client.session[SESSION_KEY]["token"]
    assert client.post(reverse("people:roster_confirm"), {"token": token}).status_code == 302
    members = Member.objects.count()
    again = client.post(reverse("people:roster_confirm"), {"token": token}, follow=True)
    assert "no longer available" in again.content.decode()
    assert Member.objects.count() == members


# A used token keeps no time of its use (issue #10): an anonymous concern is sent with one, and an exact time —
# or a sequential id placing the send among others whose times are known — could be matched against sign-ins.

@pytest.mark.django_db
def test_the_token_of_an_anonymous_concern_is_kept_without_a_time_or_a_sequential_id(client, member):
    client.force_login(member.user)
    url = reverse("voice:concern_create")
    response = client.post(url, {"title": "Unpaid overtime", "text": "Asked to stay late.", "category": "contracts",
                                 "level": "block", "visibility": "anonymous", once.FIELD: _token_from(client, url)})
    assert response.status_code == 302 and response["Location"] == reverse("voice:concern_receipt")
    for field in SpentFormToken._meta.concrete_fields:
        assert not isinstance(field, (models.DateTimeField, models.TimeField)), field.name
        assert not isinstance(field, models.AutoField), field.name  # BigAutoField is one too
    assert SpentFormToken._meta.pk.name == "nonce"
    (spent,) = SpentFormToken.objects.values()
    assert set(spent) == {"nonce", "redirect_to", "forget_on"}
    assert spent["forget_on"] == timezone.localdate() + once.MAX_AGE + datetime.timedelta(days=1)


@given(spent_at=st.datetimes(min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2040, 12, 31),
                             timezones=st.just(datetime.UTC)))
def test_a_used_token_is_forgotten_only_once_it_has_expired_and_one_day_later_at_most(spent_at):
    forgotten_from = datetime.datetime.combine(once.forget_on(spent_at), datetime.time(), tzinfo=TOKYO)
    assert spent_at + once.MAX_AGE <= forgotten_from <= spent_at + once.MAX_AGE + datetime.timedelta(days=1)


class _Clock:
    """Moves the time seen by the token signer and by Django's timezone helpers, nothing else."""

    def __init__(self, at: datetime.datetime):
        self.at = at

    def time(self) -> float:
        return self.at.timestamp()

    def now(self) -> datetime.datetime:
        return self.at


@pytest.mark.django_db
@pytest.mark.parametrize("hour", [0, 8, 9, 15, 23], ids=lambda hour: f"{hour:02}h Tokyo")
def test_a_used_token_stays_used_for_as_long_as_it_is_valid(client, block_rep, hour):
    start = datetime.datetime.combine(timezone.localdate(), datetime.time(hour, 30), tzinfo=TOKYO)
    clock = _Clock(start)
    url = reverse("organisation:handbook_page_create", args=[block_post(3).pk])
    with mock.patch.object(signing, "time", clock), mock.patch("django.utils.timezone.now", clock.now):
        client.force_login(block_rep.user)
        token = _token_from(client, url)
        first = client.post(url, {"title": "Once", "body": "", once.FIELD: token})
        assert first.status_code == 302
        clock.at = start + once.MAX_AGE - datetime.timedelta(seconds=1)  # the token is still valid
        assert client.post(url, {"title": "Later", "body": "", once.FIELD: _token_from(client, url)}).status_code \
            == 302  # another use, which forgets what may be forgotten
        again = client.post(url, {"title": "Once", "body": "", once.FIELD: token})
        assert again.status_code == 302 and again["Location"] == first["Location"]
        assert HandbookPage.objects.filter(title="Once").count() == 1
        clock.at = start + once.MAX_AGE + datetime.timedelta(seconds=2)  # now expired: refused by its signature
        expired = client.post(url, {"title": "Once", "body": "", once.FIELD: token})
        assert expired.status_code == 200 and "This form has expired" in expired.content.decode()
    assert HandbookPage.objects.filter(title="Once").count() == 1
