"""The public organisation pages answer in the same number of queries with 1 and with 3 of everything.

`GrowingWorld` adds, per step, a chapter the viewer joined and one they did not, an officer post of a chapter
the pages focus on (and a prefecture it covers), a council term this year and one last year, an extra block 3
representative, a current member and a pending sign-up — all in Saitama, block 3, where the personas live.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ChapterFactory,
    MemberFactory,
    block_post,
    chapter_post,
    give_mfa,
    give_term,
    join,
    national_post,
)

pytestmark = pytest.mark.django_db

BLOCK_3_NEIGHBOURS = ["08", "09", "10", "20"]  # Ibaraki, Tochigi, Gunma, Nagano (Saitama is 11)
NATIONAL_POSTS = ["vice-chair", "treasurer", "psg-coordinator"]  # the personas' executive holds the chair


class GrowingWorld:
    def __init__(self, viewer=None):
        self.viewer = viewer
        self.size = 0
        self.focus = ChapterFactory(name="Focus AJET", slug="focus", prefecture_codes=["11"])

    def grow_to(self, size: int) -> "GrowingWorld":
        while self.size < size:
            self._add_one(self.size)
            self.size += 1
        return self

    def _add_one(self, i: int) -> None:
        joined = ChapterFactory(prefecture_codes=["11", BLOCK_3_NEIGHBOURS[i]])
        ChapterFactory(prefecture_codes=["11"])  # a chapter near the viewer that they have not joined
        if self.viewer is not None:
            join(self.viewer, joined)
        self.focus.prefectures.add(BLOCK_3_NEIGHBOURS[i])
        officer = MemberFactory()
        give_term(officer, chapter_post(self.focus, slug=f"officer-{i}", name=f"Officer {i}"))
        give_mfa(officer.user)
        join(MemberFactory(), self.focus)
        give_term(MemberFactory(bio="Here to help."), national_post(NATIONAL_POSTS[i]))
        a_year_ago = timezone.localdate() - datetime.timedelta(days=400)
        give_term(MemberFactory(), national_post(NATIONAL_POSTS[i]), start=a_year_ago)
        give_term(MemberFactory(), block_post(3))
        MemberFactory(status="pending")


def count_queries(client, url: str) -> int:
    """Queries of one request with nothing in the shared cache (the page's worst case)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def assert_constant_queries(client, world: GrowingWorld, url: str) -> None:
    world.grow_to(1)
    client.get(url)  # warm-up: per-process caches (content types, templates) are not the page's cost
    small = count_queries(client, url)
    world.grow_to(3)
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries with 1 of everything, {large} with 3"


PUBLIC_PAGES = [
    ("organisation:council", {}),
    ("organisation:blocks", {}),
    ("organisation:block", {"number": 3}),
    ("organisation:chapters", {}),
    ("organisation:chapter", {"slug": "focus"}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_pages_anonymous(client, executive, block_rep, name, kwargs):
    assert_constant_queries(client, GrowingWorld(), reverse(name, kwargs=kwargs))


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_pages_signed_in(client, member, executive, block_rep, name, kwargs):
    client.force_login(member.user)
    assert_constant_queries(client, GrowingWorld(viewer=member), reverse(name, kwargs=kwargs))


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_pages_as_block_rep(client, executive, block_rep, name, kwargs):
    client.force_login(block_rep.user)  # officers see edit links: their permission checks must not grow either
    assert_constant_queries(client, GrowingWorld(viewer=block_rep), reverse(name, kwargs=kwargs))
