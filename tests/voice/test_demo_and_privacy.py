"""seed_demo builds a closed anonymous survey with suppressed cells and an open one for the demo member;
the personal data export and erasure cover drafts and attributed answers, never anonymous responses."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ajet.core.personal_data import erase_personal_data, export_personal_data
from ajet.organisation.demo import DEMO_ACCOUNTS
from ajet.people.models import Member
from ajet.voice import services
from ajet.voice.models import (
    Answer,
    Concern,
    ConcernSupport,
    Draft,
    FollowUp,
    Response,
    SponsorMeeting,
    Survey,
)
from ajet.voice.results import survey_results
from tests.voice.survey_factories import answers, make_survey

pytestmark = pytest.mark.django_db(databases=["default", "support"])  # seed_demo fills the PSG database too


def test_the_demo_has_a_closed_survey_with_suppressed_cells_and_an_open_one(client):
    output = io.StringIO()
    call_command("seed_demo", members=120, chapters=6, stdout=output)
    assert "Voice:" in output.getvalue()
    closed = Survey.objects.get(title_en="Working conditions 2026")
    assert closed.is_closed() and closed.is_anonymous and closed.responses.count() >= 20
    cells = [cell for result in survey_results(closed) for cell in result.by_block]
    assert any(cell.suppressed for cell in cells) and any(not cell.suppressed for cell in cells)
    member = Member.objects.get(user__email=next(a.email for a in DEMO_ACCOUNTS if a.role == "member"))
    opened = Survey.objects.get(title_en="Orientation feedback")
    client.force_login(member.user)
    assert reverse("voice:survey", args=[opened.pk]) in client.get(reverse("core:dashboard")).content.decode()
    executive = Member.objects.get(user__email=next(a.email for a in DEMO_ACCOUNTS if a.role == "executive"))
    client.force_login(executive.user)
    page = client.get(reverse("voice:survey_results", args=[closed.pk])).content.decode()
    assert "fewer than 5" in page
    assert page.count('class="chart-svg"') == 4  # bars twice, diverging bars, histogram (not the text question)
    meeting = SponsorMeeting.objects.get(published_at__isnull=False)
    client.force_login(member.user)
    assert "MEXT will raise it" in client.get(meeting.get_absolute_url()).content.decode()
    # Follow-ups (one overdue), open concerns in several blocks, and the next meeting prepared from the last.
    assert FollowUp.objects.filter(item__meeting=meeting, done_on__isnull=False).exists()
    assert any(follow_up.is_overdue() for follow_up in FollowUp.objects.all())
    open_concerns = Concern.objects.exclude(status__in=["closed", "merged"])
    assert open_concerns.values("block").distinct().count() >= 3
    assert set(open_concerns.values_list("visibility", flat=True)) == {"named", "anonymous", "private"}
    assert ConcernSupport.objects.exists() and Concern.objects.filter(escalated_at__isnull=False).exists()
    upcoming = SponsorMeeting.objects.get(published_at__isnull=True)
    client.force_login(executive.user)
    assert "Overdue" in client.get(upcoming.get_absolute_url()).content.decode()
    for language in ("en", "both"):
        report = client.get(reverse("voice:meeting_report", args=[meeting.pk]) + f"?lang={language}")
        assert report.status_code == 200 and "Working conditions 2026" in report.content.decode()


def test_export_and_erase_cover_drafts_and_attributed_answers_only(executive, member):
    anonymous = make_survey(executive)
    attributed = make_survey(executive, anonymous=False)
    drafted = make_survey(executive)
    services.submit_response(member=member, survey=anonymous, values=answers(anonymous, text="secret words"))
    services.submit_response(member=member, survey=attributed, values=answers(attributed, text="signed words"))
    services.save_draft(member=member, survey=drafted, values=answers(drafted, text="draft words"))

    exported = str(export_personal_data(member.user)["voice"])
    assert "signed words" in exported and "draft words" in exported
    assert "secret words" not in exported

    erase_personal_data(member.user)
    assert not Draft.objects.exists()
    assert not Response.objects.filter(survey=attributed).exists()
    assert Answer.objects.filter(text="secret words").exists()  # anonymous: not the member's any more
