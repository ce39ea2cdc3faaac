from ajet.elections.models import Election
from tests.authz_support import LOGIN, MFA, REDIRECT, Row, everyone, officers_only, signed_in
from tests.elections.election_factories import contest_of, election_fields, make_election
from tests.factories import MemberFactory, national_post

EXECUTIVE = ("executive",)
Phase = Election.Phase


def _election(world, phase):
    """One election per phase, made once per test (the form fuzz test asks for the same page many times)."""
    slug = f"election-{phase.replace('_', '-')}"
    world.election = Election.objects.filter(slug=slug).first() or make_election(
        world.executive, slug=slug, phase=phase, posts=[national_post("chair")],
        candidates={"chair": [MemberFactory(full_name="Casey Candidate")]})
    return {"slug": slug}


def _draft(world):
    return _election(world, Phase.DRAFT)


def _voting(world):
    return _election(world, Phase.VOTING_OPEN)


def _closed(world):
    return _election(world, Phase.VOTING_CLOSED)


def _counted(world):
    return _election(world, Phase.COUNTED)


def _candidate(world):
    kwargs = _voting(world)
    return kwargs | {"candidate_id": contest_of(world.election, "chair").candidates.get(
        is_reopen_nominations=False).pk}


def _contest_file(world):
    kwargs = _counted(world)
    return kwargs | {"contest_id": contest_of(world.election, "chair").pk, "kind": "blt"}


def _vote_for_ron(world):
    chair = contest_of(world.election, "chair")
    return {f"c{chair.pk}_1": str(chair.candidates.get(is_reopen_nominations=True).pk)}


def _advance(world):
    return {"phase": world.election.phase}


def _new_election(world):
    from ajet.core import once

    fields = election_fields(slug="by-election")
    data = {name: value for name, value in fields.items() if not hasattr(value, "tzinfo") and name != "term_start"}
    data |= {name: fields[name].strftime("%Y-%m-%d %H:%M") for name in fields if name.endswith("_at")}
    return data | {"term_start": fields["term_start"].isoformat(), "publish_full_ballots": "on",
                   "posts": [national_post("chair").pk], once.FIELD: once.issue()}


def _only_executives_moved_it(world, role):
    moved = Election.objects.get(pk=world.election.pk).phase == Phase.NOMINATIONS_CLOSED
    assert moved == (role == "executive"), (role, moved)


def _nobody_else_created_one(world, role):
    assert Election.objects.filter(slug="by-election").exists() == (role == "executive")


DRAFT_HIDDEN = signed_in(404, executive=200)

ROWS = [
    Row("elections:elections", everyone(200)),
    Row("elections:election", signed_in(200), kwargs=_voting),
    Row("elections:election", DRAFT_HIDDEN, kwargs=_draft),
    Row("elections:candidate", signed_in(200), kwargs=_candidate),
    Row("elections:election_create", officers_only(EXECUTIVE)),
    Row("elections:election_create", officers_only(EXECUTIVE, status=REDIRECT), method="post", data=_new_election,
        verify=_nobody_else_created_one),
    Row("elections:advance", officers_only(EXECUTIVE, status=REDIRECT), method="post",
        kwargs=lambda world: _election(world, Phase.NOMINATIONS_OPEN), data=_advance,
        verify=_only_executives_moved_it),
    # Every current member is on the Chair's roll; pending members may not vote.
    Row("elections:ballot", signed_in(200, pending=403), kwargs=_voting),
    Row("elections:cast", signed_in(200, pending=403), kwargs=_voting, method="post", data=_vote_for_ron),
    # After the close, anyone may check the board, the files and the results.
    Row("elections:board", everyone(200), kwargs=_closed),
    Row("elections:board", everyone(404), kwargs=_voting),
    Row("elections:board_check", everyone(200), kwargs=_closed),
    Row("elections:board_file", everyone(200), kwargs=_closed),
    Row("elections:results", everyone(200), kwargs=_counted),
    Row("elections:results", everyone(404), kwargs=_closed),
    Row("elections:contest_file", everyone(200), kwargs=_contest_file),
]

__all__ = ["LOGIN", "MFA", "ROWS"]
