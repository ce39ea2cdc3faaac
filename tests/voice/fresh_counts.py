"""The oracle of the running totals (ajet/voice/totals.py): the counts as results._count_answers made them
before the totals existed, over every answer, and the totals as it reads them now, both normalised."""

from django.db.models import Count

from ajet.voice.models import Answer, Question
from ajet.voice.results import _count_answers


def fresh_count(survey) -> tuple[dict, dict]:
    """What results._count_answers returned before the totals: two GROUP BY queries over every answer,
    normalised (rows sorted) for comparison."""
    found = Answer.objects.filter(response__survey=survey).order_by()
    counted: dict = {}
    for question_id, block, position, option, number, count in (
            found.values_list("question_id", "response__block", "response__position", "option_id", "number")
            .annotate(count=Count("pk"))):
        counted.setdefault(question_id, []).append((block, position, option, number, count))
    respondents: dict = {}
    for question_id, block, position, count in (
            found.filter(question__kind=Question.Kind.MULTIPLE)
            .values_list("question_id", "response__block", "response__position")
            .annotate(count=Count("response_id", distinct=True))):
        respondents.setdefault(question_id, {})[(block, position)] = count
    return _sorted(counted), respondents


def _sorted(counted: dict) -> dict:
    return {question: sorted(rows, key=repr) for question, rows in counted.items()}


def read_totals(survey) -> tuple[dict, dict]:
    counted, respondents = _count_answers(survey, list(survey.questions.all()))
    return _sorted(counted), respondents
