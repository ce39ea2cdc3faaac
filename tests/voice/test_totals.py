"""The running totals (ajet/voice/totals.py) the results are read from equal a fresh count over the answers
after any mix of submissions and erasures, and rebuild_totals counts the same as the increments."""

import random
import uuid

import pytest

from ajet.core.personal_data import erase_personal_data
from ajet.voice import services, totals
from ajet.voice.models import Answer, AnswerTotal, Question, Response
from ajet.voice.results import survey_results
from tests.factories import MemberFactory
from tests.voice.fresh_counts import fresh_count, read_totals
from tests.voice.survey_factories import answers, make_survey

pytestmark = pytest.mark.django_db(databases=["default", "support"])  # erasure reaches the PSG database too

PREFECTURES = ["11", "23", "01", "13", "47"]
POSITIONS = ["ALT", "ALT", "CIR", "SEA", "OTHER"]


def random_answers(survey, rng: random.Random) -> dict:
    return answers(survey, choice=rng.randrange(3), likert=rng.randint(1, 5), number=rng.choice([0, 1, 7, 7, 200]),
                   text=rng.choice(["", "", "words", "other words"]),
                   helpers=tuple(rng.sample(range(3), rng.randint(0, 3))))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_totals_equal_a_fresh_count_after_random_submissions_and_erasures(executive, seed):
    rng = random.Random(seed)
    attributed = make_survey(executive, anonymous=False)
    anonymous = make_survey(executive, title_en="Anonymous one")
    respondents = []
    for _step in range(24):
        if respondents and rng.random() < 0.25:  # erasure: the attributed response goes, the anonymous stays
            erase_personal_data(respondents.pop(rng.randrange(len(respondents))).user)
        else:
            member = MemberFactory(prefecture_id=rng.choice(PREFECTURES), position=rng.choice(POSITIONS))
            for survey in (attributed, anonymous):
                if rng.random() < 0.8:
                    services.submit_response(member=member, survey=survey, values=random_answers(survey, rng))
            respondents.append(member)
        for survey in (attributed, anonymous):
            assert read_totals(survey) == fresh_count(survey)
    assert not AnswerTotal.objects.filter(count__lte=0).exists()  # none a fresh count would not have


def test_erasing_every_respondent_leaves_no_totals(executive):
    survey = make_survey(executive, anonymous=False)
    members = [MemberFactory(prefecture_id=prefecture) for prefecture in ("11", "23")]
    for member in members:
        services.submit_response(member=member, survey=survey, values=answers(survey, text="said", helpers=(0, 2)))
    assert AnswerTotal.objects.filter(survey=survey, of_respondents=True).get(block=3).count == 1
    for member in members:
        erase_personal_data(member.user)
    assert not AnswerTotal.objects.filter(survey=survey).exists()
    assert all(result.overall.respondents is None for result in survey_results(survey))  # suppressed: nobody


def test_rebuild_counts_what_the_increments_counted_including_respondents_without_a_block(executive):
    survey = make_survey(executive, anonymous=False)
    rng = random.Random(4)
    for _index in range(12):
        member = MemberFactory(prefecture_id=rng.choice(PREFECTURES), position=rng.choice(POSITIONS))
        services.submit_response(member=member, survey=survey, values=random_answers(survey, rng))
    # A respondent whose prefecture had no block that day, written as the services write one.
    single = survey.questions.get(kind=Question.Kind.SINGLE)
    multiple = survey.questions.get(kind=Question.Kind.MULTIPLE)
    response = Response.objects.create(survey=survey, block=None, position="ALT")
    written = Answer.objects.bulk_create([
        Answer(response=response, question=single, option=single.options.first()),
        *(Answer(response=response, question=multiple, option=option) for option in multiple.options.all()),
        Answer(response=response, question=survey.questions.get(kind=Question.Kind.NUMBER), number=0)])
    totals.add_response(response, written, multiple={multiple.pk})
    incremented = read_totals(survey)
    assert incremented == fresh_count(survey)
    assert incremented[1][multiple.pk][(None, "ALT")] == 1
    assert (None, "ALT", None, 0, 1) in incremented[0][survey.questions.get(kind=Question.Kind.NUMBER).pk]
    stored = sorted(AnswerTotal.objects.values_list("question_id", "block", "position", "of_respondents", "value",
                                                    "count"))
    AnswerTotal.objects.all().delete()
    totals.rebuild_totals(survey.pk)
    assert sorted(AnswerTotal.objects.values_list("question_id", "block", "position", "of_respondents", "value",
                                                  "count")) == stored
    totals.rebuild_totals(survey.pk)  # again: replaces, does not add
    assert read_totals(survey) == incremented


def test_rebuild_reads_answers_written_straight_into_the_tables(executive):
    """As bench/voice.py writes them: no increments, then one rebuild."""
    survey = make_survey(executive)
    likert = survey.questions.get(kind=Question.Kind.LIKERT)
    text = survey.questions.get(kind=Question.Kind.LONG_TEXT)
    for index in range(7):
        response = Response.objects.create(id=uuid.uuid4(), survey=survey, block=[3, 5, None][index % 3],
                                           position="ALT")
        Answer.objects.create(response=response, question=likert, number=1 + index % 2)
        Answer.objects.create(response=response, question=text, text=f"text {index}")
    assert read_totals(survey) == ({}, {})
    totals.rebuild_totals(survey.pk)
    assert read_totals(survey) == fresh_count(survey)
    assert read_totals(survey)[0][text.pk] == sorted([(3, "ALT", None, None, 3), (5, "ALT", None, None, 2),
                                                      (None, "ALT", None, None, 2)], key=repr)


def test_results_read_the_totals_not_the_answers(client, executive):
    survey = make_survey(executive, anonymous=False)
    for index in range(6):
        services.submit_response(member=MemberFactory(), survey=survey, values=answers(survey, likert=1 + index % 5))
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        found = survey_results(survey, text_limit=0)
    assert found[2].overall.counts == [2, 1, 1, 1, 1]
    assert not [query for query in queries.captured_queries if 'FROM "voice_answer"' in query["sql"]]


def test_deleting_a_survey_deletes_its_totals(executive, member):
    survey = make_survey(executive)
    services.submit_response(member=member, survey=survey, values=answers(survey))
    assert AnswerTotal.objects.filter(survey=survey).exists()
    survey.delete()
    assert not AnswerTotal.objects.exists()


def test_erased_answers_do_not_come_back_from_the_cache_when_the_number_of_responses_does(
        executive, django_capture_on_commit_callbacks):
    """The cached results are kept under the number of responses: an erasure lowers it and the next response
    brings it back, so the entry kept before the erasure (with the erased answers) must be gone."""
    from django.core.cache import cache

    cache.clear()
    survey = make_survey(executive, anonymous=False)  # attributed: live results, erasable responses
    members = [MemberFactory() for _index in range(6)]
    for index, member in enumerate(members):
        services.submit_response(member=member, survey=survey, values=answers(survey, likert=1 + index % 5,
                                                                              text=f"said {index}"))
    before = survey_results(survey, text_limit=100)
    assert "said 0" in before[-1].texts and before[2].overall.respondents == 6
    with django_capture_on_commit_callbacks(execute=True):  # the cache is cleared once the erasure commits
        erase_personal_data(members[0].user)
    services.submit_response(member=MemberFactory(), survey=survey, values=answers(survey, likert=5,
                                                                                   text="said late"))
    after = survey_results(survey, text_limit=100)
    assert "said 0" not in after[-1].texts and "said late" in after[-1].texts
    assert after[2].overall.counts == [1, 1, 1, 1, 2]  # the erased 1 gone, the late 5 in
