"""Survey results with small-group suppression (DESIGN.md invariant 4).

SUPPRESSION_THRESHOLD is the one place the number 5 lives. For each question, the overall cell and every
cell of the breakdowns (by block, by position) that fewer than 5 respondents answered is suppressed: its
counts are not computed into any output (HTML, CSV, JSON all render this one structure) and it shows as
"fewer than 5".

Complementary suppression: a breakdown's cells add up to the overall cell, so one suppressed cell could be
recovered as the total minus the cells shown. Therefore, while the suppressed cells of a breakdown together
hold fewer than 5 respondents, the next smallest shown cell is suppressed too. Whatever is subtracted from
the total then only ever describes a group of 5 or more.

Across the two breakdowns, the difference attack: where a shown block cell holds a whole shown position
cell (or the other way round) and differs from it by 1 to 4 people, subtracting one from the other would
describe those few people; so would sums of several cells of one breakdown against cells of the other, and
the suppressed cells of a breakdown taken together (the total minus the shown ones). difference_leak
searches all of these; the smallest shown cell involved is suppressed until none is left.

Free-text answers are listed only under the overall cell, in alphabetical order (never in the order given),
and only those whose respondent's block cell and position cell are both shown for that question.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from itertools import combinations
from operator import or_

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import Left, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ajet.people.models import Member
from ajet.voice.models import TEXT_ORDER_PREFIX, Answer, AnswerTotal, Question, Survey

SUPPRESSION_THRESHOLD = 5
HISTOGRAM_BINS = 10  # number questions: at most this many bars
COUNTS_CACHE_SECONDS = 24 * 3600
CLOSED_CACHE_SECONDS = 30 * 24 * 3600  # a closed survey's results change only if a response is erased
PAGE_TEXT_LIMIT = 100  # free-text answers listed per question on the page and in the PDF (exports: all)
TEXT_ORDER = (Left("text", TEXT_ORDER_PREFIX), F("text"))  # the order of the index voice_answer_text_order
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
    histogram: list[tuple[int, int, int]] | None = None  # number questions, overall cell: (from, to, count)

    def as_dict(self) -> dict:
        if self.suppressed:
            return {"group": self.label, "suppressed": True, "respondents": str(SUPPRESSED_LABEL)}
        found = {"group": self.label, "suppressed": False, "respondents": self.respondents, "counts": self.counts,
                 "average": self.average, "median": self.middle}
        if self.histogram is not None:
            found["histogram"] = [{"from": low, "to": high, "count": count} for low, high, count in self.histogram]
        return found


@dataclass
class QuestionResult:
    question: Question
    labels: list[str]  # option or Likert labels, for choice and Likert questions
    overall: Cell
    by_block: list[Cell] = field(default_factory=list)
    by_position: list[Cell] = field(default_factory=list)
    texts: list[str] | None = None  # None: withheld (overall suppressed); [] none given
    text_total: int | None = None  # how many texts may be shown (texts holds at most the limit asked for)
    hidden_groups: set[str] = field(default_factory=set)  # the suppressed breakdown cells' keys

    @property
    def value_columns(self) -> int:
        """The table columns after the group's name: respondents, one per label, average, median."""
        kind = self.question.kind
        return 1 + len(self.labels) + (kind in (Question.Kind.LIKERT, Question.Kind.NUMBER)) + (
            kind == Question.Kind.NUMBER)

    @property
    def breakdowns(self) -> list[tuple[str, list[Cell]]]:
        return [(_("By block"), self.by_block), (_("By position"), self.by_position)]


def suppressed_keys(sizes: dict[str, int], forced: frozenset[str] = frozenset()) -> set[str]:
    """Which cells of one breakdown to suppress: those under the threshold (and `forced`), then
    (complementary suppression) the next smallest ones until the suppressed cells together hold at least
    the threshold."""
    suppressed = {key for key, size in sizes.items() if size < SUPPRESSION_THRESHOLD} | (set(forced) & set(sizes))
    shown = sorted((size, key) for key, size in sizes.items() if key not in suppressed)
    while suppressed and sum(sizes[key] for key in suppressed) < SUPPRESSION_THRESHOLD and shown:
        suppressed.add(shown.pop(0)[1])
    return suppressed


def suppressed_cells(pairs: dict[tuple, int]) -> set[str]:
    """The suppressed cells of both breakdowns, from the respondents of each (block, position) pair.

    Each breakdown is suppressed as suppressed_keys says; then, while some difference between the two
    breakdowns describes 1 to 4 people (difference_leak), the smallest shown cell involved is suppressed
    too and both breakdowns are suppressed again."""
    blocks: dict[str, int] = defaultdict(int)
    positions: dict[str, int] = defaultdict(int)
    for (block, position), size in pairs.items():
        blocks[f"block-{block}"] += size
        positions[f"position-{position}"] += size
    forced: set[str] = set()
    while True:
        hidden = suppressed_keys(blocks, frozenset(forced)) | suppressed_keys(positions, frozenset(forced))
        leak = difference_leak(pairs, blocks, positions, hidden)
        if leak is None:
            return hidden
        forced.add(leak)


def _aggregates(sizes: dict[str, int], hidden: set[str]) -> list[tuple[frozenset, int]]:
    """What a reader can count of one breakdown: each shown cell, and the suppressed ones together
    (the total minus the shown ones)."""
    found = [(frozenset({key}), size) for key, size in sizes.items() if key not in hidden]
    rest = frozenset(key for key in sizes if key in hidden)
    if rest:
        found.append((rest, sum(sizes[key] for key in rest)))
    return found


def difference_leak(pairs: dict[tuple, int], blocks: dict[str, int], positions: dict[str, int],
                    hidden: set[str]) -> str | None:
    """A shown cell to suppress because subtracting what the two breakdowns show describes 1 to 4 people,
    or None. For every union V of what the position breakdown shows (there are few positions), two
    subtractions are checked: the smallest union of block aggregates holding V, minus V; and V minus any
    union of block aggregates lying inside V (subset sums). Larger unions add 5 or more people each."""
    by_block, by_position = _aggregates(blocks, hidden), _aggregates(positions, hidden)
    block_of = {key: index for index, (keys, _size) in enumerate(by_block) for key in keys}
    for count in range(1, len(by_position) + 1):
        for chosen in combinations(range(len(by_position)), count):
            keys = frozenset().union(*(by_position[index][0] for index in chosen))
            inside_size = sum(by_position[index][1] for index in chosen)
            touching: set[int] = set()
            outside: set[int] = set()
            for (block, position), size in pairs.items():
                if size:
                    (touching if f"position-{position}" in keys else outside).add(block_of[f"block-{block}"])
            holding = sum(by_block[index][1] for index in touching)
            sums = 1  # bit n set: some union of the block aggregates inside V holds n people
            for index in touching - outside:
                sums |= sums << by_block[index][1]
            if 0 < holding - inside_size < SUPPRESSION_THRESHOLD or any(
                    sums >> (inside_size - gap) & 1 for gap in range(1, SUPPRESSION_THRESHOLD)
                    if inside_size >= gap):
                involved = [(by_position[index][1], next(iter(by_position[index][0]))) for index in chosen
                            if len(by_position[index][0]) == 1 and next(iter(by_position[index][0])) not in hidden]
                involved += [(by_block[index][1], next(iter(by_block[index][0]))) for index in touching
                             if len(by_block[index][0]) == 1 and next(iter(by_block[index][0])) not in hidden]
                if not involved:
                    involved = [(size, key) for key, size in {**blocks, **positions}.items() if key not in hidden]
                return min(involved)[1] if involved else None
    return None


def respondent_count(survey: Survey) -> int:
    return survey.responses.count()


def survey_results(survey: Survey, *, text_limit: int | None = None) -> list[QuestionResult]:
    """Every question's result with its breakdowns, suppressed as the module's docstring says. Reads only.

    A fixed number of queries whatever the number of questions and responses: the answers counted by
    question, group (block and position) and value, and the respondents of multiple-choice questions (one
    row per chosen option), read from the running totals (totals.py, one query); then the texts that may be
    shown, at most `text_limit` per question (None: all of them; 0: none fetched), how many there are coming
    from the totals too. The counts and the limited texts are cached (_Cached).
    """
    questions = list(survey.questions.select_related("section").prefetch_related("options"))
    cached = _Cached(survey)
    counted, respondents = cached.get("counts", lambda: _count_answers(survey, questions))
    results = []
    for question in questions:
        rows = counted.get(question.pk, [])
        groups = respondents.get(question.pk, {}) if question.kind == Question.Kind.MULTIPLE else _group_sizes(rows)
        results.append(_question_result(question, rows, groups))
    _add_texts(survey, [result for result in results if result.question.kind in Question.TEXT_KINDS], text_limit,
               cached, counted)
    cached.save()
    return results


class _Cached:
    """What results are read from, kept in the shared cache under the survey's number of responses (one
    entry, counts_key): answers never change once given, so it changes only when a response arrives (and a
    closed survey's never does), or when an erasure removes some (forget_results_on_commit drops them all).
    The counts as the totals hold them, suppression being applied afresh on every read; and the texts each
    set of suppressed groups lets through (at most a page's worth).
    tasks.count_closed_surveys fills it for large surveys as they close."""

    def __init__(self, survey: Survey):
        self.key = counts_key(survey)
        self.closed = survey.is_closed()
        self.entry = cache.get(self.key) or {}
        self.changed = False

    def get(self, part: str, compute):
        if part not in self.entry:
            self.entry[part] = compute()
            self.changed = True
        return self.entry[part]

    def save(self) -> None:
        if self.changed:
            cache.set(self.key, self.entry, timeout=CLOSED_CACHE_SECONDS if self.closed else COUNTS_CACHE_SECONDS)


def counts_key(survey: Survey) -> str:
    return _key(survey.pk, survey.responses.count())


def _key(survey_id: int, responses: int) -> str:
    return f"voice:survey-results:{survey_id}:{responses}"  # -counts: an older layout


def forget_results_on_commit(survey_ids) -> None:
    """Once the transaction commits, drop every cached results entry of these surveys, kept under any number
    of responses up to today's. For an erasure: it lowers the number of responses, and later responses bring
    back numbers that older entries, holding the erased answers, were kept under. (By induction no entry
    is kept above today's number: each erasure drops those up to its own.)"""
    from django.db import transaction
    from django.db.models import Count

    keys = [_key(survey_id, responses) for survey_id, count in
            Survey.objects.filter(pk__in=survey_ids).annotate(count=Count("responses")).values_list("pk", "count")
            for responses in range(count + 1)]
    transaction.on_commit(lambda: cache.delete_many(keys))


def _count_answers(survey: Survey, questions: list[Question]) -> tuple[dict, dict]:
    """The survey's answers counted by question, group (block, position) and value, and the respondents of
    its multiple-choice questions by group: read from the running totals (totals.py), one query."""
    kinds = {question.pk: question.kind for question in questions}
    counted: dict[int, list] = defaultdict(list)  # question → [(block, position, option, number, count)]
    respondents: dict[int, dict] = defaultdict(dict)  # question → {(block, position): respondents}
    for question_id, block, position, of_respondents, value, count in (
            AnswerTotal.objects.filter(survey=survey)
            .order_by("question_id", "of_respondents", "block", "position", "value")
            .values_list("question_id", "block", "position", "of_respondents", "value", "count")):
        block = None if block == AnswerTotal.NO_BLOCK else block
        if of_respondents:
            respondents[question_id][(block, position)] = count
        elif kinds.get(question_id) in Question.CHOICE_KINDS:
            counted[question_id].append((block, position, value, None, count))
        elif kinds.get(question_id) in Question.TEXT_KINDS:
            counted[question_id].append((block, position, None, None, count))
        else:
            counted[question_id].append((block, position, None, value, count))
    return dict(counted), dict(respondents)


def _group_sizes(rows: list) -> dict:
    sizes: dict = defaultdict(int)
    for block, position, _option, _number, count in rows:
        sizes[(block, position)] += count
    return sizes


def _block_label(block) -> str:
    return _("Block %(number)s") % {"number": block} if block is not None else _("No block")


def _value_keys(question: Question) -> tuple[list, list[str]]:
    if question.kind in Question.CHOICE_KINDS:
        options = list(question.options.all())
        return [option.pk for option in options], [option.text for option in options]
    if question.kind == Question.Kind.LIKERT:
        return list(LIKERT_LABELS), [str(label) for label in LIKERT_LABELS.values()]
    return [], []


def _question_result(question: Question, rows: list, sizes: dict) -> QuestionResult:
    """One question's cells from its counted rows and the respondents of each (block, position) pair."""
    keys, labels = _value_keys(question)
    positions = dict(Member.Position.choices)
    members: dict[str, set] = defaultdict(set)  # cell key → the (block, position) pairs in it
    group_labels = {"all": _("All respondents")}
    for pair in sizes:
        block, position = pair
        block_key, position_key = f"block-{block}", f"position-{position}"
        for key in ("all", block_key, position_key):
            members[key].add(pair)
        group_labels[block_key] = _block_label(block)
        group_labels[position_key] = str(positions.get(position, position))

    def size(key):
        return sum(sizes[pair] for pair in members[key])

    by_pair: dict[tuple, list] = defaultdict(list)  # (block, position) → [(option, number, count)]: each cell
    for block, position, option, number, count in rows:  # reads its own pairs' rows, not all of them
        by_pair[(block, position)].append((option, number, count))

    overall_suppressed = size("all") < SUPPRESSION_THRESHOLD
    hidden = set(group_labels) - {"all"} if overall_suppressed else suppressed_cells(sizes)
    breakdowns = {}
    for prefix in ("block-", "position-"):
        cell_sizes = {key: size(key) for key in members if key.startswith(prefix)}
        order = sorted(cell_sizes, key=lambda key: (
            int(key[6:]) if prefix == "block-" and key[6:].isdigit() else 99, key))
        breakdowns[prefix] = [
            _cell(question, key, group_labels[key], by_pair, members[key], cell_sizes[key], keys, key in hidden)
            for key in order]
    overall = _cell(question, "all", group_labels["all"], by_pair, members["all"], size("all"), keys,
                    overall_suppressed)
    if question.kind == Question.Kind.NUMBER and not overall_suppressed:
        overall.histogram = histogram(_number_counts(by_pair, members["all"]))
    result = QuestionResult(question=question, labels=labels, overall=overall, by_block=breakdowns["block-"],
                            by_position=breakdowns["position-"])
    result.hidden_groups = hidden
    return result


def _number_counts(by_pair: dict, pairs: set) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for pair in pairs:
        for _option, number, count in by_pair.get(pair, ()):
            if number is not None:
                counts[number] += count
    return counts


def _cell(question, key, label, by_pair, pairs, respondents, keys, suppressed) -> Cell:
    if suppressed:
        return Cell(key=key, label=label, suppressed=True)
    cell = Cell(key=key, label=label, respondents=respondents)
    if question.kind in Question.CHOICE_KINDS:
        chosen: dict = defaultdict(int)
        for pair in pairs:
            for option, _number, count in by_pair.get(pair, ()):
                chosen[option] += count
        cell.counts = [chosen[option] for option in keys]
    elif question.kind in (Question.Kind.LIKERT, Question.Kind.NUMBER):
        numbers = _number_counts(by_pair, pairs)
        total = sum(numbers.values())
        if question.kind == Question.Kind.LIKERT:
            cell.counts = [numbers[point] for point in keys]
        else:
            cell.middle = _median(numbers, total)
        cell.average = round(sum(value * count for value, count in numbers.items()) / total, 2) if total else None
    return cell


def _median(counts: dict[int, int], total: int) -> float | None:
    """The median of the values counted in `counts` (value → how many gave it)."""
    if not total:
        return None
    wanted = sorted({(total - 1) // 2, total // 2})
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return round(sum(found) / len(found), 2)


def histogram(counts: dict[int, int], bins: int = HISTOGRAM_BINS) -> list[tuple[int, int, int]]:
    """(lowest, highest, how many) for at most `bins` equal ranges of whole numbers covering the answers."""
    if not counts:
        return []
    lowest, highest = min(counts), max(counts)
    width = max(1, -(-(highest - lowest + 1) // bins))
    ranges = [[start, min(start + width - 1, highest), 0] for start in range(lowest, highest + 1, width)]
    for value, count in counts.items():
        ranges[(value - lowest) // width][2] += count
    return [tuple(item) for item in ranges]


def _add_texts(survey: Survey, results: list[QuestionResult], limit: int | None, cached: _Cached,
               counted: dict) -> None:
    """Fill in the free-text answers each result may show (one query for all text questions): none when
    the question's overall cell is suppressed, and none from a respondent of a suppressed block or position
    cell, unless the survey is attributed. Up to `limit` per question are cached, under what was hidden;
    how many there are in all is summed from the question's counted rows (`counted`), over the same groups."""
    wanted: dict[int, Q] = {}
    shown = []  # what decides the texts: each question and the groups hidden in it
    for result in results:
        if result.overall.suppressed and survey.is_anonymous:
            continue
        condition = Q(question_id=result.question.pk)
        if survey.is_anonymous:
            for key in result.hidden_groups:
                kind, _dash, value = key.partition("-")
                if kind == "block":
                    condition &= (Q(response__block__isnull=False) if value == "None"
                                  else ~Q(response__block=int(value)))
                else:
                    condition &= ~Q(response__position=value)
        wanted[result.question.pk] = condition
        shown.append((result.question.pk, sorted(result.hidden_groups) if survey.is_anonymous else []))
        result.texts = []
    if not shown:
        return
    if limit == 0:  # none asked for (the XLSX lists them in its Answers sheet)
        return
    for result in results:
        if result.texts is not None:
            hidden = result.hidden_groups if survey.is_anonymous else set()
            result.text_total = sum(count for block, position, _option, _number, count in counted.get(
                result.question.pk, ()) if f"block-{block}" not in hidden and f"position-{position}" not in hidden)
    if limit is None:
        found = _fetch_texts(wanted, limit)
    else:
        found = cached.get(f"texts:{limit}:{shown!r}", lambda: _fetch_texts(wanted, limit))
    by_question = {result.question.pk: result for result in results}
    for question_id, texts in found.items():
        by_question[question_id].texts = texts


def _fetch_texts(wanted: dict[int, Q], limit: int | None) -> dict[int, list[str]]:
    """question → its texts (`wanted`: which of its answers) in alphabetical order, the first `limit` of them.

    The first ones are taken in the order of their first TEXT_ORDER_PREFIX characters, then of the whole
    text (the same order, in the database's C collation): the index voice_answer_text_order serves it, so
    that PostgreSQL reads `limit` texts per question, not all of them (one query: a UNION of one sliced
    query per question). SQLite cannot slice within a UNION: it ranks them all in a window instead."""
    texts: dict[int, list[str]] = {}
    if limit is None:
        rows = Answer.objects.filter(reduce(or_, wanted.values())).order_by().values_list("question_id", "text")
    elif connection.features.supports_slicing_ordering_in_compound:
        parts = [Answer.objects.filter(condition).exclude(text="").order_by(*TEXT_ORDER).values_list(
            "question_id", "text")[:limit] for condition in wanted.values()]
        rows = parts[0].union(*parts[1:], all=True)
    else:
        rows = (Answer.objects.filter(reduce(or_, wanted.values())).exclude(text="").order_by()
                .annotate(rank=Window(RowNumber(), partition_by=F("question_id"),
                                      order_by=[expression.asc() for expression in TEXT_ORDER]))
                .filter(rank__lte=limit).values_list("question_id", "text"))
    for question_id, text in rows:
        texts.setdefault(question_id, []).append(text)
    for listed in texts.values():
        listed.sort()
    return texts


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
