"""A member's election data for the personal data export: the days they voted, and their candidacies.
Never their ballots: nothing links a ballot to a member."""

from ajet.elections.models import Candidate, Participation


def _contest_name(contest) -> str:
    return contest.question if contest.is_referendum else contest.post.name_en


def export_elections(user) -> dict:
    member = getattr(user, "member", None)
    if member is None:
        return {}
    return {
        "voted": [
            {"election": row.contest.election.title, "contest": _contest_name(row.contest), "day": row.day}
            for row in Participation.objects.filter(member=member).select_related("contest__election", "contest__post")
        ],
        "candidacies": [
            {"election": row.contest.election.title, "contest": _contest_name(row.contest), "status": row.status,
             "platform_en": row.platform_en, "platform_ja": row.platform_ja}
            for row in Candidate.objects.filter(member=member).select_related("contest__election", "contest__post")
        ],
    }
