"""This app's panels on the member dashboard."""

from django.core.cache import cache
from django.utils import timezone

from ajet.core.cache import DERIVED_DATA_TIMEOUT, version_of
from ajet.organisation import queries
from ajet.organisation.powers import ORGANISATION_DATA, powers_of


def my_place(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    # On every member's home page: cached under the organisation's data version (see signals.py),
    # otherwise two or three queries whatever the size of AJET.
    today = timezone.localdate()
    key = f"ajet:dashboard-place:{member.pk}:{member.prefecture_id}:{today.isoformat()}:{version_of(ORGANISATION_DATA)}"
    cached = cache.get(key)
    if cached is None:
        block, representatives = queries.get_block_and_representatives_of(member.prefecture_id, today)
        chapters, suggested = queries.get_member_and_nearby_chapters(member)
        cached = (member.prefecture, block, representatives, chapters, suggested)
        cache.set(key, cached, timeout=DERIVED_DATA_TIMEOUT)
    prefecture, block, representatives, chapters, suggested = cached
    return {
        "member": member,
        "prefecture": prefecture,
        "block": block,
        "representatives": representatives,
        "chapters": chapters,
        "suggested": suggested,
    }


def my_offices(request) -> dict | None:
    """Current posts, and posts about to be taken over (the handover period)."""
    powers = powers_of(request.user)
    if not powers.current_terms and not powers.upcoming_terms:
        return None
    return {"powers": powers, "terms": powers.current_terms, "upcoming": powers.upcoming_terms}
