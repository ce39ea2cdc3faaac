"""This app's panels on the member dashboard."""

from ajet.organisation import queries
from ajet.organisation.geography import block_of_prefecture
from ajet.organisation.models import Block, Term
from ajet.organisation.powers import powers_of


def my_place(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    block_number = block_of_prefecture(member.prefecture_id)
    block = Block.objects.filter(pk=block_number).first()
    representatives = list(
        queries.current_block_terms_for(block_number)
    ) if block_number else []
    return {
        "member": member,
        "block": block,
        "representatives": representatives,
        "chapters": list(queries.get_member_chapters(member)),
        "suggested": list(queries.suggest_chapters(member)),
    }


def my_offices(request) -> dict | None:
    powers = powers_of(request.user)
    if not powers.holds_office:
        return None
    terms = Term.objects.current().filter(member__user=request.user).select_related("post")
    return {"powers": powers, "terms": list(terms)}
