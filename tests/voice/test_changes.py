"""A survey changed after responses arrived: wording and the closing date may change, nothing that decides
who answered, how their answers were stored or what they answered to (the issue's "Bad input" list)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.core.models import AuditEntry
from ajet.voice import services
from ajet.voice.models import Option, Question, Survey
from ajet.voice.services import SurveyError
from tests.voice.survey_factories import answers, close, make_survey, question

pytestmark = pytest.mark.django_db
AFTER_RESPONSES = "only its titles, introductions and closing date can change"


@pytest.fixture
def answered(executive, member):
    survey = make_survey(executive)
    services.submit_response(member=member, survey=survey, values=answers(survey))
    return survey


def _details(survey) -> dict:
    return {name: getattr(survey, name) for name in ("title_en", "title_ja", "intro_en", "intro_ja", "audience",
                                                     "block_id", "positions", "opens_at", "closes_at",
                                                     "is_anonymous")}


def test_wording_and_a_later_close_are_allowed_after_responses(executive, answered):
    later = answered.closes_at + datetime.timedelta(days=7)
    services.change_survey(by=executive.user, survey=answered,
                           fields={"title_en": "Working conditions 2026", "closes_at": later})
    answered.refresh_from_db()
    assert answered.title_en == "Working conditions 2026" and answered.closes_at == later
    entry = AuditEntry.objects.filter(action="survey.change").latest("pk")
    assert entry.before["title_en"] == "Working conditions" and set(entry.after) == {"title_en", "closes_at"}


@pytest.mark.parametrize("fields", [
    {"audience": "block", "block_id": 3},
    {"positions": ["CIR"]},
    {"is_anonymous": False},
    {"opens_at": timezone.now() - datetime.timedelta(days=10)},
])
def test_who_answered_and_how_cannot_change_after_responses(executive, answered, fields):
    before = _details(answered)
    with pytest.raises(SurveyError, match=AFTER_RESPONSES):
        services.change_survey(by=executive.user, survey=answered, fields=fields | {"title_en": "Typo fixed"})
    assert _details(Survey.objects.get(pk=answered.pk)) == before


def test_the_same_changes_are_allowed_before_any_response(executive):
    survey = make_survey(executive)
    services.change_survey(by=executive.user, survey=survey, fields={"positions": ["CIR"], "is_anonymous": False})
    survey.refresh_from_db()
    assert survey.positions == ["CIR"] and not survey.is_anonymous


def test_a_closed_anonymous_survey_does_not_reopen(executive, answered):
    close(answered)
    with pytest.raises(SurveyError, match="cannot reopen"):
        services.change_survey(by=executive.user, survey=answered,
                               fields={"closes_at": timezone.now() + datetime.timedelta(days=3)})
    assert answered.is_closed(), "nothing changed"


def test_a_closing_time_in_the_past_is_refused(executive, answered):
    with pytest.raises(SurveyError, match="has passed"):
        services.change_survey(by=executive.user, survey=answered,
                               fields={"closes_at": timezone.now() - datetime.timedelta(minutes=5)})


def test_an_officer_cannot_widen_the_audience_beyond_their_members(block_rep):
    survey = make_survey(block_rep, audience="block", block_id=3)
    with pytest.raises(SurveyError, match="members you serve"):
        services.change_survey(by=block_rep.user, survey=survey, fields={"block_id": 5})
    survey.refresh_from_db()
    assert survey.block_id == 3


def test_questions_after_responses_only_change_wording(executive, answered):
    single = question(answered, Question.Kind.SINGLE)
    services.change_question(by=executive.user, question=single, text_en="Teaching load?", text_ja="授業数は?")
    single.refresh_from_db()
    assert single.text_en == "Teaching load?" and single.text_ja == "授業数は?"
    options = list(single.options.values_list("pk", "text_en"))
    refused = [
        {"kind": Question.Kind.MULTIPLE},  # retyping
        {"options": [("Light", ""), ("Heavy", "")]},  # changing the choices
        {"options": [("Light", ""), ("Right", ""), ("Heavy", ""), ("Crushing", "")]},
        {"is_required": False},
    ]
    for changes in refused:
        with pytest.raises(SurveyError, match="wording can be corrected"):
            services.change_question(by=executive.user, question=single, text_en="Teaching load?", **changes)
    number = question(answered, Question.Kind.NUMBER)
    with pytest.raises(SurveyError, match="wording can be corrected"):
        services.change_question(by=executive.user, question=number, text_en=number.text_en, max_value=100)
    with pytest.raises(SurveyError, match="can no longer be changed"):
        services.remove_question(by=executive.user, question=single)
    with pytest.raises(SurveyError, match="can no longer be changed"):
        services.add_question(by=executive.user, survey=answered, section=single.section,
                              kind=Question.Kind.SHORT_TEXT, text_en="Late question")
    single.refresh_from_db()
    assert single.kind == Question.Kind.SINGLE and single.is_required
    assert list(single.options.values_list("pk", "text_en")) == options
    assert answered.questions.count() == 6


def test_questions_before_responses_change_freely(executive):
    survey = make_survey(executive)
    single = question(survey, Question.Kind.SINGLE)
    services.change_question(by=executive.user, question=single, text_en="Helpers?", kind=Question.Kind.MULTIPLE,
                             options=[("Peers", "仲間"), ("AJET", "")])
    single.refresh_from_db()
    assert single.kind == Question.Kind.MULTIPLE
    assert list(single.options.values_list("text_en", "text_ja")) == [("Peers", "仲間"), ("AJET", "")]
    with pytest.raises(SurveyError, match="at least two options"):
        services.change_question(by=executive.user, question=single, text_en="Helpers?", options=[("Only", "")])
    services.remove_question(by=executive.user, question=single)
    assert not Question.objects.filter(pk=single.pk).exists() and not Option.objects.filter(question=single.pk)


def test_the_pages_say_why_a_change_is_refused(client, executive, answered):
    client.force_login(executive.user)
    url = reverse("voice:survey_edit", args=[answered.pk])
    assert AFTER_RESPONSES in client.get(url).content.decode()
    tokyo = timezone.localtime(answered.opens_at)
    data = {"title_en": "Working conditions", "audience": "block", "block": 3,
            "opens_at": tokyo.strftime("%Y-%m-%d %H:%M:%S"),
            "closes_at": timezone.localtime(answered.closes_at).strftime("%Y-%m-%d %H:%M:%S"), "is_anonymous": "on"}
    response = client.post(url, data)
    assert response.status_code == 400 and AFTER_RESPONSES in response.content.decode()
    assert Survey.objects.get(pk=answered.pk).audience == "national"
    later = timezone.localtime(answered.closes_at + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    response = client.post(url, data | {"audience": "national", "block": "", "title_en": "Conditions",
                                        "closes_at": later})
    assert response.status_code == 302
    assert Survey.objects.get(pk=answered.pk).title_en == "Conditions"
    single = question(answered, Question.Kind.SINGLE)
    response = client.post(reverse("voice:question_edit", args=[answered.pk, single.pk]), {
        "kind": "single", "text_en": "Load?", "is_required": "on", "options": "Light\nHeavy"})
    assert response.status_code == 400 and "wording can be corrected" in response.content.decode()
    response = client.post(reverse("voice:question_remove", args=[answered.pk, single.pk]), follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert Question.objects.filter(pk=single.pk).exists()
