"""Answering a survey: drafts, one submission, and bad input refused with a clear message and nothing stored."""

import re

import pytest
from django.urls import reverse

from ajet.voice import services
from ajet.voice.models import Answer, Draft, HasResponded, Question, Response
from ajet.voice.services import SurveyError
from tests.factories import MemberFactory
from tests.voice.survey_factories import answers, make_survey, question

pytestmark = pytest.mark.django_db


def _nothing_stored(survey):
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.filter(question__survey=survey).exists()
    assert not HasResponded.objects.filter(survey=survey).exists()


def test_submit_stores_every_kind_of_answer(executive, member):
    survey = make_survey(executive)
    services.submit_response(member=member, survey=survey, values=answers(survey, choice=2, helpers=(0, 2),
                                                                          text="More training"))
    stored = Answer.objects.filter(question__survey=survey)
    assert stored.filter(question__kind=Question.Kind.MULTIPLE).count() == 2
    assert stored.get(question__kind=Question.Kind.SINGLE).option.text_en == "Heavy"
    assert stored.get(question__kind=Question.Kind.LIKERT).number == 4
    assert stored.get(question__kind=Question.Kind.LONG_TEXT).text == "More training"


def test_a_second_submission_is_refused(executive, member):
    survey = make_survey(executive)
    services.submit_response(member=member, survey=survey, values=answers(survey))
    with pytest.raises(SurveyError, match="already answered"):
        services.submit_response(member=member, survey=survey, values=answers(survey, choice=1))
    assert Response.objects.filter(survey=survey).count() == 1


@pytest.mark.parametrize(("change", "message"), [
    ("missing", "needs an answer"),
    ("likert", "from 1 to 5"),
    ("likert_zero", "from 1 to 5"),
    ("likert_true", "from 1 to 5"),  # True == 1 in Python: refused all the same
    ("likert_text", "from 1 to 5"),
    ("number", "at most 200"),
    ("huge", "between"),
    ("other_option", "options"),
    ("unknown_question", "not in this survey"),
])
def test_bad_answers_are_refused_and_nothing_is_stored(executive, member, change, message):
    survey = make_survey(executive)
    other = make_survey(executive)
    values = answers(survey)
    single = str(question(survey, Question.Kind.SINGLE).pk)
    if change == "missing":
        values[single] = None
    elif change.startswith("likert"):
        values[str(question(survey, Question.Kind.LIKERT).pk)] = {"likert": 6, "likert_zero": 0, "likert_true": True,
                                                                  "likert_text": "4"}[change]
    elif change == "number":
        values[str(question(survey, Question.Kind.NUMBER).pk)] = 201
    elif change == "huge":
        number = question(survey, Question.Kind.NUMBER)
        Question.objects.filter(pk=number.pk).update(min_value=None, max_value=None)
        values[str(number.pk)] = 10**20
    elif change == "other_option":
        values[single] = question(other, Question.Kind.SINGLE).options.first().pk
    else:
        values[str(question(other, Question.Kind.SINGLE).pk)] = question(other, Question.Kind.SINGLE).options.first().pk
    with pytest.raises(SurveyError, match=message):
        services.submit_response(member=member, survey=survey, values=values)
    _nothing_stored(survey)


@pytest.mark.parametrize("who", ["outside", "pending"])
def test_members_outside_the_audience_and_pending_members_are_refused(executive, who, pending):
    survey = make_survey(executive, audience="block", block_id=5)
    person = pending if who == "pending" else MemberFactory()  # Saitama: block 3
    message = "current members" if who == "pending" else "not addressed to you"
    with pytest.raises(SurveyError, match=message):
        services.submit_response(member=person, survey=survey, values=answers(survey))
    with pytest.raises(SurveyError, match=message):
        services.save_draft(member=person, survey=survey, values=answers(survey))
    _nothing_stored(survey)
    assert not Draft.objects.exists()


@pytest.mark.parametrize("state", ["closed", "upcoming"])
def test_a_survey_not_open_is_refused(executive, member, state):
    survey = make_survey(executive, state=state)
    with pytest.raises(SurveyError, match="not open"):
        services.submit_response(member=member, survey=survey, values=answers(survey))
    _nothing_stored(survey)


def test_questions_cannot_change_after_the_first_response(executive, member):
    survey = make_survey(executive)
    services.submit_response(member=member, survey=survey, values=answers(survey))
    with pytest.raises(SurveyError, match="can no longer be changed"):
        services.add_section(by=executive.user, survey=survey, title_en="More")
    with pytest.raises(SurveyError, match="can no longer be changed"):
        services.add_question(by=executive.user, survey=survey, section=survey.sections.get(),
                              kind=Question.Kind.SHORT_TEXT, text_en="Late question")


def test_a_block_rep_cannot_address_another_block(block_rep):
    with pytest.raises(SurveyError, match="members you serve"):
        make_survey(block_rep, audience="block", block_id=5)
    assert make_survey(block_rep, audience="block", block_id=3).scope.block == 3


def test_the_page_saves_a_draft_then_submits_once(client, executive, member):
    survey = make_survey(executive)
    single = question(survey, Question.Kind.SINGLE)
    url = reverse("voice:survey", args=[survey.pk])
    client.force_login(member.user)
    first = single.options.first()
    response = client.post(url, {f"q{single.pk}": first.pk, "save": "1"})
    assert response.status_code == 302
    assert Draft.objects.get(member=member).values[str(single.pk)] == first.pk
    page = client.get(url).content.decode()
    assert re.search(rf'name="q{single.pk}" value="{first.pk}"[^>]*checked', page), "the draft is not filled in"
    response = client.post(url, {f"q{single.pk}": first.pk, "submit": "1"})  # required answers missing
    assert response.status_code == 400
    assert "This question needs an answer." in response.content.decode()
    assert not Response.objects.exists()
    data = {f"q{key}": value for key, value in answers(survey).items() if value not in ("", [])}
    assert client.post(url, data | {"submit": "1"}).status_code == 302
    assert Response.objects.count() == 1 and not Draft.objects.exists()
    assert "You answered this survey" in client.get(url).content.decode()


def test_the_dashboard_panel_lists_open_surveys_for_the_member(client, executive, member):
    survey = make_survey(executive)
    make_survey(executive, audience="block", block_id=5)  # not for Alice (block 3)
    client.force_login(member.user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert page.count(reverse("voice:survey", args=[survey.pk])) == 1
    services.submit_response(member=member, survey=survey, values=answers(survey))
    assert reverse("voice:survey", args=[survey.pk]) not in client.get(reverse("core:dashboard")).content.decode()


def test_the_page_refuses_a_closed_survey_and_a_second_submission_with_the_reason(client, executive, member):
    survey = make_survey(executive)
    url = reverse("voice:survey", args=[survey.pk])
    data = {f"q{key}": value for key, value in answers(survey).items() if value not in ("", [])} | {"submit": "1"}
    client.force_login(member.user)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400 and "You answered this survey" in response.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    closed = make_survey(executive, state="closed")
    response = client.post(reverse("voice:survey", args=[closed.pk]), {
        f"q{key}": value for key, value in answers(closed).items() if value not in ("", [])} | {"submit": "1"})
    assert response.status_code == 400 and "not open for your answers" in response.content.decode()
    _nothing_stored(closed)
