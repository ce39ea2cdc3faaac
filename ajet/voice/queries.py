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
        routed |= Q(level=Concern.Level.CIR) | (Q(level=Concern.Level.BLOCK, raised_by_cir=True)
                                                & ~Q(visibility=Concern.Visibility.PRIVATE))
    if powers.is_executive:
        routed |= Q(level=Concern.Level.NATIONAL) | Q(escalated_at__isnull=False)
    return Concern.objects.filter(routed).select_related("member")


def public_concerns():
    """The concerns members may read and support (named, not merged), the most supported first."""
    from django.db.models import Count

    from ajet.voice.models import Concern

    return (Concern.objects.filter(visibility=Concern.Visibility.NAMED, merged_into__isnull=True)
            .exclude(status=Concern.Status.CLOSED).select_related("member")
            .annotate(support_count=Count("supports")).order_by("-support_count", "-created_at", "-id"))


def previous_meeting(meeting):
    """The meeting held last before `meeting` (its follow-ups open the preparation of this one)."""
    from ajet.voice.models import SponsorMeeting

    return (SponsorMeeting.objects.filter(held_on__lt=meeting.held_on).order_by("-held_on", "-id").first()
            or SponsorMeeting.objects.filter(held_on=meeting.held_on, pk__lt=meeting.pk).order_by("-id").first())


def open_follow_ups(meeting) -> list:
    """The follow-ups of `meeting` not done yet, the earliest due first."""
    from ajet.voice.models import FollowUp

    if meeting is None:
        return []
    return list(FollowUp.objects.filter(item__meeting=meeting, done_on__isnull=True).select_related("owner", "item"))
