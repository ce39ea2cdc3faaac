"""Sponsor meetings: executives build the agenda on concerns and surveys, record answers, publish to members."""

import datetime

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.voice import services
from ajet.voice.models import SponsorAnswer, SponsorMeeting
from ajet.voice.services import MeetingError
from tests.factories import MemberFactory
from tests.voice.survey_factories import make_survey

pytestmark = pytest.mark.django_db


def _meeting(executive):
    return services.create_meeting(by=executive.user, title="Spring 2026 sponsor meeting",
                                   held_on=datetime.date(2026, 5, 20), sponsors=["CLAIR", "MEXT"])


def test_the_journey_from_agenda_to_published_answers(client, executive, member):
    meeting = _meeting(executive)
    cir = MemberFactory(position="CIR")
    concern = services.raise_concern(member=cir, title="Late contracts", text="…", category="contracts",
                                     level="national", visibility="anonymous")
    survey = make_survey(executive)
    client.force_login(executive.user)
    response = client.post(reverse("voice:agenda_item_add", args=[meeting.pk]), {
        "item-title_en": "Contract renewal dates", "item-recommendation_en": "Tell JETs by December.",
        "item-concerns": [concern.pk], "item-surveys": [survey.pk]})
    assert response.status_code == 302
    item = meeting.items.get()
    assert list(item.concerns.all()) == [concern] and list(item.surveys.all()) == [survey]
    url = reverse("voice:sponsor_answer_add", args=[meeting.pk, item.pk])
    assert client.post(url, {f"answer-{item.pk}-sponsor": "MEXT",
                             f"answer-{item.pk}-answer_en": "We will ask the boards."}).status_code == 302
    refused = client.post(url, {f"answer-{item.pk}-sponsor": "MOFA", f"answer-{item.pk}-answer_en": "?"})
    assert refused.status_code == 400 and "did not attend" in refused.content.decode()
    assert SponsorAnswer.objects.count() == 1

    client.force_login(member.user)
    assert client.get(meeting.get_absolute_url()).status_code == 404  # not published yet
    client.force_login(executive.user)
    assert client.post(reverse("voice:meeting_publish", args=[meeting.pk]),
                       {"publish-summary_en": "Good progress on contracts."}).status_code == 302
    assert AuditEntry.objects.filter(action="meeting.publish").exists()
    client.force_login(member.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "We will ask the boards." in page and "Good progress on contracts." in page
    assert "Late contracts" not in page  # members see how many concerns, not whose or which


def test_published_meetings_are_final_and_bad_input_changes_nothing(executive):
    meeting = _meeting(executive)
    with pytest.raises(MeetingError, match="agenda items"):
        services.publish_meeting(by=executive.user, meeting=meeting, summary_en="Too early")
    item = services.add_agenda_item(by=executive.user, meeting=meeting, title_en="Housing",
                                    recommendation_en="Fix the mould.")
    services.publish_meeting(by=executive.user, meeting=meeting, summary_en="Done")
    with pytest.raises(MeetingError, match="published"):
        services.record_sponsor_answer(by=executive.user, item=item, sponsor="MEXT", answer_en="Late")
    with pytest.raises(MeetingError, match="sponsors"):
        services.create_meeting(by=executive.user, title="Empty", held_on=datetime.date(2026, 11, 1), sponsors=[])
    assert SponsorMeeting.objects.count() == 1 and not SponsorAnswer.objects.exists()
