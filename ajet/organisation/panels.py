"""This app's panels on the member dashboard."""

from ajet.organisation import queries
from ajet.organisation.powers import powers_of


def my_place(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    # Two or three queries whatever the size of AJET: this panel is on every member's home page.
    block, representatives = queries.get_block_and_representatives_of(member.prefecture_id)
    chapters, suggested = queries.get_member_and_nearby_chapters(member)
    return {
        "member": member,
        "prefecture": member.prefecture,  # loaded with the user (ajet/people/backends.py)
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
