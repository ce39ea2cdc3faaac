"""The new list pages answer in a number of queries that does not grow with their items."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ajet.organisation import services
from ajet.organisation.models import Initiative, Post
from tests.factories import MemberFactory, chapter_post, give_term, national_post

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    cache.clear()  # the uncached path, the same both times
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_appointed_posts_with_holders(count: int, offset: int):
    for number in range(offset, offset + count):
        post = Post.objects.create(name_en=f"Director {number}", slug=f"director-{number}", kind="appointed")
        give_term(MemberFactory(), post)
        Initiative.objects.create(name_en=f"Initiative {number}", slug=f"initiative-{number}", supervising_post=post)


def test_council_year_and_initiatives_do_not_grow_with_items(client):
    year = services.council_year_of(timezone.localdate())
    urls = [reverse("organisation:council_year", args=[year]), reverse("organisation:initiatives"),
            reverse("organisation:council_history")]
    _add_appointed_posts_with_holders(1, 0)
    give_term(MemberFactory(), national_post("chair"), start=timezone.localdate() - datetime.timedelta(days=400))
    one = [_count(client, url) for url in urls]
    _add_appointed_posts_with_holders(2, 1)
    give_term(MemberFactory(), national_post("treasurer"), start=timezone.localdate() - datetime.timedelta(days=800))
    three = [_count(client, url) for url in urls]
    assert one == three


def test_chapter_officers_page_does_not_grow_with_posts(client, executive, home_chapter):
    client.force_login(executive.user)
    url = reverse("organisation:chapter_officers", args=[home_chapter.slug])
    give_term(MemberFactory(), chapter_post(home_chapter, "president", "President"))
    client.get(url)
    one = _count(client, url)
    for slug in ("treasurer", "secretary"):
        give_term(MemberFactory(), chapter_post(home_chapter, slug, slug.title()))
    assert _count(client, url) == one
