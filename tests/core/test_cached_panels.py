"""Dashboard and chapter-page panels are cached per member and language (ajet/core/panels.py), and whatever
changes what a panel shows is seen by the member's next request: an announcement, an acknowledgement, an
event, a survey (also one that opens or closes with the clock), an election's phase, the member's own data.
Another member is never served someone else's panel."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ajet.core import panels as core_panels
from ajet.elections import services as election_services
from ajet.elections.models import Election
from ajet.hub import services as hub_services
from ajet.hub.models import Announcement, Event
from ajet.organisation.scopes import Scope
from ajet.people.models import Member
from ajet.voice.models import Survey
from tests.elections.election_factories import make_election
from tests.factories import MemberFactory, national_post
from tests.hub.hub_factories import announce, block3
from tests.voice.survey_factories import make_survey

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("core:dashboard")


def dashboard(client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def panels_of(page: str) -> str:
    return page[page.index('<div class="panels">'):page.index("</main>")]


def event(by, *, title="Meetup", days=3):
    start = timezone.now() + datetime.timedelta(days=days)
    fields = {"title": title, "start": start, "end": start + datetime.timedelta(hours=2)}
    return hub_services.create_event(by=by.user, scope=Scope(Scope.NATIONAL), fields=fields)


def test_a_second_visit_reads_no_panel_data_from_the_database(client, executive, member):
    announce(executive, title="Hello Saitama")
    event(executive, title="Sports day")
    make_survey(executive)
    client.force_login(member.user)
    first = dashboard(client)
    with CaptureQueriesContext(connection) as queries:
        second = dashboard(client)
    assert panels_of(second) == panels_of(first)
    assert "Hello Saitama" in second and "Sports day" in second and "Surveys for you" in second
    assert not [query["sql"] for query in queries.captured_queries
                if any(table in query["sql"] for table in ("hub_", "voice_", "elections_", "organisation_"))]


def test_new_and_changed_announcements_and_acknowledgements_show_at_once(client, executive, member):
    first = announce(executive, title="First news", requires_acknowledgement=True)
    client.force_login(member.user)
    assert "First news" in dashboard(client) and "1 announcement waits" in dashboard(client)
    announce(executive, title="Second news")
    assert "Second news" in dashboard(client)
    Announcement.objects.filter(pk=first.pk).update(title="First news, corrected")  # no signal: the queryset bumps
    first.refresh_from_db()
    first.title = "First news, corrected twice"
    first.save(update_fields=["title"])
    assert "First news, corrected twice" in dashboard(client)
    hub_services.acknowledge(member=member, announcement=first)
    assert "waits for your confirmation" not in dashboard(client)


def test_new_changed_and_bulk_written_events_show_at_once(client, executive, member):
    client.force_login(member.user)
    dashboard(client)
    sports = event(executive, title="Sports day")
    assert "Sports day" in dashboard(client)
    Event.objects.filter(pk=sports.pk).update(title="Sports festival")
    assert "Sports festival" in dashboard(client)
    start = timezone.now() + datetime.timedelta(days=1)
    Event.objects.bulk_create([Event(title="Film night", scope_kind=Scope.NATIONAL, start=start,
                                     end=start + datetime.timedelta(hours=2), created_by=executive.user)])
    assert "Film night" in dashboard(client)


def test_an_rsvp_is_seen_by_the_members_next_request(client, executive, member):
    from ajet.core.cache import member_namespace, version_of

    sports = event(executive, title="Sports day")
    before = version_of(member_namespace("hub", member.pk))
    hub_services.answer_rsvp(member=member, event=sports, attending=True)
    assert version_of(member_namespace("hub", member.pk)) > before


def test_a_survey_submitted_or_closed_leaves_the_panel(client, executive, member):
    from ajet.voice import services as voice_services
    from tests.voice.survey_factories import answers

    first, second = make_survey(executive), make_survey(executive)
    client.force_login(member.user)
    page = dashboard(client)
    assert reverse("voice:survey", args=[first.pk]) in page and reverse("voice:survey", args=[second.pk]) in page
    voice_services.submit_response(member=member, survey=first, values=answers(first))
    assert reverse("voice:survey", args=[first.pk]) not in dashboard(client)
    second.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    second.save(update_fields=["closes_at"])
    assert reverse("voice:survey", args=[second.pk]) not in dashboard(client)


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def time(self):
        return self.now


def test_what_changes_with_the_clock_is_at_most_one_period_late(client, executive, member, monkeypatch):
    """A survey that closes (or opens) changes no row: the panel follows within CLOCK_SECONDS."""
    clock = Clock()
    monkeypatch.setattr(core_panels, "time", clock)
    survey = make_survey(executive)
    client.force_login(member.user)
    url = reverse("voice:survey", args=[survey.pk])
    assert url in dashboard(client)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    assert url in dashboard(client)  # the same period: still the cached panel (the documented staleness)
    clock.now += core_panels.CLOCK_SECONDS
    assert url not in dashboard(client)


def test_an_election_opening_and_closing_shows_at_once(client, executive, member):
    alice = MemberFactory(full_name="Alice Able")
    client.force_login(member.user)
    assert "Vote now" not in dashboard(client)
    election = make_election(executive, phase=Election.Phase.VOTING_OPEN, posts=[national_post("chair")],
                             candidates={"chair": [alice]})
    assert "Vote now:" in dashboard(client)
    election_services.advance_phase(by=executive.user, election=election)
    assert Election.objects.get(pk=election.pk).phase != Election.Phase.VOTING_OPEN
    assert "Vote now" not in dashboard(client)


@pytest.mark.parametrize("write", ["save", "update"])
def test_the_members_own_data_shows_at_once(client, member, write):
    client.force_login(member.user)
    assert "<dd>Saitama</dd>" in dashboard(client)
    if write == "save":
        member.prefecture_id = "23"
        member.save(update_fields=["prefecture_id"])
    else:
        Member.objects.filter(pk=member.pk).update(prefecture_id="23")
    page = dashboard(client)
    assert "<dd>Aichi</dd>" in page and "<dd>Saitama</dd>" not in page


def test_another_member_never_sees_someone_elses_panel(client, executive, member):
    announce(executive, scope=block3(), title="Only for block 3", requires_acknowledgement=True)
    client.force_login(member.user)
    assert "Only for block 3" in dashboard(client)
    olga = MemberFactory(full_name="Olga Other", prefecture_id="23")
    client.force_login(olga.user)
    page = dashboard(client)
    assert "Only for block 3" not in page and "Aichi" in page and "Saitama" not in page
    client.force_login(member.user)
    assert "Only for block 3" in dashboard(client)


def test_the_language_is_part_of_the_key(client, executive, member):
    announce(executive, title="News")
    client.force_login(member.user)
    english = dashboard(client)
    Member.objects.filter(pk=member.pk).update(preferred_language="ja")
    japanese = dashboard(client)
    assert 'lang="ja"' in japanese and english != japanese


def test_the_chapter_page_events_are_per_visitor(client, executive, member, home_chapter):
    start = timezone.now() + datetime.timedelta(days=2)
    hub_services.create_event(by=executive.user, scope=Scope(Scope.CHAPTER, chapter=home_chapter.pk),
                              fields={"title": "Members' picnic", "start": start,
                                      "end": start + datetime.timedelta(hours=2)})
    url = home_chapter.get_absolute_url()
    client.force_login(member.user)
    assert "Members&#x27; picnic" in client.get(url).content.decode()
    client.logout()
    assert "Members&#x27; picnic" not in client.get(url).content.decode()  # not public
    client.force_login(member.user)
    assert "Members&#x27; picnic" in client.get(url).content.decode()
