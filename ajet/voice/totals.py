"""Running totals of survey answers (models.AnswerTotal): what results._count_answers used to count over every
answer with two GROUP BY queries, kept up to date as answers are written and removed, so that reading a
survey's results costs a fixed small read whatever its number of responses (issue 10).

Every path that writes or removes answers calls in here, in its own transaction:
- services.submit_response: add_response, one statement per submission;
- privacy.erase_voice: remove_responses, before the responses are deleted;
- deleting a survey or a question cascades to its totals (the database's foreign keys). Options and
  questions cannot change once a survey has responses (services._check_editable, change_question).
Answers written straight into the tables (bench/voice.py, a data migration) need rebuild_totals.

The increments are upserts (INSERT ... ON CONFLICT DO UPDATE, PostgreSQL and SQLite 3.24+): simultaneous
submissions to one survey each add their counts, none is lost; the rows are written in a fixed order so
that two transactions never wait on each other's rows in opposite orders (no deadlock).
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Count

from ajet.voice.models import Answer, AnswerTotal, Question, Response

TABLE = "voice_answertotal"
COLUMNS = ("survey_id", "question_id", "block", "position", "of_respondents", "value", "count")
KEY = ("question_id", "block", "position", "of_respondents", "value")  # the unique constraint's columns
ROWS_PER_STATEMENT = 500  # 3,500 parameters: far below SQLite's limit (32,766)


def block_key(block: int | None) -> int:
    return AnswerTotal.NO_BLOCK if block is None else block


def value_key(option_id: int | None, number: int | None) -> int:
    """The total's value for an answer: its option, else its number, else 0 (a text)."""
    if option_id is not None:
        return option_id
    return number if number is not None else 0


def add_response(response: Response, answers: Iterable[Answer], *, multiple: set[int]) -> None:
    """Add one response's answers to its survey's totals (`multiple`: the ids of the survey's multiple-choice
    questions, whose respondents are counted apart). Call in the transaction that stores the answers."""
    counts: Counter = Counter()
    answered = set()
    for answer in answers:
        counts[(answer.question_id, False, value_key(answer.option_id, answer.number))] += 1
        if answer.question_id in multiple:
            answered.add(answer.question_id)
    counts.update((question_id, True, 0) for question_id in answered)
    block = block_key(response.block)
    _add([(response.survey_id, question_id, block, response.position, of_respondents, value, count)
          for (question_id, of_respondents, value), count in counts.items()])


@transaction.atomic
def remove_responses(responses) -> None:
    """Take the answers of `responses` (a queryset of responses about to be deleted, in the same
    transaction) out of their surveys' totals; totals that fall to 0 are deleted, as a fresh count would
    not have them. Two reading queries and one statement per ROWS_PER_STATEMENT totals, then one delete."""
    answers = Answer.objects.filter(response__in=responses).order_by()
    rows: Counter = Counter()
    for survey_id, question_id, block, position, option_id, number, count in (
            answers.values_list("response__survey_id", "question_id", "response__block", "response__position",
                                "option_id", "number").annotate(count=Count("pk"))):
        rows[(survey_id, question_id, block_key(block), position, False, value_key(option_id, number))] -= count
    for survey_id, question_id, block, position, count in (
            answers.filter(question__kind=Question.Kind.MULTIPLE)
            .values_list("response__survey_id", "question_id", "response__block", "response__position")
            .annotate(count=Count("response_id", distinct=True))):
        rows[(survey_id, question_id, block_key(block), position, True, 0)] -= count
    if not rows:
        return
    _add([(*key, count) for key, count in rows.items()])
    AnswerTotal.objects.filter(survey_id__in={key[0] for key in rows}, count__lte=0).delete()


def _add(rows: list[tuple]) -> None:
    """Add each row's count to its total, creating the total when missing."""
    quote = default_connection.ops.quote_name
    table, columns = quote(TABLE), ", ".join(quote(column) for column in COLUMNS)
    conflict = ", ".join(quote(column) for column in KEY)
    rows = sorted(rows, key=lambda row: row[1:6])  # the constraint's order: the order rows are locked in
    with default_connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start:start + ROWS_PER_STATEMENT]
            marks = ", ".join(["(" + ", ".join(["%s"] * len(COLUMNS)) + ")"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {marks} "  # noqa: S608 -- names are constants, values bound
                f"ON CONFLICT ({conflict}) DO UPDATE SET {quote('count')} = {table}.{quote('count')} + "
                f"excluded.{quote('count')}",
                [value for row in chunk for value in row])


def rebuild_totals(survey_id: int, *, connection=None) -> None:
    """Count the survey's totals afresh from its answers (two GROUP BY queries, in the database), replacing
    what was there: for answers written straight into the tables (bench/voice.py, migration 0006).
    Raw SQL on purpose: the migration calls it with the tables as they are there."""
    connection = connection or default_connection
    quote = connection.ops.quote_name
    table, columns = quote(TABLE), ", ".join(quote(column) for column in COLUMNS)
    group = (f"r.survey_id, a.question_id, COALESCE(r.block, {AnswerTotal.NO_BLOCK}), r.{quote('position')}")
    value = "COALESCE(a.option_id, a.number, 0)"
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE survey_id = %s", [survey_id])  # noqa: S608 -- constant names
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {group}, FALSE, {value}, COUNT(*) "  # noqa: S608
            "FROM voice_answer a JOIN voice_response r ON r.id = a.response_id WHERE r.survey_id = %s "
            f"GROUP BY {group}, {value}", [survey_id])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {group}, TRUE, 0, COUNT(DISTINCT a.response_id) "  # noqa: S608
            "FROM voice_answer a JOIN voice_response r ON r.id = a.response_id "
            "JOIN voice_question q ON q.id = a.question_id WHERE r.survey_id = %s AND q.kind = %s "
            f"GROUP BY {group}", [survey_id, Question.Kind.MULTIPLE.value])
