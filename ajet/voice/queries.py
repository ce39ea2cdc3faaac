"""What the voice pages read: the surveys open to a member, the surveys an officer manages."""

from django.utils import timezone

from ajet.organisation.powers import powers_of
from ajet.organisation.scopes import members_in_scope
from ajet.voice.models import Draft, HasResponded, Survey
from ajet.voice.rules import audience_within_powers


def open_surveys_for(member) -> list[tuple[Survey, bool]]:
    """The open surveys addressed to `member` that they have not submitted, each with whether a draft waits."""
    if member is None or not member.is_current:
        return []
    now = timezone.now()
    answered = HasResponded.objects.filter(member=member).values("survey_id")
    candidates = (Survey.objects.filter(opens_at__lte=now, closes_at__gt=now, questions__isnull=False)
                  .exclude(pk__in=answered).distinct().order_by("closes_at"))
    drafts = set(Draft.objects.filter(member=member).values_list("survey_id", flat=True))
    return [(survey, survey.pk in drafts) for survey in candidates
            if members_in_scope(survey.scope).filter(pk=member.pk).exists()]


def surveys_managed_by(user) -> list[Survey]:
    powers = powers_of(user)
    if not powers.is_officer:
        return []
    return [survey for survey in Survey.objects.all() if audience_within_powers(powers, survey.scope)]


def concerns_routed_to(user):
    """The concerns the officer handles (see rules.handles_concern), newest first."""
    from django.db.models import Q

    from ajet.voice.models import Concern

    powers = powers_of(user)
    if not powers.is_officer:
        return Concern.objects.none()
    routed = Q(level=Concern.Level.BLOCK, block_id__in=sorted(powers.represented_blocks))
    if "CIR" in powers.constituency_positions:
        routed |= Q(level=Concern.Level.CIR)
    if powers.is_executive:
        routed |= Q(level=Concern.Level.NATIONAL)
    return Concern.objects.filter(routed).select_related("member")
