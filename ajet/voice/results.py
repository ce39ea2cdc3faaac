"""Survey results with small-group suppression (DESIGN.md invariant 4).

SUPPRESSION_THRESHOLD is the one place the number 5 lives. For each question, the overall cell and every
cell of the breakdowns (by block, by position) that fewer than 5 respondents answered is suppressed: its
counts are not computed into any output (HTML, CSV, JSON all render this one structure) and it shows as
"fewer than 5".

Complementary suppression: a breakdown's cells add up to the overall cell, so one suppressed cell could be
recovered as the total minus the cells shown. Therefore, while the suppressed cells of a breakdown together
hold fewer than 5 respondents, the next smallest shown cell is suppressed too. Whatever is subtracted from
the total then only ever describes a group of 5 or more.

Free-text answers are listed only under the overall cell, in alphabetical order (never in the order given),
and only those whose respondent's block cell and position cell are both shown for that question.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean, median

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ajet.people.models import Member
from ajet.voice.models import Answer, Question, Survey

SUPPRESSION_THRESHOLD = 5
SUPPRESSED_LABEL = gettext_lazy("fewer than 5")
LIKERT_LABELS = {
    1: gettext_lazy("Strongly disagree"), 2: gettext_lazy("Disagree"), 3: gettext_lazy("Neither agree nor disagree"),
    4: gettext_lazy("Agree"), 5: gettext_lazy("Strongly agree"),
}


@dataclass
class Cell:
    """One group's result for one question. When suppressed, only the label is known."""

    key: str  # "all", "block-3", "position-ALT"
    label: str
    respondents: int | None = None
    counts: list[int] | None = None  # per option / Likert point, in the question's order
    average: float | None = None  # Likert and number questions
    middle: float | None = None  # median, number questions
    suppressed: bool = False

    def as_dict(self) -> dict:
        if self.suppressed:
            return {"group": self.label, "suppressed": True, "respondents": str(SUPPRESSED_LABEL)}
        return {"group": self.label, "suppressed": False, "respondents": self.respondents, "counts": self.counts,
                "average": self.average, "median": self.middle}


@dataclass
class QuestionResult:
    question: Question
    labels: list[str]  # option or Likert labels, for choice and Likert questions
    overall: Cell
    by_block: list[Cell] = field(default_factory=list)
    by_position: list[Cell] = field(default_factory=list)
    texts: list[str] | None = None  # None: withheld (overall suppressed); [] none given

    @property
    def value_columns(self) -> int:
        """The table columns after the group's name: respondents, one per label, average, median."""
        kind = self.question.kind
        return 1 + len(self.labels) + (kind in (Question.Kind.LIKERT, Question.Kind.NUMBER)) + (
            kind == Question.Kind.NUMBER)

    @property
    def breakdowns(self) -> list[tuple[str, list[Cell]]]:
        return [(_("By block"), self.by_block), (_("By position"), self.by_position)]


def suppressed_keys(sizes: dict[str, int]) -> set[str]:
    """Which cells of one breakdown to suppress: those under the threshold, then (complementary suppression)
    the next smallest ones until the suppressed cells together hold at least the threshold."""
    suppressed = {key for key, size in sizes.items() if size < SUPPRESSION_THRESHOLD}
    shown = sorted((size, key) for key, size in sizes.items() if key not in suppressed)
    while suppressed and sum(sizes[key] for key in suppressed) < SUPPRESSION_THRESHOLD and shown:
        suppressed.add(shown.pop(0)[1])
    return suppressed


def respondent_count(survey: Survey) -> int:
    return survey.responses.count()


def survey_results(survey: Survey) -> list[QuestionResult]:
    """Every question's result with its breakdowns, suppressed as the module's docstring says. Reads only."""
    questions = list(survey.questions.select_related("section").prefetch_related("options"))
    rows = defaultdict(list)
    for row in (Answer.objects.filter(question__survey=survey)
                .values_list("question_id", "response_id", "response__block", "response__position", "option_id",
                             "number", "text")):
        rows[row[0]].append(row)
    return [_question_result(question, rows[question.pk]) for question in questions]


def _block_label(block) -> str:
    return _("Block %(number)s") % {"number": block} if block is not None else _("No block")


def _question_result(question: Question, rows: list) -> QuestionResult:
    options = list(question.options.all())
    if question.kind in Question.CHOICE_KINDS:
        keys, labels = [option.pk for option in options], [option.text for option in options]
    elif question.kind == Question.Kind.LIKERT:
        keys, labels = list(LIKERT_LABELS), [str(label) for label in LIKERT_LABELS.values()]
    else:
        keys, labels = [], []
    positions = dict(Member.Position.choices)
    groups: dict[str, set] = defaultdict(set)
    group_labels = {"all": _("All respondents")}
    respondent_groups: dict = {}
    for _question, response, block, position, *_value in rows:
        block_key, position_key = f"block-{block}", f"position-{position}"
        for key in ("all", block_key, position_key):
            groups[key].add(response)
        group_labels[block_key] = _block_label(block)
        group_labels[position_key] = str(positions.get(position, position))
        respondent_groups[response] = (block_key, position_key)

    overall_suppressed = len(groups["all"]) < SUPPRESSION_THRESHOLD
    hidden: set[str] = set()
    breakdowns = {}
    for prefix in ("block-", "position-"):
        sizes = {key: len(members) for key, members in groups.items() if key.startswith(prefix)}
        suppressed = set(sizes) if overall_suppressed else suppressed_keys(sizes)
        hidden |= suppressed
        order = sorted(sizes, key=lambda key: (int(key[6:]) if prefix == "block-" and key[6:].isdigit() else 99, key))
        breakdowns[prefix] = [_cell(question, key, group_labels[key], rows, groups[key], keys, key in suppressed)
                              for key in order]
    texts = None
    if question.kind in Question.TEXT_KINDS and not overall_suppressed:
        texts = sorted(row[6] for row in rows if not set(respondent_groups[row[1]]) & hidden)
    return QuestionResult(
        question=question, labels=labels,
        overall=_cell(question, "all", group_labels["all"], rows, groups["all"], keys, overall_suppressed),
        by_block=breakdowns["block-"], by_position=breakdowns["position-"], texts=texts)


def _cell(question, key, label, rows, responses, keys, suppressed) -> Cell:
    if suppressed:
        return Cell(key=key, label=label, suppressed=True)
    mine = [row for row in rows if row[1] in responses]
    cell = Cell(key=key, label=label, respondents=len(responses))
    if question.kind in Question.CHOICE_KINDS:
        chosen = [row[4] for row in mine]
        cell.counts = [chosen.count(option) for option in keys]
    elif question.kind in (Question.Kind.LIKERT, Question.Kind.NUMBER):
        numbers = [row[5] for row in mine]
        if question.kind == Question.Kind.LIKERT:
            cell.counts = [numbers.count(point) for point in keys]
        else:
            cell.middle = round(median(numbers), 2) if numbers else None
        cell.average = round(mean(numbers), 2) if numbers else None
    return cell


def results_as_dict(survey: Survey, results: list[QuestionResult]) -> dict:
    """The JSON export: the same cells as the page, suppressed ones without any number."""
    return {
        "survey": survey.title_en,
        "anonymous": survey.is_anonymous,
        "suppression_threshold": SUPPRESSION_THRESHOLD,
        "questions": [{
            "question": result.question.text_en,
            "type": result.question.kind,
            "labels": result.labels,
            "overall": result.overall.as_dict(),
            "by_block": [cell.as_dict() for cell in result.by_block],
            "by_position": [cell.as_dict() for cell in result.by_position],
            "texts": result.texts if result.texts is not None else str(SUPPRESSED_LABEL),
        } for result in results],
    }


def results_as_rows(results: list[QuestionResult]):
    """The CSV export, one row per group and value: question, breakdown, group, respondents, value label, value."""
    yield [_("Question"), _("Breakdown"), _("Group"), _("Respondents"), _("Answer"), _("Count or value")]
    for result in results:
        text = result.question.text_en
        for breakdown, cells in [(_("Overall"), [result.overall]), *result.breakdowns]:
            for cell in cells:
                if cell.suppressed:
                    yield [text, breakdown, cell.label, str(SUPPRESSED_LABEL), "", str(SUPPRESSED_LABEL)]
                    continue
                for label, count in zip(result.labels, cell.counts or [], strict=False):
                    yield [text, breakdown, cell.label, cell.respondents, label, count]
                if cell.average is not None:
                    yield [text, breakdown, cell.label, cell.respondents, _("Average"), cell.average]
                if cell.middle is not None:
                    yield [text, breakdown, cell.label, cell.respondents, _("Median"), cell.middle]
                if not cell.counts and cell.average is None:
                    yield [text, breakdown, cell.label, cell.respondents, "", ""]
        for answer in result.texts or []:
            yield [text, _("Text answers"), "", "", "", answer]
