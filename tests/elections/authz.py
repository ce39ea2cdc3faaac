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


def _chair_contest(world):
    return _voting(world) | {"contest_id": contest_of(world.election, "chair").pk}


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


def _new_question(world):
    from ajet.core import once

    return {"question": "Do you approve the amendment?", "threshold": "two-thirds", once.FIELD: once.issue()}


def _only_executives_added_a_question(world, role):
    asked = world.election.contests.filter(question="Do you approve the amendment?").exists()
    assert asked == (role == "executive"), (role, asked)


def _draft_chair(world):
    return _draft(world) | {"contest_id": contest_of(world.election, "chair").pk}


def _only_executives_changed_the_electorate(world, role):
    eligibility = contest_of(world.election, "chair").eligibility
    assert (eligibility == "position") == (role == "executive"), (role, eligibility)
    if eligibility == "position":  # back to the default for the next role
        contest_of(world.election, "chair").__class__.objects.filter(election=world.election).update(
            eligibility="all", position="")


def _correction(world):
    from ajet.core import once

    return {"message": "I moved to Nagano in March.", once.FIELD: once.issue()}


def _nominating(world):
    """Nominations open for Chair; Bob (the block 3 representative) is the committee; Casey's nomination
    awaits review, Alice (the member) has stood too, and Dana stands with a photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ajet.elections import services

    slug = "nominations-open"
    world.election = Election.objects.filter(slug=slug).first()
    if world.election is None:
        world.election = make_election(world.executive, slug=slug, phase=Phase.NOMINATIONS_OPEN,
                                       posts=[national_post("chair")], committee=[world.block_rep])
        chair = contest_of(world.election, "chair")
        services.nominate(member=MemberFactory(full_name="Casey Candidate"), contest=chair, platform_en="Hi.")
        services.nominate(member=world.member, contest=chair, platform_en="Hello.")
        dana = services.nominate(member=MemberFactory(full_name="Dana Photo"), contest=chair, platform_en="Hey.",
                                 photo=SimpleUploadedFile("d.png", b"\x89PNG\r\n\x1a\n" + bytes(32)))
        services.review_nomination(by=world.block_rep.user, candidate=dana, approve=True)
    return {"slug": slug}


def _nomination_of(name):
    def kwargs(world):
        return _nominating(world) | {"candidate_id": contest_of(world.election, "chair").candidates.get(name=name).pk}
    return kwargs


def _stand_for_chair(world):
    from ajet.core import once

    chair = contest_of(world.election, "chair")
    return {"contest": chair.pk, "platform_en": "My platform.", once.FIELD: once.issue()}


def _committee_never_stood(world, role):
    from ajet.elections.models import Candidate

    assert not Candidate.objects.filter(member=world.block_rep).exists()
    assert not Candidate.objects.filter(member=world.pending).exists()


def _only_the_committee_reviewed(world, role):
    status = contest_of(world.election, "chair").candidates.get(name="Casey Candidate").status
    assert (status == "rejected") == (role == "block_rep"), (role, status)


def _only_the_nominee_withdrew(world, role):
    status = contest_of(world.election, "chair").candidates.get(name="Alice Member").status
    assert (status == "withdrawn") == (role == "member"), (role, status)


DRAFT_HIDDEN = signed_in(404, executive=200)
# A nomination awaiting review is seen by the nominee, the committee (Bob) and the executives only.
PENDING_NOMINATION = signed_in(404, executive=403, block_rep=403, attacker=404)

ROWS = [
    Row("elections:elections", everyone(200)),
    Row("elections:election", signed_in(200), kwargs=_voting),
    Row("elections:election", DRAFT_HIDDEN, kwargs=_draft),
    Row("elections:candidate", signed_in(200), kwargs=_candidate),
    Row("elections:election_create", officers_only(EXECUTIVE)),
    # Any current member on a contest's electorate may stand, except the committee and who stood already (both
    # sent back to the election).
    Row("elections:nominate", signed_in(200, pending=403, block_rep=REDIRECT, member=REDIRECT, attacker=200),
        kwargs=_nominating),
    Row("elections:nominate", signed_in(REDIRECT, pending=403), kwargs=_nominating, method="post",
        data=_stand_for_chair, verify=_committee_never_stood),
    Row("elections:nominations", officers_only(("block_rep",), attacker=403), kwargs=_nominating),
    Row("elections:review", PENDING_NOMINATION | {"block_rep": REDIRECT}, method="post",
        kwargs=_nomination_of("Casey Candidate"), data=lambda world: {"decision": "reject", "reason": "No."},
        verify=_only_the_committee_reviewed),
    Row("elections:withdraw", PENDING_NOMINATION | {"member": REDIRECT}, method="post",
        kwargs=_nomination_of("Alice Member"), verify=_only_the_nominee_withdrew),
    Row("elections:photo", signed_in(200), kwargs=_nomination_of("Dana Photo")),
    Row("elections:election_create", officers_only(EXECUTIVE, status=REDIRECT), method="post", data=_new_election,
        verify=_nobody_else_created_one),
    Row("elections:advance", officers_only(EXECUTIVE, status=REDIRECT), method="post",
        kwargs=lambda world: _election(world, Phase.NOMINATIONS_OPEN), data=_advance,
        verify=_only_executives_moved_it),
    Row("elections:question_create", DRAFT_HIDDEN, kwargs=_draft),
    Row("elections:question_create", officers_only(EXECUTIVE, status=REDIRECT), method="post",
        kwargs=lambda world: _election(world, Phase.NOMINATIONS_OPEN), data=_new_question,
        verify=_only_executives_added_a_question),
    Row("elections:electorate", DRAFT_HIDDEN, kwargs=_draft_chair),
    Row("elections:electorate", DRAFT_HIDDEN | {"executive": REDIRECT}, method="post", kwargs=_draft_chair,
        data=lambda world: {"eligibility": "position", "position": "CIR"},
        verify=_only_executives_changed_the_electorate),
    # Any current member may ask the committee to correct the roll (by e-mail, from a task).
    Row("elections:roll_correction", signed_in(200, pending=403), kwargs=_voting),
    Row("elections:roll_correction", signed_in(REDIRECT, pending=403), kwargs=_voting, method="post",
        data=_correction),
    # Every current member is on the Chair's roll; pending members may not vote.
    Row("elections:ballot", signed_in(200, pending=403), kwargs=_voting),
    Row("elections:cast", signed_in(200, pending=403), kwargs=_voting, method="post", data=_vote_for_ron),
    # Re-voting needs an election that allows it and a vote of one's own: everyone else is sent back.
    Row("elections:revote", signed_in(REDIRECT, pending=403), kwargs=_chair_contest),
    Row("elections:revote", signed_in(REDIRECT, pending=403), kwargs=_chair_contest, method="post",
        data=lambda world: {"secret": "AAAAA-BBBBB-CCCCC-DDDDD"}),
    # After the close, anyone may check the board, the files and the results.
    Row("elections:board", everyone(200), kwargs=_closed),
    Row("elections:board", everyone(404), kwargs=_voting),
    Row("elections:board_check", everyone(200), kwargs=_closed),
    Row("elections:board_file", everyone(200), kwargs=_closed),
    Row("elections:results", everyone(200), kwargs=_counted),
    Row("elections:results", everyone(404), kwargs=_closed),
    Row("elections:contest_file", everyone(200), kwargs=_contest_file),
    # The certified election's archive is for members (signed in); none before certification.
    Row("elections:result_package", signed_in(200), kwargs=lambda world: _election(world, Phase.CERTIFIED)),
    Row("elections:result_package", signed_in(404), kwargs=_counted),
]

__all__ = ["LOGIN", "MFA", "ROWS"]
