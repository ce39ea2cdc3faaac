"""This app's panels on the member dashboard."""

from dataclasses import dataclass

from django.utils import timezone

from ajet.core.panels import PanelCache
from ajet.organisation import queries
from ajet.organisation.models import Block, Prefecture
from ajet.organisation.powers import ORGANISATION_DATA, powers_of
from ajet.people.user_cache import user_namespace


@dataclass(frozen=True)
class Place:
    prefecture: Prefecture
    block: Block | None
    representatives: list
    chapters: list
    suggested: list


def place_of(member, day) -> Place:
    """Where the member belongs on `day`: two or three queries whatever the size of AJET."""
    block, representatives = queries.get_block_and_representatives_of(member.prefecture_id, day)
    chapters, suggested = queries.get_member_and_nearby_chapters(member)
    return Place(member.prefecture, block, representatives, chapters, suggested)


def my_place_cache(request) -> PanelCache | None:
    """On every member's home page, so the panel's HTML is cached (ajet/core/panels.py) per member, day and
    language under the organisation's data version (see signals.py) and the member's account (status)."""
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    return PanelCache(key=f"{member.pk}:{timezone.localdate().isoformat()}",
                      namespaces=(ORGANISATION_DATA, user_namespace(request.user.pk)))


def my_place(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    return {"member": member, "place": place_of(member, timezone.localdate())}


def my_offices_cache(request) -> PanelCache | None:
    """Per account, day and second factor (the powers and the permissions it shows come from them), under
    the organisation's data version and the account's."""
    if not request.user.is_authenticated:
        return None
    powers = powers_of(request.user)
    return PanelCache(key=f"{request.user.pk}:{timezone.localdate().isoformat()}:{powers.mfa_missing:d}",
                      namespaces=(ORGANISATION_DATA, user_namespace(request.user.pk)))


def my_offices(request) -> dict | None:
    """Current posts, and posts about to be taken over (the handover period)."""
    powers = powers_of(request.user)
    if not powers.current_terms and not powers.upcoming_terms:
        return None
    return {"powers": powers, "terms": powers.current_terms, "upcoming": powers.upcoming_terms}
