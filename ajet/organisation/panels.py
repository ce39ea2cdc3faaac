"""This app's panels on the member dashboard."""

from dataclasses import dataclass
from functools import partial

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from ajet.core.cache import DERIVED_DATA_TIMEOUT, version_of
from ajet.organisation import queries
from ajet.organisation.models import Block, Prefecture
from ajet.organisation.powers import ORGANISATION_DATA, powers_of


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


def my_place(request) -> dict | None:
    """On every member's home page, so the panel's HTML is cached (template fragment cache) under the
    organisation's data version (see signals.py); `place` is only computed when it is not."""
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    today = timezone.localdate()
    return {
        "member": member,
        "place": SimpleLazyObject(partial(place_of, member, today)),
        "place_version": f"{member.pk}:{member.prefecture_id}:{today.isoformat()}:{version_of(ORGANISATION_DATA)}",
        "place_timeout": DERIVED_DATA_TIMEOUT,
    }


def my_offices(request) -> dict | None:
    """Current posts, and posts about to be taken over (the handover period)."""
    powers = powers_of(request.user)
    if not powers.current_terms and not powers.upcoming_terms:
        return None
    return {"powers": powers, "terms": powers.current_terms, "upcoming": powers.upcoming_terms}
