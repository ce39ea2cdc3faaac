"""Writes about elections: creating them, moving their phases, the roll, casting, counting, certifying.

Every function is atomic and keyword-only. The state an action needs is checked in one place,
`require_phase`; a refused action raises `ElectionError` (its message is shown to the user) and writes
nothing. Officer actions are recorded in the audit log in the same transaction.
"""

import hashlib
import io
import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.core import audit
from ajet.core.cache import changed, member_namespace
from ajet.elections import board
from ajet.elections.count import ANSWERS, Ballots, count_irv, count_referendum, count_stv, write_blt, write_csv
from ajet.elections.electorate import (
    default_eligibility,
    freeze_rolls,
    is_eligible,
    rolls_holding,
)
from ajet.elections.models import (
    TRACKING_ALPHABET,
    Ballot,
    Candidate,
    Contest,
    Election,
    Participation,
    ResultPackage,
)
from ajet.organisation import services as organisation_services
from ajet.organisation.models import Post

Phase = Election.Phase
NEXT_PHASE = {
    Phase.DRAFT: Phase.NOMINATIONS_OPEN,
    Phase.NOMINATIONS_OPEN: Phase.NOMINATIONS_CLOSED,
    Phase.NOMINATIONS_CLOSED: Phase.VOTING_OPEN,
    Phase.VOTING_OPEN: Phase.VOTING_CLOSED,
    Phase.VOTING_CLOSED: Phase.COUNTED,
    Phase.COUNTED: Phase.CERTIFIED,
}
REOPEN_NOMINATIONS = "Re-open nominations"  # the RON pseudo-candidate's name in ballot files (shown translated)
ELECTION_FIELDS = ["title", "slug", "phase", "nominations_open_at", "nominations_close_at", "voting_open_at",
                   "voting_close_at", "opens_on_schedule", "is_rehearsal", "allow_revote", "publish_full_ballots",
                   "membership_cutoff", "term_start", "term_end"]


class ElectionError(Exception):
    """An election action that its rules or its current phase do not allow; shown to the user."""


def _require(by, perm: str, obj=None) -> None:
    if by is None or not by.has_perm(perm, obj):
        raise PermissionDenied


def require_phase(election: Election, *phases: str) -> None:
    """The one state guard: refuse any action the election's phase does not allow."""
    if election.phase not in phases:
        raise ElectionError(_("This cannot be done now: the election is in the phase “%(phase)s”.")
                            % {"phase": Election.Phase(election.phase).label})


# --- Creating ---------------------------------------------------------------------------------

EXECUTIVE_WORD_LIMIT = 400  # a platform's words for an executive post; other posts: Contest.word_limit's default


def _add_contest(*, election: Election, post: Post, order: int, seats: int = 1) -> Contest:
    extra = {"word_limit": EXECUTIVE_WORD_LIMIT} if post.kind == Post.Kind.EXECUTIVE else {}
    contest = Contest.objects.create(election=election, post=post, order=order, seats=seats,
                                     **default_eligibility(post), **extra)
    Candidate.objects.create(contest=contest, is_reopen_nominations=True, name=REOPEN_NOMINATIONS,
                             status=Candidate.Status.APPROVED)
    return contest


@transaction.atomic
def create_election(*, by, fields: dict, posts: list[Post], committee=()) -> Election:
    """Create a draft election with one contest per post (each with its RON candidate); audit-logged."""
    _require(by, "elections.add_election")
    if not posts:
        raise ElectionError(_("Choose at least one post to elect."))
    if fields["slug"] == "new" or Election.objects.filter(slug=fields["slug"]).exists():
        raise ElectionError(_("Another election already uses the short name “%(slug)s”.") % {"slug": fields["slug"]})
    election = Election.objects.create(**{**fields, "phase": Phase.DRAFT})
    election.committee.set(committee)
    for order, post in enumerate(posts):
        _add_contest(election=election, post=post, order=order)
    audit.record(actor=by, action="election.create", target=election,
                 after=audit.snapshot(election, ELECTION_FIELDS) | {"posts": [post.slug for post in posts]})
    return election


QUESTION_PHASES = (Phase.DRAFT, Phase.NOMINATIONS_OPEN, Phase.NOMINATIONS_CLOSED)  # before the roll is frozen


@transaction.atomic
def add_referendum_question(*, by, election: Election, question: str, question_ja: str = "",
                            threshold: str = Contest.Threshold.SIMPLE) -> Contest:
    """Put a referendum question on the election's ballot, answered Yes / No / Abstain by all current
    members (and the election's membership cut-off), until voting opens. Audit-logged."""
    _require(by, "elections.manage_election", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    require_phase(election, *QUESTION_PHASES)
    if not question.strip():
        raise ElectionError(_("Write the question."))
    if election.contests.filter(post__isnull=True, question=question.strip()).exists():
        raise ElectionError(_("This question is on the ballot already."))
    order = max(election.contests.values_list("order", flat=True), default=0) + 1
    contest = Contest.objects.create(election=election, post=None, question=question.strip(),
                                     question_ja=question_ja.strip(), threshold=threshold, order=order,
                                     eligibility=Contest.Eligibility.ALL_CURRENT)
    Candidate.objects.bulk_create([Candidate(contest=contest, answer=answer, name=answer,
                                             status=Candidate.Status.APPROVED) for answer in ANSWERS])
    audit.record(actor=by, action="referendum.add", target=election, target_label=str(contest),
                 after={"question": contest.question, "question_ja": contest.question_ja,
                        "threshold": contest.threshold})
    return contest


@transaction.atomic
def set_electorate(*, by, contest: Contest, eligibility: str, block=None, position: str = "") -> Contest:
    """An executive sets who may vote (and stand) in a contest or question while the election is a draft,
    e.g. the CIR Representative chosen by all members rather than by the CIRs. Audit-logged."""
    _require(by, "elections.manage_election", contest.election)
    election = Election.objects.select_for_update().get(pk=contest.election_id)
    require_phase(election, Phase.DRAFT)
    if eligibility == Contest.Eligibility.BLOCK and block is None:
        raise ElectionError(_("Choose the block whose members vote."))
    if eligibility == Contest.Eligibility.POSITION and not position:
        raise ElectionError(_("Choose the position whose members vote."))
    fields = ["eligibility", "block", "position"]
    before = audit.snapshot(contest, fields)
    contest.eligibility = eligibility
    contest.block = block if eligibility == Contest.Eligibility.BLOCK else None
    contest.position = position if eligibility == Contest.Eligibility.POSITION else ""
    contest.save(update_fields=fields)
    audit.record(actor=by, action="contest.electorate", target=election, target_label=str(contest),
                 before=before, after=audit.snapshot(contest, fields))
    return contest


def roll_correction_recipients(election: Election):
    """Who reads a member's request to correct the roll: the election committee, or, if it has none, the
    executives holding office today."""
    from ajet.organisation.models import Term
    from ajet.people.models import Member

    committee = election.committee.all()
    if committee.exists():
        return committee
    executives = Term.objects.current().filter(post__kind=Post.Kind.EXECUTIVE, post__scope=Post.Scope.NATIONAL)
    return Member.objects.filter(pk__in=executives.values("member_id"))


def _require_a_post(contest: Contest) -> None:
    if contest.is_referendum:
        raise ElectionError(_("A referendum question has no candidates: it is answered yes, no or abstain."))


@transaction.atomic
def add_candidate(*, by, contest: Contest, member, platform_en: str = "", platform_ja: str = "") -> Candidate:
    """An executive puts a member on the ballot directly (e.g. a by-election); audit-logged."""
    _require(by, "elections.manage_election", contest.election)
    require_phase(contest.election, Phase.DRAFT, Phase.NOMINATIONS_OPEN, Phase.NOMINATIONS_CLOSED)
    _require_a_post(contest)
    _check_not_on_committee(contest.election, member)
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(contest=contest, member=member, name=member.full_name,
                                                 platform_en=platform_en, platform_ja=platform_ja,
                                                 status=Candidate.Status.APPROVED)
    except IntegrityError:
        raise ElectionError(_("%(name)s is already a candidate in this contest.")
                            % {"name": member.full_name}) from None
    audit.record(actor=by, action="candidate.add", target=candidate, target_label=f"{contest}: {candidate}")
    return candidate


def _check_not_on_committee(election: Election, member) -> None:
    if election.committee.filter(pk=member.pk).exists():
        raise ElectionError(_("A member of the election committee cannot stand in the election."))


# --- Nominations -------------------------------------------------------------------------------

def platform_problem(contest: Contest, platform_en: str, platform_ja: str) -> str | None:
    """Why the platform is too long for `contest`, or None. English counts words; Japanese, written
    without spaces, may have two characters per word of the limit."""
    if len(platform_en.split()) > contest.word_limit:
        return _("Keep the English platform to %(limit)d words.") % {"limit": contest.word_limit}
    if len("".join(platform_ja.split())) > 2 * contest.word_limit:
        return _("Keep the Japanese platform to %(limit)d characters.") % {"limit": 2 * contest.word_limit}
    return None


@transaction.atomic
def nominate(*, member, contest: Contest, platform_en: str, platform_ja: str = "", photo=None) -> Candidate:
    """`member` stands in `contest` while nominations are open; the nomination awaits the committee.

    Refused (nothing stored) for a member off the contest's electorate, on the committee, already
    nominated in it, or with a platform over the contest's word limit. `photo` must be a checked
    upload (photos.check_photo_upload); it is stored under a random name.
    """
    election = Election.objects.select_for_update().get(pk=contest.election_id)
    require_phase(election, Phase.NOMINATIONS_OPEN)
    contest.election = election
    _require_a_post(contest)
    if member is None or not member.is_current:
        raise ElectionError(_("Only confirmed, current members can stand."))
    _check_not_on_committee(election, member)
    if not is_eligible(member, contest):
        raise ElectionError(_("Only members who may vote for %(post)s can stand for it.") % {"post": contest.name})
    problem = platform_problem(contest, platform_en, platform_ja)
    if problem:
        raise ElectionError(problem)
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(contest=contest, member=member, name=member.full_name,
                                                 platform_en=platform_en, platform_ja=platform_ja,
                                                 status=Candidate.Status.NOMINATED)
    except IntegrityError:
        raise ElectionError(_("You have already stood for %(post)s in this election.")
                            % {"post": contest.name}) from None
    if photo is not None:
        candidate.photo.save(photo.name, photo, save=False)
        candidate.save(update_fields=["photo"])
    return candidate


@transaction.atomic
def review_nomination(*, by, candidate: Candidate, approve: bool, reason: str = "") -> Candidate:
    """A committee member approves a nomination (the candidate goes on the ballot) or rejects it with a
    reason. Audit-logged; the nominee is e-mailed by a background task once the change is committed."""
    from ajet.elections import tasks

    election = candidate.contest.election
    _require(by, "elections.review_nomination", election)
    require_phase(election, Phase.NOMINATIONS_OPEN, Phase.NOMINATIONS_CLOSED)
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("contest__post", "member").get(
        pk=candidate.pk)
    if candidate.status != Candidate.Status.NOMINATED:
        raise ElectionError(_("This nomination has been dealt with already."))
    if not approve and not reason.strip():
        raise ElectionError(_("Give the candidate a reason."))
    before = {"status": candidate.status}
    candidate.status = Candidate.Status.APPROVED if approve else Candidate.Status.REJECTED
    candidate.reason = "" if approve else reason.strip()
    candidate.save(update_fields=["status", "reason"])
    audit.record(actor=by, action="candidate.review", target=candidate,
                 target_label=f"{candidate.contest}: {candidate}", before=before,
                 after={"status": candidate.status, "reason": candidate.reason})
    transaction.on_commit(lambda: tasks.notify_nominee.enqueue(candidate_id=candidate.pk))
    return candidate


@transaction.atomic
def withdraw(*, by, candidate: Candidate) -> Candidate:
    """The candidate withdraws their own nomination, until voting opens."""
    _require(by, "elections.withdraw", candidate)
    require_phase(candidate.contest.election, Phase.DRAFT, Phase.NOMINATIONS_OPEN, Phase.NOMINATIONS_CLOSED)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status in (Candidate.Status.WITHDRAWN, Candidate.Status.REJECTED):
        raise ElectionError(_("This nomination is no longer standing."))
    candidate.status = Candidate.Status.WITHDRAWN
    candidate.save(update_fields=["status"])
    return candidate


# --- Phases -------------------------------------------------------------------------------------

@transaction.atomic
def advance_phase(*, by, election: Election, expected: str | None = None) -> Election:
    """Move the election to its next phase; `by` is the executive, or None for the schedule.

    Entering "voting open" freezes the rolls; "voting closed" seals the ballot box (random order, board
    hash); "counted" counts every contest; "certified" creates the winners' terms (see `certify`).
    `expected` refuses the move if someone else moved the election meanwhile. Audit-logged.
    """
    if by is not None:
        _require(by, "elections.manage_election", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if expected is not None and election.phase != expected:
        raise ElectionError(_("The election has moved on meanwhile; look at it again."))
    if election.phase not in NEXT_PHASE:
        raise ElectionError(_("The election is finished."))
    before = election.phase
    target = NEXT_PHASE[before]
    if target == Phase.VOTING_OPEN:
        freeze_rolls(election)
    elif target == Phase.VOTING_CLOSED:
        seal_ballot_box(election)
    elif target == Phase.COUNTED:
        for contest in election.contests.select_related("post"):
            count_contest(contest, seed=election.seed)
    elif target == Phase.CERTIFIED:
        if by is None:
            raise ElectionError(_("Only an executive certifies a result."))
        _create_terms(by=by, election=election)
    election.phase = target
    update = ["phase"]
    if target == Phase.VOTING_CLOSED:
        election.board_hash = board_hash(election)
        update.append("board_hash")
    election.save(update_fields=update)
    audit.record(actor=by, action="election.certify" if target == Phase.CERTIFIED else "election.phase",
                 target=election, before={"phase": before}, after={"phase": target})
    if target == Phase.CERTIFIED:
        build_result_package(by=by, election=election)
    return election


SCHEDULE = {  # phase → the date field after which the schedule moves it on (drafts: if they open on schedule)
    Phase.DRAFT: "nominations_open_at",
    Phase.NOMINATIONS_OPEN: "nominations_close_at",
    Phase.NOMINATIONS_CLOSED: "voting_open_at",
    Phase.VOTING_OPEN: "voting_close_at",
}


def advance_due_phases(now=None) -> list[tuple[str, str]]:
    """Move every election whose dates have passed, as far as its dates allow, then count closed ones.
    Returns (slug, phase) for every move. A draft moves only if it opens on schedule (`opens_on_schedule`);
    a published election in "nominations open" whose opening date has not come yet stays where an executive
    put it."""
    now = now or timezone.now()
    moves = []
    elections = (Election.objects.exclude(phase__in=[Phase.DRAFT, Phase.COUNTED, Phase.CERTIFIED])
                 | Election.objects.filter(phase=Phase.DRAFT, opens_on_schedule=True))
    for election in elections:
        while True:
            field = SCHEDULE.get(election.phase)
            due = election.phase == Phase.VOTING_CLOSED or (field and getattr(election, field) <= now)
            if not due:
                break
            election = advance_phase(by=None, election=election, expected=election.phase)
            moves.append((election.slug, election.phase))
    return moves


def _create_terms(*, by, election: Election) -> None:
    """Certification: each contest's winners get their terms (not in a rehearsal); RON winning leaves
    the post vacant and flagged for a by-election."""
    for contest in election.contests.filter(post__isnull=False).select_related("post"):
        winners = (contest.result or {}).get("winners", [])
        contest.vacant = REOPEN_NOMINATIONS in winners
        contest.save(update_fields=["vacant"])
        if election.is_rehearsal:
            continue
        by_name = {candidate.name: candidate for candidate in contest.candidates.filter(
            is_reopen_nominations=False, member__isnull=False).select_related("member")}
        for name in winners:
            candidate = by_name.get(name)
            if candidate is not None:
                organisation_services.appoint(by=by, post=contest.post, member=candidate.member,
                                              start=election.term_start, end=election.term_end)


def certify(*, by, election: Election) -> Election:
    """An executive certifies a counted election (see `advance_phase`)."""
    require_phase(election, Phase.COUNTED)
    return advance_phase(by=by, election=election, expected=Phase.COUNTED)


# --- Casting ------------------------------------------------------------------------------------

def _check_ranking(contest: Contest, ranking: list, on_ballot: set[int]) -> list[int]:
    """`ranking` as candidate ids, refused unless each is a different candidate on `contest`'s ballot
    (`on_ballot`: their ids)."""
    if contest.is_referendum and len(ranking) > 1:
        raise ElectionError(_("The question “%(question)s” takes one answer.") % {"question": contest.name})
    cleaned = []
    for item in ranking:
        try:
            candidate_id = int(item)
        except (TypeError, ValueError):
            raise ElectionError(_("The ballot names something that is not a candidate.")) from None
        if candidate_id not in on_ballot:
            raise ElectionError(_("The ballot for %(contest)s names someone who is not a candidate in it.")
                                % {"contest": contest.name})
        if candidate_id in cleaned:
            raise ElectionError(_("The ballot for %(contest)s ranks the same candidate twice.")
                                % {"contest": contest.name})
        cleaned.append(candidate_id)
    return cleaned


def _candidates_on_ballot(contests: list[Contest]) -> dict[int, set[int]]:
    """Contest id → the ids of its candidates on the ballot: from the contests' `ballot_candidates` when
    they come from queries.get_election (cached under the elections' data version; candidates cannot change
    once voting is open), else in one query."""
    on_ballot = {contest.pk: {candidate.pk for candidate in contest.ballot_candidates}
                 for contest in contests if hasattr(contest, "ballot_candidates")}
    missing = [contest.pk for contest in contests if contest.pk not in on_ballot]
    if missing:
        on_ballot |= {pk: set() for pk in missing}
        for contest_id, candidate_id in Candidate.objects.filter(on_ballot_filter(), contest_id__in=missing) \
                .values_list("contest_id", "pk"):
            on_ballot[contest_id].add(candidate_id)
    return on_ballot


def on_ballot_filter():
    from django.db.models import Q

    return Q(is_reopen_nominations=True) | Q(status=Candidate.Status.APPROVED)


def _lock_voting_window(election: Election) -> Election:
    """Read the election's phase and closing time again in the current transaction, and hold a share lock
    on its row until the transaction ends: closing the vote (advance_phase, which locks the row for update)
    waits for the ballots being cast, and a ballot cast after it sees the closed phase. A key-share lock
    does not block other voters. (SQLite runs one writing transaction at a time: a plain read does.)"""
    if transaction.get_connection().vendor == "postgresql":
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(f"SELECT phase, voting_close_at FROM {Election._meta.db_table} "  # noqa: S608
                           "WHERE id = %s FOR KEY SHARE", [election.pk])
            election.phase, election.voting_close_at = cursor.fetchone()
    else:
        election.phase, election.voting_close_at = Election.objects.filter(pk=election.pk).values_list(
            "phase", "voting_close_at").get()
    return election


def _check_voting_open(election: Election) -> None:
    require_phase(election, Phase.VOTING_OPEN)
    if timezone.now() >= election.voting_close_at:
        raise ElectionError(_("Voting has closed."))


def _check_voter(voter, contests: list[Contest]) -> None:
    """Raise ElectionError unless `voter` is a current member on the frozen roll of every contest (one query)."""
    if voter is None or not voter.is_current:
        raise ElectionError(_("Only confirmed, current members can vote."))
    on_roll = rolls_holding(voter, contests)
    for contest in contests:
        if contest.pk not in on_roll:
            raise ElectionError(_("You are not on the electoral roll for %(contest)s.") % {"contest": contest.name})


def check_can_vote(voter, contest: Contest) -> None:
    """Raise ElectionError unless `voter` may cast a ballot in `contest` now. In a transaction, the election's
    phase is read again and held (see `_lock_voting_window`) until it ends."""
    _check_voting_open(_lock_voting_window(contest.election))
    _check_voter(voter, [contest])


def new_revote_secret() -> str:
    """A secret for re-voting: 20 characters of the tracking codes' alphabet (100 random bits)."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(20))
    return "-".join(raw[i:i + 5] for i in range(0, 20, 5))


def revote_hash(secret: str) -> str:
    normalised = "".join(secret.upper().split()).replace("-", "")
    return hashlib.sha256(f"ajet-revote:{normalised}".encode()).hexdigest()


def cast_ballot(*, voter, contest: Contest, ranking: list, revote_secret: str | None = None) -> str:
    """Record `voter`'s ranked ballot (candidate ids, first choice first) in `contest`; return its tracking
    code. See `cast_ballots`."""
    return cast_ballots(voter=voter, rankings={contest: ranking},
                        revote_secrets={contest: revote_secret} if revote_secret else None)[contest]


def cast_ballots(*, voter, rankings: dict[Contest, list], revote_secrets: dict | None = None) -> dict[Contest, str]:
    """Cast `voter`'s ballots in several contests of one election at once, all or nothing; return each
    contest's tracking code. `revote_secrets` (contest → secret) is kept as hashes when the election allows
    re-voting.

    In one transaction: the election's phase is read and share-locked (no ballot lands after the close),
    the roll is checked for every contest in one query, then one insert writes the Participations (member,
    contest, day) and one the Ballots, which have no link to the voter. A second vote in a contest is
    refused by the database constraint, even when sent at the same moment. Nothing is stored on error.
    """
    if not rankings:
        raise ElectionError(_("Rank at least one candidate in one contest."))
    contests = list(rankings)
    if len({contest.election_id for contest in contests}) > 1:
        raise ElectionError(_("A ballot holds the contests of one election."))
    revote_secrets = revote_secrets or {}
    try:
        # The outermost transaction of a request (no savepoint); a savepoint only inside a caller's own.
        with transaction.atomic():
            election = _lock_voting_window(contests[0].election)
            _check_voting_open(election)
            _check_voter(voter, contests)
            on_ballot = _candidates_on_ballot(contests)
            cleaned = {contest: _check_ranking(contest, rankings[contest], on_ballot[contest.pk])
                       for contest in contests}
            day = timezone.localdate()
            Participation.objects.bulk_create([Participation(member=voter, contest=contest, day=day)
                                               for contest in contests])
            ballots = Ballot.objects.bulk_create([Ballot(
                contest=contest, ranking=cleaned[contest],
                revote_hash=revote_hash(revote_secrets[contest])
                if revote_secrets.get(contest) and election.allow_revote else "") for contest in contests])
            # bulk_create sends no signal: the member's own cached pages (the "Vote now" panel) learn it here.
            changed(member_namespace("elections", voter.pk))
    except IntegrityError:
        voted = set(Participation.objects.filter(member=voter, contest__in=contests)
                    .values_list("contest_id", flat=True))
        contest = next((contest for contest in contests if contest.pk in voted), None)
        if contest is None:
            raise  # not a second vote (a tracking code drawn twice, one in 2**60): the request fails
        raise ElectionError(_("You have already voted in %(contest)s.") % {"contest": contest.name}) from None
    return {ballot.contest: ballot.tracking_code for ballot in ballots}


@transaction.atomic
def revote(*, voter, contest: Contest, secret: str, ranking: list) -> str:
    """Replace the ballot whose re-vote secret is `secret` with `ranking`; return its tracking code.

    Only while voting is open, in an election that allows re-voting, for a member on the roll who has
    voted in the contest. The ballot is found by the secret's hash alone: nothing stored says whose it is.
    Nothing changes on error.
    """
    check_can_vote(voter, contest)
    if not contest.election.allow_revote:
        raise ElectionError(_("This election does not allow re-voting."))
    if not Participation.objects.filter(member=voter, contest=contest).exists():
        raise ElectionError(_("You have not voted in %(contest)s yet.") % {"contest": contest.name})
    cleaned = _check_ranking(contest, ranking, _candidates_on_ballot([contest])[contest.pk])
    ballot = Ballot.objects.select_for_update().filter(contest=contest, revote_hash=revote_hash(secret)).first()
    if ballot is None or not secret.strip():
        raise ElectionError(_("This re-vote secret does not match a ballot in %(contest)s.")
                            % {"contest": contest.name})
    ballot.ranking = cleaned
    ballot.save(update_fields=["ranking"])
    return ballot.tracking_code


# --- After the close: the sealed box, the board, the count --------------------------------------

def seal_ballot_box(election: Election) -> None:
    """Rewrite each contest's ballots in a random order, in this one transaction, so that neither the
    storage order nor the database's row versions keep the order in which they were cast."""
    shuffle = secrets.SystemRandom().shuffle
    for contest in election.contests.all():
        rows = list(Ballot.objects.filter(contest=contest).values_list("id", "ranking", "tracking_code"))
        shuffle(rows)
        Ballot.objects.filter(contest=contest).delete()
        Ballot.objects.bulk_create([Ballot(id=pk, contest=contest, ranking=ranking, tracking_code=code)
                                    for pk, ranking, code in rows], batch_size=1000)  # re-vote hashes dropped


def candidate_names(contest: Contest) -> dict[int, str]:
    """Candidate id → the unique name that ballot files and results use."""
    names: dict[int, str] = {}
    for candidate in contest.candidates.filter(on_ballot_filter()).order_by("is_reopen_nominations", "name", "pk"):
        name = candidate.name
        if name in names.values():
            name = f"{name} ({candidate.pk})"
        names[candidate.pk] = name
    return names


def published_ballots(contest: Contest) -> list[tuple[str, list[str]]]:
    """(tracking code, ranking as names) of every ballot, ordered by tracking code (random, unrelated to
    casting order): the bulletin board's order."""
    names = candidate_names(contest)
    return [(code, [names[pk] for pk in ranking if pk in names])
            for code, ranking in contest.ballots.order_by("tracking_code").values_list("tracking_code", "ranking")]


def board_ballot_lines(election: Election) -> list[str]:
    """The bulletin board's ballot lines in board order: `post<TAB>code<TAB>ranking` (names joined by
    ` > `), or `post<TAB>code` when the election publishes no full ballots."""
    lines = []
    for contest in election.contests.select_related("post").order_by("order", "pk"):
        for code, ranking in published_ballots(contest):
            if election.publish_full_ballots:
                lines.append(f"{contest.key}\t{code}\t{' > '.join(ranking)}")
            else:
                lines.append(f"{contest.key}\t{code}")
    return lines


def board_text(election: Election) -> str:
    """The bulletin board as one text file: a title line, the ballot lines, and the chain head (see
    ajet/elections/board.py, which also checks a downloaded file)."""
    lines = board_ballot_lines(election)
    return "\n".join([f"# {election.title} ({election.slug})", *lines,
                       board.HEAD_PREFIX + board.chain_head(lines)]) + "\n"


def board_hash(election: Election) -> str:
    """The hash chain's head over the board's ballot lines (ajet/elections/board.py), published at close."""
    return board.chain_head(board_ballot_lines(election))


def ballots_for_count(contest: Contest) -> Ballots:
    names = candidate_names(contest)
    rankings = [ranking for _code, ranking in published_ballots(contest)]
    return Ballots.from_rankings(list(names.values()), rankings, title=str(contest))


def ballot_file(contest: Contest, kind: str) -> str:
    out = io.StringIO()
    if kind == "blt":
        write_blt(ballots_for_count(contest), out, seats=contest.seats)
    else:
        write_csv(ballots_for_count(contest), out)
    return out.getvalue()


def count_method(contest: Contest) -> str:
    """The `--method` that re-counts the contest's ballot file."""
    if contest.is_referendum:
        return "referendum"
    return "irv" if contest.seats == 1 else "stv"


def count_contest(contest: Contest, *, seed: int) -> dict:
    """Count the contest's ballots (IRV for one seat, STV for more, a referendum question by its
    threshold) and store the result."""
    ballots = ballots_for_count(contest)
    if contest.is_referendum:
        result = count_referendum(ballots, contest.threshold, seed=seed)
    elif contest.seats == 1:
        result = count_irv(ballots, seed=seed)
    else:
        result = count_stv(ballots, contest.seats, seed=seed)
    contest.result = result.as_dict()
    contest.save(update_fields=["result"])
    return contest.result


# --- The result package ---------------------------------------------------------------------------

def software_version() -> str:
    """`git describe` of the running code when it is a git checkout, else the installed package's version."""
    import subprocess
    from importlib import metadata
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    try:
        described = subprocess.run(["git", "describe", "--always", "--dirty", "--tags"], cwd=root,  # noqa: S607
                                   capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        described = ""
    if described:
        return f"git {described}"
    try:
        return f"ajet-nexus {metadata.version('ajet-nexus')}"
    except metadata.PackageNotFoundError:
        return "unknown"


def _signer_name(user) -> str:
    member = getattr(user, "member", None)
    return member.full_name if member is not None else str(user)


def result_package_files(*, by, election: Election) -> dict[str, bytes]:
    """The files of the election's result package, by name (see `build_result_package`)."""
    import json
    import random

    shuffle = random.SystemRandom().shuffle
    files: dict[str, bytes] = {}
    contests = []
    for contest in election.contests.select_related("post").order_by("order", "pk"):
        slug = contest.key
        if election.publish_full_ballots:
            names = candidate_names(contest)
            rankings = [[names[pk] for pk in ranking if pk in names]
                        for ranking in contest.ballots.values_list("ranking", flat=True)]
            shuffle(rankings)  # anonymised and in a random order: no tracking codes, no stored order
            ballots = Ballots.from_rankings(list(names.values()), rankings, title=str(contest))
            blt, csv = io.StringIO(), io.StringIO()
            write_blt(ballots, blt, seats=contest.seats)
            write_csv(ballots, csv)
            files[f"ballots/{slug}.blt"] = blt.getvalue().encode()
            files[f"ballots/{slug}.csv"] = csv.getvalue().encode()
        files[f"results/{slug}.json"] = json.dumps(contest.result, ensure_ascii=False, indent=2).encode()
        contests.append({"post": slug, "name": contest.question if contest.is_referendum else contest.post.name,
                         "seats": contest.seats, "method": count_method(contest), "eligible_voters": contest.roll_size,
                         "voted": contest.participations.count(), "ballots": contest.ballots.count(),
                         "winners": (contest.result or {}).get("winners", []), "left_vacant": contest.vacant}
                        | ({"threshold": contest.threshold, "carried": (contest.result or {}).get("carried")}
                           if contest.is_referendum else {}))
    files["board.txt"] = board_text(election).encode()
    manifest = {
        "election": election.title, "slug": election.slug, "rehearsal": election.is_rehearsal,
        "seed": election.seed, "board_hash_chain_head": election.board_hash,
        "full_ballots_published": election.publish_full_ballots, "software": software_version(),
        "certified_by": _signer_name(by), "certified_at": timezone.localtime().isoformat(timespec="seconds"),
        "committee": sorted(member.full_name for member in election.committee.all()),
        "contests": contests,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    return files


def build_result_package(*, by, election: Election) -> ResultPackage:
    """Archive the certified election as one zip in the database (called by certification, in its
    transaction). Re-count it with `python -m ajet.elections.count --method irv|stv --seed SEED FILE`."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in result_package_files(by=by, election=election).items():
            archive.writestr(f"{election.slug}/{name}", data)
    data = buffer.getvalue()
    package, _created = ResultPackage.objects.update_or_create(
        election=election, defaults={"archive": data, "sha256": hashlib.sha256(data).hexdigest()})
    audit.record(actor=by, action="election.package", target=election, after={"sha256": package.sha256})
    return package
