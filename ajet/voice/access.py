"""Fetch-and-authorize helpers: 404 when the survey is hidden from the user, 403 when seen but not allowed."""

from django.shortcuts import get_object_or_404

from ajet.core.access import authorize
from ajet.voice.models import Survey


def access_survey(user, survey_id: int, perm: str | None = None) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("block", "prefecture", "chapter"), pk=survey_id)
    return authorize(user, survey, see="voice.view_survey", do=perm)
