"""The public pages: upcoming public events (with their chapter's page), public announcements and public
guides on one page beside the chapters' directory; an anonymous visitor sees only what is public."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.hub import services
from ajet.hub.models import Guide, GuideCategory
from ajet.organisation.models import Post
from ajet.organisation.scopes import Scope
from tests.hub.hub_factories import announce, block3

pytestmark = pytest.mark.django_db


def _event(by, scope, title, *, days=3, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    return services.create_event(by=by.user, scope=scope, fields={
        "title": title, "start": start, "end": start + datetime.timedelta(hours=2), **fields})


def _guide(slug, *, public):
    category, _created = GuideCategory.objects.get_or_create(slug="life", defaults={"name": "Life"})
    return Guide.objects.create(category=category, slug=slug, title=slug.title(), body="Text", is_public=public,
                                owner_post=Post.objects.get(slug="chair", chapter=None))


def test_anonymous_visitors_see_only_public_events_announcements_and_guides(client, executive, chapter_officer,
                                                                            home_chapter):
    _event(chapter_officer, Scope(Scope.CHAPTER, chapter=home_chapter.pk), "Open picnic", is_public=True)
    _event(executive, Scope(Scope.NATIONAL), "Members' meeting")
    _event(executive, Scope(Scope.NATIONAL), "Past open day", days=-3, is_public=True)
    announce(executive, title="Public news", is_public=True)
    announce(executive, block3(), title="Block 3 only")
    _guide("earthquakes", public=True)
    _guide("pension", public=False)

    page = client.get(reverse("hub:public_news")).content.decode()
    assert "Open picnic" in page and home_chapter.get_absolute_url() in page  # the chapter's public page
    assert "Public news" in page and "Earthquakes" in page
    for hidden in ("Members&#x27;", "Past open day", "Block 3 only", "Pension"):
        assert hidden not in page, hidden
    for link in (reverse("organisation:chapters"), reverse("hub:guides"), reverse("hub:public_feed")):
        assert link in page
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("hub:public_news") in home and reverse("hub:guides") in home


def test_the_public_page_costs_the_same_queries_for_one_or_three(client, executive, django_assert_max_num_queries):
    def add(n):
        _event(executive, Scope(Scope.NATIONAL), f"Open day {n}", is_public=True)
        announce(executive, title=f"News {n}", is_public=True)
        _guide(f"guide-{n}", public=True)

    add(1)
    client.get(reverse("hub:public_news"))
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("hub:public_news"))
    add(2), add(3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("hub:public_news"))


def test_a_chapters_page_lists_its_upcoming_events_that_the_visitor_may_see(client, chapter_officer, home_chapter,
                                                                           other_chapter, member):
    chapter = Scope(Scope.CHAPTER, chapter=home_chapter.pk)
    _event(chapter_officer, chapter, "Open picnic", is_public=True)
    _event(chapter_officer, chapter, "Members' dinner")
    _event(chapter_officer, chapter, "Last month's picnic", days=-30, is_public=True)
    page = client.get(home_chapter.get_absolute_url()).content.decode()
    assert "Open picnic" in page and "dinner" not in page and "Last month" not in page
    assert "Open picnic" not in client.get(other_chapter.get_absolute_url()).content.decode()
    client.force_login(member.user)  # a member of the chapter
    page = client.get(home_chapter.get_absolute_url()).content.decode()
    assert "Open picnic" in page and "Members&#x27; dinner" in page
