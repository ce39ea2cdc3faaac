"""Permissions of the voice app, built on the shared predicates and powers of organisation.

Officers build surveys for the members they serve: executives for anyone, block representatives for
their blocks (and the prefectures and chapters in them), chapter officers for their chapter, and a
national representative of a position (the CIR Representative) for that position nationally.
"""

import rules
from django.utils import timezone

from ajet.organisation.powers import Powers, powers_of
from ajet.organisation.predicates import is_current_member, is_executive, is_member, is_officer
from ajet.organisation.scopes import Scope, members_in_scope


def audience_within_powers(powers: Powers, scope: Scope) -> bool:
    """Whether an officer with `powers` may address (and read the answers of) the members of `scope`."""
    if not powers.is_officer:
        return False
    if powers.is_executive:
        return True
    if scope.kind == Scope.NATIONAL:
        return bool(scope.positions) and scope.positions <= powers.constituency_positions
    if scope.kind == Scope.BLOCK:
        return scope.block in powers.represented_blocks
    if scope.kind == Scope.PREFECTURE:
        return scope.prefecture in powers.managed_prefectures
    if scope.chapter in powers.officer_chapters:
        return True
    from ajet.organisation.models import Chapter

    codes = set(Chapter.prefectures.through.objects.filter(chapter_id=scope.chapter).values_list(
        "prefecture_id", flat=True))
    return bool(codes) and codes <= powers.managed_prefectures


@rules.predicate
def manages_survey(user, survey) -> bool:
    return survey is not None and audience_within_powers(powers_of(user), survey.scope)


@rules.predicate
def is_in_audience(user, survey) -> bool:
    """A current member the survey's audience reaches today, once the survey has opened."""
    if survey is None or not is_current_member(user) or survey.opens_at > timezone.now():
        return False
    return members_in_scope(survey.scope).filter(pk=user.member.pk).exists()


rules.add_perm("voice.add_survey", is_officer)
rules.add_perm("voice.view_survey", manages_survey | is_in_audience)
rules.add_perm("voice.manage_survey", manages_survey)
rules.add_perm("voice.respond_survey", is_in_audience)


@rules.predicate
def handles_concern(user, concern) -> bool:
    """The officers a concern is routed to: its block's representatives (and the CIR Representative when a
    CIR raised it, unless it is private), the CIR Representative (CIR matters), the national executives
    (national matters, and any concern escalated to the national agenda)."""
    powers = powers_of(user)
    if concern is None or not powers.is_officer:
        return False
    if concern.escalated_at is not None and powers.is_executive:
        return True
    if concern.level == "block":
        return concern.block_id in powers.represented_blocks or (
            concern.raised_by_cir and concern.visibility != "private" and "CIR" in powers.constituency_positions)
    if concern.level == "cir":
        return "CIR" in powers.constituency_positions
    return powers.is_executive


@rules.predicate
def is_raiser(user, concern) -> bool:
    return (concern is not None and concern.member_id is not None and user.is_authenticated
            and hasattr(user, "member") and concern.member_id == user.member.pk)


@rules.predicate
def is_public_concern(user, concern) -> bool:
    return concern is not None and concern.is_public


rules.add_perm("voice.raise_concern", is_current_member)
rules.add_perm("voice.view_concern", is_raiser | handles_concern | (is_current_member & is_public_concern))
rules.add_perm("voice.triage_concern", handles_concern)
rules.add_perm("voice.reply_concern", is_raiser)
rules.add_perm("voice.support_concern", is_current_member & is_public_concern & ~is_raiser)


@rules.predicate
def is_published_meeting(user, meeting) -> bool:
    return meeting is not None and meeting.published_at is not None


rules.add_perm("voice.add_meeting", is_executive)
rules.add_perm("voice.view_meeting", is_executive | (is_member & is_published_meeting))
rules.add_perm("voice.manage_meeting", is_executive)
rules.add_perm("voice.subscribe_summaries", is_member)


@rules.predicate
def is_translator(user) -> bool:
    from ajet.voice.models import Translator

    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and member.is_current and Translator.objects.filter(member=member).exists()


rules.add_perm("voice.translate", is_executive | is_translator)
rules.add_perm("voice.manage_translators", is_executive)
rules.add_perm("voice.view_cycle", is_member)
rules.add_perm("voice.view_report", is_executive | is_translator)
