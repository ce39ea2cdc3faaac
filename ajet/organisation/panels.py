"""This app's panels on the member dashboard."""

from ajet.organisation import queries
from ajet.organisation.powers import powers_of


def my_place(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    # A constant three queries: this panel is on every member's home page.
    assignment = queries.get_block_assignment_of(member.prefecture_id)
    block = assignment.block if assignment else None
    representatives = list(queries.current_block_terms_for(block.number)) if block else []
    chapters, suggested = queries.get_member_and_nearby_chapters(member)
    return {
        "member": member,
        "prefecture": assignment.prefecture if assignment else member.prefecture,
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
