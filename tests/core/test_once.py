"""Double submits change nothing twice: every creation form carries a one-time token (ajet/core/once.py)."""

import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ajet.core import once
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
