"""Referendum questions on the election's ballot: Yes / No / Abstain, a simple or two-thirds majority of votes
cast, on the same roll, secret ballots, bulletin board, result package and re-count as the contests."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.elections import queries, services
from ajet.elections.count import BallotError, Ballots, count_referendum
from ajet.elections.count.__main__ import main as count_main
from ajet.elections.models import Ballot, Candidate, Election, Participation, RollEntry
from ajet.elections.services import ElectionError
from ajet.organisation.models import Term
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory, national_post

QUESTION = "Do you approve the amendment to Article 5 of the constitution?"


def tally(yes=0, no=0, abstain=0, blank=0):
    rankings = [["Yes"]] * yes + [["No"]] * no + [["Abstain"]] * abstain + [[]] * blank
    return Ballots.from_rankings(["Yes", "No", "Abstain"], rankings)


# --- the count -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("yes", "no", "abstain", "threshold", "carried"), [
    (3, 2, 0, "simple", True),
    (2, 2, 5, "simple", False),  # a tie is not a majority
    (1, 0, 40, "simple", True),  # abstentions are not votes cast
    (2, 1, 0, "two-thirds", True),  # exactly two thirds carries
    (199, 101, 0, "two-thirds", False),  # 66.3 %
    (200, 100, 9, "two-thirds", True),
    (0, 0, 7, "simple", False),  # no votes cast: not carried
    (0, 0, 0, "two-thirds", False),
])
def test_the_threshold_is_a_majority_of_the_votes_cast(yes, no, abstain, threshold, carried):
    result = count_referendum(tally(yes, no, abstain, blank=2), threshold).as_dict()
    assert result["carried"] is carried and result["threshold"] == threshold
    assert result["winners"] == (["Yes"] if carried else ["No"])
    assert result["rounds"] == [{"tallies": {"Yes": yes, "No": no, "Abstain": abstain}, "exhausted": 2,
                                 "elected": result["winners"], "eliminated": []}]
    assert result["valid_votes"] == yes + no and result["ballots"] == yes + no + abstain + 2
    assert result["method"] == "referendum" and "Robert's Rules" in result["rules"]


def test_only_the_first_ranking_counts_and_other_names_are_refused():
    ballots = Ballots.from_rankings(["Yes", "No", "Abstain"], [["No", "Yes"], ["Yes"], ["Abstain", "No"]])
    assert count_referendum(ballots).rounds[0].tallies == {"Yes": 1, "No": 1, "Abstain": 1}
    with pytest.raises(BallotError, match="Maybe"):
        count_referendum(Ballots.from_rankings(["Yes", "Maybe"], [["Maybe"]]))


def test_the_command_line_recounts_a_referendum_file(capsys, tmp_path):
    ballots = tmp_path / "question.csv"
    ballots.write_text("Yes\nYes\nNo\nNo\nAbstain\nYes\n")  # 3 of 5 votes cast: 60 %
    assert count_main(["--method", "referendum", "--threshold", "two-thirds", str(ballots)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["carried"] is False and result["rounds"][0]["tallies"] == {"Yes": 3, "No": 2, "Abstain": 1}
    assert count_main(["--method", "referendum", str(ballots)]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == ["Yes"]


# --- on the election's ballot ----------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def election(executive):
    election = make_election(executive, posts=[national_post("chair")], phase=Election.Phase.NOMINATIONS_OPEN,
                             candidates={"chair": [MemberFactory(full_name="Alice Able")]})
    services.add_referendum_question(by=executive.user, election=election, question=QUESTION,
                                     question_ja="憲法第5条の改正を承認しますか。", threshold="two-thirds")
    return election


def question_of(election):
    return election.contests.get(post__isnull=True)


def answer(contest, name):
    return contest.candidates.get(answer=name)


def open_voting(executive, election):
    while election.phase != Election.Phase.VOTING_OPEN:
        election = services.advance_phase(by=executive.user, election=election)
    return election


@pytestmark_db
def test_adding_a_question_puts_yes_no_abstain_on_the_ballot_and_is_audited(election, executive):
    question = question_of(election)
    assert question.is_referendum and question.key == f"referendum-{question.pk}"
    assert sorted(question.candidates.values_list("answer", "name")) == [
        ("Abstain", "Abstain"), ("No", "No"), ("Yes", "Yes")]
    assert question.eligibility == "all" and question.seats == 1 and question.threshold == "two-thirds"
    entry = AuditEntry.objects.get(action="referendum.add")
    assert entry.actor == executive.user and entry.after["question"] == QUESTION


@pytestmark_db
def test_questions_are_refused_to_non_executives_after_voting_opens_and_twice(election, executive, member):
    with pytest.raises(ElectionError, match="already"):
        services.add_referendum_question(by=executive.user, election=election, question=QUESTION)
    with pytest.raises(ElectionError, match="Write the question"):
        services.add_referendum_question(by=executive.user, election=election, question="  ")
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.add_referendum_question(by=member.user, election=election, question="Another?")
    election = open_voting(executive, election)
    with pytest.raises(ElectionError, match="cannot be done now"):
        services.add_referendum_question(by=executive.user, election=election, question="Too late?")
    assert election.contests.filter(post__isnull=True).count() == 1


@pytestmark_db
def test_nobody_stands_in_a_question(election, member):
    question = question_of(election)
    assert question not in queries.contests_to_stand_in(member, election)
    with pytest.raises(ElectionError, match="no candidates"):
        services.nominate(member=member, contest=question, platform_en="Vote for me.")
    assert not Candidate.objects.filter(member=member).exists()
    assert all(nomination.is_nominee for nomination in queries.get_nominations(election))


@pytestmark_db
def test_every_current_member_is_on_the_questions_frozen_roll_and_votes_once(election, executive, member, pending):
    election = open_voting(executive, election)
    question = question_of(election)
    assert RollEntry.objects.filter(contest=question, member=member).exists()
    assert not RollEntry.objects.filter(contest=question, member=pending).exists()
    assert question.roll_size == RollEntry.objects.filter(contest=question).count() > 0
    services.cast_ballot(voter=member, contest=question, ranking=[answer(question, "Yes").pk])
    with pytest.raises(ElectionError, match="already voted"):
        services.cast_ballot(voter=member, contest=question, ranking=[answer(question, "No").pk])
    with pytest.raises(ElectionError, match="current members"):
        services.cast_ballot(voter=pending, contest=question, ranking=[answer(question, "No").pk])
    with pytest.raises(ElectionError, match="not on the electoral roll"):  # joined after the roll was frozen
        services.cast_ballot(voter=MemberFactory(), contest=question, ranking=[answer(question, "No").pk])
    assert Ballot.objects.filter(contest=question).count() == 1
    assert Participation.objects.filter(contest=question).count() == 1


@pytestmark_db
def test_two_answers_or_a_candidate_of_a_contest_are_refused_and_nothing_is_stored(election, executive, member):
    election = open_voting(executive, election)
    question, chair = question_of(election), contest_of(election, "chair")
    with pytest.raises(ElectionError, match="takes one answer"):
        services.cast_ballot(voter=member, contest=question,
                             ranking=[answer(question, "Yes").pk, answer(question, "No").pk])
    with pytest.raises(ElectionError, match="not a candidate"):
        services.cast_ballot(voter=member, contest=question, ranking=[candidate(chair, "Alice Able").pk])
    with pytest.raises(ElectionError, match="not a candidate"):
        services.cast_ballot(voter=member, contest=chair, ranking=[answer(question, "Yes").pk])
    assert Ballot.objects.count() == Participation.objects.count() == 0


@pytestmark_db
def test_the_ballot_page_asks_the_question_and_casts_the_answer(client, election, executive, member):
    election = open_voting(executive, election)
    question, chair = question_of(election), contest_of(election, "chair")
    client.force_login(member.user)
    page = client.get(reverse("elections:ballot", args=[election.slug])).content.decode()
    assert QUESTION in page and 'type="radio"' in page and f'name="c{question.pk}_1"' in page
    assert f'name="c{question.pk}_2"' not in page
    data = {f"c{question.pk}_1": str(answer(question, "No").pk),
            f"c{chair.pk}_1": str(candidate(chair, "Alice Able").pk)}
    confirm = client.post(reverse("elections:ballot", args=[election.slug]), data).content.decode()
    assert "Your answer: No" in confirm and Ballot.objects.count() == 0
    receipt = client.post(reverse("elections:cast", args=[election.slug]), data)
    assert receipt.status_code == 200
    code = Ballot.objects.get(contest=question).tracking_code
    assert code in receipt.content.decode()
    assert Ballot.objects.get(contest=question).ranking == [answer(question, "No").pk]
    member.preferred_language = "ja"
    member.save(update_fields=["preferred_language"])
    japanese = client.get(reverse("elections:election", args=[election.slug])).content.decode()
    assert "憲法第5条の改正を承認しますか。" in japanese and QUESTION not in japanese


@pytestmark_db
def test_a_forged_second_answer_field_is_ignored(client, election, executive, member):
    election = open_voting(executive, election)
    question = question_of(election)
    client.force_login(member.user)
    client.post(reverse("elections:cast", args=[election.slug]), {
        f"c{question.pk}_1": str(answer(question, "Abstain").pk), f"c{question.pk}_2": str(answer(question, "Yes").pk)})
    assert Ballot.objects.get(contest=question).ranking == [answer(question, "Abstain").pk]


@pytestmark_db
def test_counted_published_certified_and_recounted_from_the_package(client, election, executive, member, capsys,
                                                                      tmp_path):
    voters = [MemberFactory() for _ in range(9)]
    election = open_voting(executive, election)
    question = question_of(election)
    choices = ["Yes"] * 5 + ["No"] * 3 + ["Abstain"]  # 5 of 8 votes cast: 62.5 %, short of two thirds
    for voter, choice in zip(voters, choices, strict=True):
        services.cast_ballot(voter=voter, contest=question, ranking=[answer(question, choice).pk])
    chair = contest_of(election, "chair")
    services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Alice Able").pk])
    terms_before = Term.objects.count()
    while election.phase != Election.Phase.CERTIFIED:
        election = services.advance_phase(by=executive.user, election=election)
    question.refresh_from_db()
    assert question.result["carried"] is False and question.result["winners"] == ["No"]
    assert question.result["rounds"][0]["tallies"] == {"Yes": 5, "No": 3, "Abstain": 1}
    assert not question.vacant
    new_terms = Term.objects.order_by("pk")[terms_before:]
    assert [(term.post.slug, term.member.full_name) for term in new_terms] == [("chair", "Alice Able")]

    board_text = services.board_text(election)
    assert sum(line.startswith(f"{question.key}\t") for line in board_text.splitlines()) == 9
    results = client.get(reverse("elections:results", args=[election.slug])).content.decode()
    assert QUESTION in results and "Not carried." in results and "62.5%" in results

    client.force_login(member.user)
    package = client.get(reverse("elections:result_package", args=[election.slug]))
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        files = {name.removeprefix(f"{election.slug}/"): archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    entry = next(c for c in manifest["contests"] if c["post"] == question.key)
    assert entry["carried"] is False and entry["method"] == "referendum" and entry["threshold"] == "two-thirds"
    assert entry["eligible_voters"] == question.roll_size and entry["voted"] == 9
    for kind in ("csv", "blt"):
        path = tmp_path / f"question.{kind}"
        path.write_bytes(files[f"ballots/{question.key}.{kind}"])
        assert count_main(["--method", "referendum", "--threshold", "two-thirds", str(path)]) == 0
        recount = json.loads(capsys.readouterr().out)
        assert recount["winners"] == ["No"] and recount["rounds"][0]["tallies"] == {"Yes": 5, "No": 3, "Abstain": 1}


@pytestmark_db
def test_the_executive_adds_a_question_through_its_page(client, election, executive):
    from ajet.core import once

    client.force_login(executive.user)
    url = reverse("elections:question_create", args=[election.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"question": "Raise the fee?", "threshold": "simple", once.FIELD: once.issue()})
    assert response.status_code == 302
    assert election.contests.filter(question="Raise the fee?", threshold="simple").exists()
    detail = client.get(reverse("elections:election", args=[election.slug])).content.decode()
    assert "Raise the fee?" in detail and "Simple majority of votes cast" in detail
