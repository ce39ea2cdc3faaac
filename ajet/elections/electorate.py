"""Who may vote (and stand) in a contest: its electorate by rule, and the roll frozen from it when voting opens.

A contest's rule is all current members, the current members of a block, or those of a position (e.g. the
CIRs), narrowed by the election's membership cut-off. The one scope resolver (organisation.scopes) turns the
rule into members; the frozen roll (RollEntry) is what casting checks. Mutation-tested (mutation/modules.toml).
"""

from django.utils import timezone

from ajet.elections.models import Contest, Election, RollEntry
from ajet.organisation.models import Post
from ajet.organisation.scopes import Scope, members_in_scope


def default_eligibility(post: Post) -> dict:
    """AJET practice: a block representative is chosen by the block, a constituency post (the CIR
    Representative) by the members of its position, every other council post by all current members."""
    if post.scope == Post.Scope.BLOCK:
        return {"eligibility": Contest.Eligibility.BLOCK, "block": post.block}
    if post.constituency_position:
        return {"eligibility": Contest.Eligibility.POSITION, "position": post.constituency_position}
    return {"eligibility": Contest.Eligibility.ALL_CURRENT}


def contest_scope(contest: Contest) -> Scope:
    if contest.eligibility == Contest.Eligibility.BLOCK:
        return Scope(Scope.BLOCK, block=contest.block_id)
    if contest.eligibility == Contest.Eligibility.POSITION:
        return Scope(Scope.NATIONAL, positions=frozenset({contest.position}))
    return Scope(Scope.NATIONAL)


def eligible_members(contest: Contest, day=None):
    """Who may vote in `contest` on `day` by its rule (before the roll is frozen, and to freeze it): current
    members only."""
    return members_in_scope(contest_scope(contest), day=day, joined_before=contest.election.membership_cutoff)


def is_eligible(member, contest: Contest) -> bool:
    """`member` is on the contest's electorate by its rule today."""
    return member is not None and eligible_members(contest).filter(pk=member.pk).exists()


def can_stand_in(member, contest: Contest) -> bool:
    """A current member on the contest's electorate (by its rule today), not on the election committee, in a
    contest for a post (nobody stands in a referendum question)."""
    return (member is not None and member.is_current and not contest.is_referendum
            and not contest.election.committee.filter(pk=member.pk).exists()
            and is_eligible(member, contest))


def freeze_rolls(election: Election) -> None:
    """Write each contest's roll from its rule today, and publish its size (`Contest.roll_size`)."""
    day = timezone.localdate()
    for contest in election.contests.all():
        member_ids = list(eligible_members(contest, day).values_list("pk", flat=True))
        # No batch size: Django splits the insert where the database needs it (SQLite's variable limit).
        RollEntry.objects.bulk_create([RollEntry(contest=contest, member_id=pk) for pk in member_ids])
        contest.roll_size = len(member_ids)
        contest.save(update_fields=["roll_size"])


def rolls_holding(member, contests: list[Contest]) -> set[int]:
    """The ids of those of `contests` whose frozen roll holds `member` (the only thing casting trusts; one
    query: casting asks for all the contests of a ballot at once)."""
    if member is None:
        return set()
    return set(RollEntry.objects.filter(member=member, contest_id__in=[contest.pk for contest in contests])
               .values_list("contest_id", flat=True))
