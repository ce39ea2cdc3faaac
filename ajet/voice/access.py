"""Fetch-and-authorize helpers: 404 when the survey is hidden from the user, 403 when seen but not allowed."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ajet.core.access import authorize
from ajet.voice.models import Survey


def access_survey(user, survey_id: int, perm: str | None = None) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("block", "prefecture", "chapter"), pk=survey_id)
    return authorize(user, survey, see="voice.view_survey", do=perm)


def access_survey_results(user, survey_id: int) -> Survey:
    """A survey whose results the user may read and export: they manage it, and its results are visible
    (Survey.results_visible); 404 while they are not."""
    survey = access_survey(user, survey_id, "voice.manage_survey")
    if not survey.results_visible():
        raise Http404
    return survey


def access_concern(user, concern_id: int, perm: str | None = None):
    from ajet.voice.models import Concern

    concern = get_object_or_404(Concern.objects.select_related("member"), pk=concern_id)
    return authorize(user, concern, see="voice.view_concern", do=perm)


def access_meeting(user, meeting_id: int, perm: str | None = None):
    from ajet.voice.models import SponsorMeeting

    meeting = get_object_or_404(SponsorMeeting, pk=meeting_id)
    return authorize(user, meeting, see="voice.view_meeting", do=perm)
