"""One member, one response per survey, under concurrency: 30 simultaneous submissions store one."""

import pytest
from django.core.cache import cache

from ajet.voice import services
from ajet.voice.models import HasResponded, Response
from ajet.voice.services import SurveyError
from tests.concurrency import needs_postgresql, run_together
from tests.factories import MemberFactory, give_mfa, give_term, national_post
from tests.voice.fresh_counts import fresh_count, read_totals
from tests.voice.survey_factories import answers, make_survey

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ATTEMPTS = 30


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_simultaneous_submissions_by_one_member_store_exactly_one_response():
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    respondent = MemberFactory(full_name="Rita Respondent")
    survey = make_survey(erin)
    values = answers(survey)

    def work(index):
        try:
            services.submit_response(member=respondent, survey=survey, values=values)
        except SurveyError:
            return "refused"
        return "stored"

    results = run_together(ATTEMPTS, work)
    assert results.count("stored") == 1, results
    assert results.count("refused") == ATTEMPTS - 1, results
    assert Response.objects.filter(survey=survey).count() == 1
    assert HasResponded.objects.filter(survey=survey, member=respondent).count() == 1


def test_simultaneous_submissions_by_many_members_are_all_counted_in_the_totals():
    """Each submission adds to the same running totals (totals.py's upserts): none is lost, none deadlocks."""
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    survey = make_survey(erin)
    prefectures, positions = ["11", "23", "01"], ["ALT", "CIR"]
    members = [MemberFactory(prefecture_id=prefectures[index % 3], position=positions[index % 2])
               for index in range(ATTEMPTS)]
    values = [answers(survey, choice=index % 3, likert=1 + index % 5, number=index % 4, text=f"t{index}",
                      helpers=tuple(range(index % 4))) for index in range(ATTEMPTS)]

    def work(index):
        services.submit_response(member=members[index], survey=survey, values=values[index])
        return "stored"

    results = run_together(ATTEMPTS, work)
    assert results == ["stored"] * ATTEMPTS
    assert read_totals(survey) == fresh_count(survey)
    assert sum(count for _block, _position, _option, _number, count in read_totals(survey)[0][
        survey.questions.get(kind="likert").pk]) == ATTEMPTS
