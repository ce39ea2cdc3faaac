"""Surveys for the voice tests, built through the app's own services (as an officer would)."""

import datetime

from django.utils import timezone

from ajet.voice import services
from ajet.voice.models import Question, Survey


def make_survey(officer, *, state: str = "open", anonymous: bool = True, **audience) -> Survey:
    """A survey with one question of each type. `state`: "open", "closed" or "upcoming"."""
    now = timezone.now()
    fields = {"title_en": "Working conditions", "audience": Survey.Audience.NATIONAL,
              "opens_at": now - datetime.timedelta(days=3), "closes_at": now + datetime.timedelta(days=7),
              "is_anonymous": anonymous} | audience
    if state == "upcoming":
        fields |= {"opens_at": now + datetime.timedelta(days=1), "closes_at": now + datetime.timedelta(days=8)}
    survey = services.create_survey(by=officer.user, fields=fields)
    section = services.add_section(by=officer.user, survey=survey, title_en="Work")
    add = services.add_question
    add(by=officer.user, survey=survey, section=section, kind=Question.Kind.SINGLE, text_en="Load?",
        options=[("Light", ""), ("Right", ""), ("Heavy", "")])
    add(by=officer.user, survey=survey, section=section, kind=Question.Kind.MULTIPLE, text_en="Help from?",
        is_required=False, options=[("Supervisor", ""), ("Peers", ""), ("AJET", "")])
    add(by=officer.user, survey=survey, section=section, kind=Question.Kind.LIKERT, text_en="Valued?")
    add(by=officer.user, survey=survey, section=section, kind=Question.Kind.NUMBER, text_en="Overtime hours",
        min_value=0, max_value=200)
    add(by=officer.user, survey=survey, section=section, kind=Question.Kind.SHORT_TEXT, text_en="One word",
        is_required=False)
    add(by=officer.user, survey=survey, section=section, kind=Question.Kind.LONG_TEXT, text_en="Anything else?",
        is_required=False)
    if state == "closed":
        close(survey)
    return survey


def close(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    survey.refresh_from_db()


def question(survey: Survey, kind: str) -> Question:
    return survey.questions.get(kind=kind)


def answers(survey: Survey, *, choice: int = 0, likert: int = 4, number: int = 5, text: str = "",
            helpers: tuple[int, ...] = ()) -> dict:
    """A complete, valid set of answers (question id as text → value)."""
    single = question(survey, Question.Kind.SINGLE)
    multiple = question(survey, Question.Kind.MULTIPLE)
    single_options = list(single.options.values_list("pk", flat=True))
    multiple_options = list(multiple.options.values_list("pk", flat=True))
    return {
        str(single.pk): single_options[choice],
        str(multiple.pk): [multiple_options[index] for index in helpers],
        str(question(survey, Question.Kind.LIKERT).pk): likert,
        str(question(survey, Question.Kind.NUMBER).pk): number,
        str(question(survey, Question.Kind.SHORT_TEXT).pk): "",
        str(question(survey, Question.Kind.LONG_TEXT).pk): text,
    }
