"""What small-group suppression hides, decided from the respondents of each (block, position) pair alone.

The rules (ajet/voice/results.py): a cell under 5 is hidden; while a breakdown's hidden cells together hold
fewer than 5, its next smallest cell is hidden too; and no figure a reader can form from the two breakdowns
(a shown cell, a union of shown cells, or a breakdown's hidden cells taken together) may lie inside another
and differ from it by 1 to 4 people. These tests need no database: `make mutate` runs them for every mutant.
Each expected answer was worked out by hand; `_leaks` re-checks every answer by brute force.
"""

import random
import time
from collections import defaultdict
from itertools import chain, combinations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ajet.core.personal_data import erase_personal_data
from ajet.voice import services
from ajet.voice.results import (
    PAGE_TEXT_LIMIT,
    SUPPRESSION_THRESHOLD,
    _median,
    counts_key,
    difference_leak,
    histogram,
    results_as_dict,
    results_as_rows,
    suppressed_cells,
    suppressed_keys,
    survey_results,
)
from ajet.voice.totals import rebuild_totals
from tests.factories import MemberFactory
from tests.voice.survey_factories import answers, close, make_survey


def _breakdowns(pairs: dict) -> tuple[dict, dict]:
    blocks: dict = defaultdict(int)
    positions: dict = defaultdict(int)
    for (block, position), size in pairs.items():
        blocks[f"block-{block}"] += size
        positions[f"position-{position}"] += size
    return dict(blocks), dict(positions)


def _unions(items):
    return chain.from_iterable(combinations(items, count) for count in range(1, len(items) + 1))


def _leaks(pairs: dict, hidden: set) -> list:
    """Every way a reader could isolate 1 to 4 people, by brute force: each breakdown offers its shown cells
    and, if any is hidden, the hidden ones together; any union of one breakdown's figures is compared with
    any union of the other's, as sets of people (the pairs they cover, one bit each)."""
    order = list(pairs)
    sides = []
    for sizes, part in zip(_breakdowns(pairs), ("block", "position"), strict=True):
        def people(keys, part=part):
            return sum(1 << index for index, pair in enumerate(order)
                       if f"{part}-{pair[0] if part == 'block' else pair[1]}" in keys)
        figures = [people({key}) for key in sizes if key not in hidden]
        rest = {key for key in sizes if key in hidden}
        figures += [people(rest)] if rest else []
        unions = {}
        for chosen in _unions(figures):
            mask = 0
            for figure in chosen:
                mask |= figure
            unions[mask] = chosen
        sides.append(unions)

    def size(mask):
        return sum(pairs[pair] for index, pair in enumerate(order) if mask >> index & 1)

    found = []
    for first in sides[0]:
        for second in sides[1]:
            for bigger, smaller in ((first, second), (second, first)):
                if smaller & ~bigger == 0 and 0 < size(bigger & ~smaller) < SUPPRESSION_THRESHOLD:
                    found.append((sides[0][first], sides[1][second]))
    return found


def _check(pairs: dict, hidden: set) -> None:
    """No shown cell under 5, no breakdown whose hidden cells hold 1 to 4, no difference isolating anyone."""
    for sizes in _breakdowns(pairs):
        assert all(size >= SUPPRESSION_THRESHOLD for key, size in sizes.items() if key not in hidden)
        assert sum(size for key, size in sizes.items() if key in hidden) in (0, *range(5, 10**6))
    assert not _leaks(pairs, hidden)


@pytest.mark.parametrize(("sizes", "forced", "expected"), [
    ({"a": 5, "b": 9}, (), set()),  # a cell of exactly 5 is shown
    ({"a": 4, "b": 9}, (), {"a", "b"}),  # 4 alone, then its complement
    ({"a": 3, "b": 2, "c": 9, "d": 8}, (), {"a", "b"}),  # hidden cells holding exactly 5 together: enough
    ({"a": 3, "b": 1, "c": 9, "d": 8}, (), {"a", "b", "d"}),  # 4 together: the next smallest (8) goes too
    ({"a": 1, "b": 1, "c": 1}, (), {"a", "b", "c"}),  # nothing left to hide: every cell is hidden, no more
    ({"a": 8, "b": 9, "c": 7}, ("b",), {"b"}),  # a forced cell of 9 is enough on its own
    ({"a": 8, "b": 6, "c": 7}, ("x",), set()),  # a forced key of the other breakdown is not this one's
    ({"a": 8, "b": 3, "c": 7}, ("a",), {"a", "b"}),  # forced and small together hold 11
    ({"a": 8, "b": 9}, (), set()),
    ({}, (), set()),
])
def test_which_cells_of_one_breakdown_are_hidden(sizes, forced, expected):
    assert suppressed_keys(sizes, frozenset(forced)) == expected
    if sizes:
        hidden_total = sum(sizes[key] for key in expected)
        assert hidden_total == 0 or hidden_total >= SUPPRESSION_THRESHOLD or expected == set(sizes)


@pytest.mark.parametrize(("pairs", "expected"), [
    # Two blocks of one position each: the position breakdown repeats the blocks; nothing is small.
    ({(3, "ALT"): 6, (5, "CIR"): 7}, set()),
    ({(3, "ALT"): 6, (5, "ALT"): 7}, set()),
    # Every pair 6: no figure lies inside another with a gap under 5.
    ({(3, "ALT"): 6, (3, "CIR"): 6, (5, "ALT"): 6, (5, "CIR"): 6}, set()),
    # Block 3 is every CIR and one ALT: block 3 minus the CIRs would be that one ALT. The CIRs (5) go
    # first; then the ALTs (11) hold block 5 (10) and one more: block 5 goes; then block 3 (6) holds the
    # hidden CIRs (5, known as the total minus the ALTs): block 3 goes.
    ({(3, "CIR"): 5, (3, "ALT"): 1, (5, "ALT"): 10}, {"block-3", "block-5", "position-CIR"}),
    # The voice tests' closed survey: block 1 (2) is small, block 5 (7) its complement; the CIR of
    # Saitama keeps block 3 (9) from lying inside the ALTs (12) by a gap under 5.
    ({(3, "ALT"): 8, (3, "CIR"): 1, (5, "ALT"): 2, (5, "CIR"): 5, (1, "ALT"): 2}, {"block-1", "block-5"}),
    # Without that CIR, block 3 (8) lies inside the ALTs (12), 4 apart: block 3, the smaller, goes, and
    # then block 1 (2) and block 5 (7) lie inside the CIRs and the ALTs ... until the blocks are all hidden.
    ({(3, "ALT"): 8, (5, "ALT"): 2, (5, "CIR"): 5, (1, "ALT"): 2}, {"block-1", "block-3", "block-5"}),
    # Members with no block (None) form a cell like any other.
    ({(None, "ALT"): 6, (3, "CIR"): 6}, set()),
    ({(None, "ALT"): 3, (3, "ALT"): 6, (3, "CIR"): 6}, {"block-None", "block-3"}),
    # A union of blocks (3 and 5, 12 together) inside the ALTs (14), 2 apart: the difference is block 1's
    # two ALTs, although no single block gives it away. Blocks go, smallest first, until no union of what
    # the blocks show lies inside the ALTs by 1 to 4: all three.
    ({(3, "ALT"): 6, (5, "ALT"): 6, (1, "ALT"): 2, (1, "CIR"): 9}, {"block-1", "block-3", "block-5"}),
    # The ALTs (5) inside block 3 (8), 3 apart: the smaller of the two goes; then block 5 (9) inside the
    # CIRs (12), 3 apart: block 5 goes; then block 3 holds the hidden ALTs and 3 more: block 3 goes.
    ({(3, "ALT"): 5, (3, "CIR"): 3, (5, "CIR"): 9}, {"block-3", "block-5", "position-ALT"}),
])
def test_which_cells_both_breakdowns_hide(pairs, expected):
    hidden = suppressed_cells(pairs)
    assert hidden == expected
    _check(pairs, hidden)


def test_a_pair_with_nobody_in_it_touches_no_figure():
    # (5, "CIR") with 0 respondents would put block 5 next to the CIRs; it must not count as touching them.
    pairs = {(3, "ALT"): 6, (3, "CIR"): 6, (5, "ALT"): 7, (5, "CIR"): 0}
    assert suppressed_cells(pairs) == set()


@pytest.mark.parametrize(("pairs", "hidden", "expected"), [
    # Nothing hidden: block 3 (6) holds the CIRs (5) and one more; the smaller of the two figures goes.
    ({(3, "CIR"): 5, (3, "ALT"): 1, (5, "ALT"): 10}, set(), "position-CIR"),
    # The CIRs hidden: the ALTs (11) hold block 5 (10) and one more. Every shown cell the ALTs touch is
    # involved, and the smallest goes: block 3 (6).
    ({(3, "CIR"): 5, (3, "ALT"): 1, (5, "ALT"): 10}, {"position-CIR"}, "block-3"),
    # A subset sum: the ALTs (13) minus block 3 (6) and block 5 (5) is the 2 ALTs of block 1, whose block
    # is hidden (with the CIRs of block 1, 9 together). The smallest shown cell involved goes: block 5.
    ({(3, "ALT"): 6, (5, "ALT"): 5, (1, "ALT"): 2, (1, "CIR"): 7}, {"block-1"}, "block-5"),
    # Block 5 (10) and the ALTs (6, hidden alone by an earlier leak) hidden: block 5 minus the ALTs would be its
    # 4 SEAs, and both figures are hidden. A shown figure must go, the smallest (the SEAs, 10): the hidden ALT
    # cell is no figure to hide again (choosing it would find the same difference for ever).
    ({(5, "ALT"): 6, (5, "SEA"): 4, (8, "SEA"): 6, (8, "CIR"): 12}, {"block-5", "position-ALT"}, "position-SEA"),
    # Nothing to find.
    ({(3, "ALT"): 6, (5, "CIR"): 7}, set(), None),
    ({(3, "ALT"): 6, (3, "CIR"): 6, (5, "ALT"): 6, (5, "CIR"): 6}, set(), None),
    # Every figure 5 apart or more.
    ({(3, "ALT"): 5, (3, "CIR"): 5, (5, "CIR"): 9}, set(), None),
])
def test_the_difference_that_isolates_a_few_people_and_the_cell_that_goes(pairs, hidden, expected):
    blocks, positions = _breakdowns(pairs)
    assert difference_leak(pairs, blocks, positions, set(hidden)) == expected
    assert bool(_leaks(pairs, set(hidden))) == (expected is not None)


def test_a_leak_only_through_hidden_cells_hides_a_shown_one():
    # Blocks 1 and 3 hidden (3 + 4 = 7 together), block 5 shown (9); the CIRs (7) are exactly blocks 1 and 3
    # and the ALTs ... the one shown figure that differs by a few is what goes.
    pairs = {(1, "CIR"): 3, (3, "CIR"): 4, (5, "ALT"): 6, (5, "CIR"): 3}
    blocks, positions = _breakdowns(pairs)
    leak = difference_leak(pairs, blocks, positions, {"block-1", "block-3"})
    assert leak in {"block-5", "position-CIR", "position-ALT"}
    hidden = suppressed_cells(pairs)
    _check(pairs, hidden)


@pytest.mark.parametrize("seed", range(40))
def test_random_surveys_leave_no_difference_and_hide_only_what_they_must(seed):
    """Random respondents in 2 to 4 blocks and 1 to 3 positions: the answer always passes the brute-force
    check, and a breakdown whose cells are all 5 or more with no leak between them hides nothing."""
    rnd = random.Random(seed)
    blocks = rnd.sample([1, 3, 5, 8, None], rnd.randint(2, 4))
    positions = rnd.sample(["ALT", "CIR", "SEA"], rnd.randint(1, 3))
    pairs = {(block, position): rnd.choice([0, 1, 2, 3, 4, 5, 6, 8, 12]) for block in blocks for position in positions}
    if sum(pairs.values()) < SUPPRESSION_THRESHOLD:
        pairs[(blocks[0], positions[0])] += SUPPRESSION_THRESHOLD
    hidden = suppressed_cells(pairs)
    _check(pairs, hidden)
    if not _leaks(pairs, set()) and all(size >= SUPPRESSION_THRESHOLD for sizes in _breakdowns(pairs)
                                        for size in sizes.values()):
        assert hidden == set()


# --- the whole structure, on the voice tests' closed survey (conftest.closed_survey) ---------------------

ALT, CIR = "ALT (Assistant Language Teacher)", "CIR (Coordinator for International Relations)"


def _cells(result):
    return [(cell.key, cell.label, cell.respondents, cell.counts, cell.average, cell.middle, cell.suppressed)
            for cell in (result.overall, *result.by_block, *result.by_position)]


def _breakdown(block_3, alt, cir, overall):
    """The cells of a question answered by all 18: blocks 1 (2) and 5 (7) hidden, block 3 (9) and both
    positions shown. Each argument: (counts, average, median)."""
    return [("all", "All respondents", 18, *overall, False),
            ("block-1", "Block 1", None, None, None, None, True),
            ("block-3", "Block 3", 9, *block_3, False),
            ("block-5", "Block 5", None, None, None, None, True),
            ("position-ALT", ALT, 12, *alt, False),
            ("position-CIR", CIR, 6, *cir, False)]


@pytest.mark.django_db
def test_every_cell_of_the_closed_survey(closed_survey):
    # Respondent i (0 to 17) chose option i % 3, Likert point 1 + i % 5 and the number i; 0-8 live in block 3
    # (8 ALTs, then a CIR), 9-15 in block 5 (2 ALTs, 5 CIRs), 16-17 in block 1 (ALTs).
    single, multiple, likert, number, short, long = survey_results(closed_survey, text_limit=3)
    choices = _breakdown(([3, 3, 3], None, None), ([4, 5, 3], None, None), ([2, 1, 3], None, None),
                         ([6, 6, 6], None, None))
    assert _cells(single) == choices and _cells(multiple) == choices
    assert single.labels == ["Light", "Right", "Heavy"]
    assert _cells(likert) == _breakdown(([2, 2, 2, 2, 1], 2.78, None), ([3, 3, 3, 1, 2], 2.67, None),
                                        ([1, 1, 1, 2, 1], 3.17, None), ([4, 4, 4, 3, 3], 2.83, None))
    assert likert.labels[0] == "Strongly disagree" and len(likert.labels) == 5
    # Numbers: block 3 gave 0-8; the ALTs 0-7, 9, 10, 16, 17; the CIRs 8 and 11-15.
    assert _cells(number) == _breakdown((None, 4.0, 4.0), (None, 6.67, 5.5), (None, 12.17, 12.5),
                                        (None, 8.5, 8.5))
    assert number.overall.histogram == [(low, low + 1, 2) for low in range(0, 18, 2)]
    assert all(cell.histogram is None for cell in (*number.by_block, *number.by_position))
    for result in (single, multiple, likert, number, long):
        assert result.hidden_groups == {"block-1", "block-5"}
        assert result.texts is None or result is long
    # Nobody answered the short text question: nothing at all is shown of it.
    assert short.overall.suppressed and short.overall.respondents is None
    assert (short.by_block, short.by_position, short.texts, short.hidden_groups) == ([], [], None, set())
    # Texts: only from respondents whose block and position are both shown, alphabetically, 3 of 9 here.
    assert (long.texts, long.text_total) == (["saitama too", "saitama words", "saitama words"], 9)
    one = survey_results(closed_survey, text_limit=1)[-1]
    assert (one.texts, one.text_total) == (["saitama too"], 9)
    none = survey_results(closed_survey, text_limit=0)[-1]  # none fetched (the XLSX lists them elsewhere)
    assert (none.texts, none.text_total) == ([], None)
    # Only a number question has a histogram.
    assert all(result.overall.histogram is None for result in (single, multiple, likert, long))
    everything = survey_results(closed_survey)[-1]
    assert (everything.texts, everything.text_total) == (["saitama too"] + ["saitama words"] * 8, 9)
    assert [result.value_columns for result in (single, likert, number, long)] == [4, 7, 3, 1]


@pytest.mark.django_db
def test_the_exports_show_the_same_cells(closed_survey):
    results = survey_results(closed_survey)
    data = results_as_dict(closed_survey, results)
    assert (data["anonymous"], data["suppression_threshold"]) == (True, SUPPRESSION_THRESHOLD)
    number = data["questions"][3]
    assert number["overall"] == {"group": "All respondents", "suppressed": False, "respondents": 18, "counts": None,
                                 "average": 8.5, "median": 8.5,
                                 "histogram": [{"from": low, "to": low + 1, "count": 2} for low in range(0, 18, 2)]}
    assert number["by_block"][0] == {"group": "Block 1", "suppressed": True, "respondents": "fewer than 5"}
    assert "histogram" not in number["by_block"][1]
    assert data["questions"][4]["texts"] == "fewer than 5" and len(data["questions"][5]["texts"]) == 9
    rows = list(results_as_rows(results))
    assert rows[0] == ["Question", "Breakdown", "Group", "Respondents", "Answer", "Count or value"]
    assert ["Load?", "Overall", "All respondents", 18, "Heavy", 6] in rows
    assert ["Load?", "By block", "Block 1", "fewer than 5", "", "fewer than 5"] in rows
    assert ["Overtime hours", "By position", CIR, 6, "Median", 12.5] in rows
    assert ["Overtime hours", "By position", CIR, 6, "Average", 12.17] in rows
    assert ["Anything else?", "By block", "Block 3", 9, "", ""] in rows
    assert ["Load?", "By block", "Block 3", 9, "", ""] not in rows  # a cell with counts has no empty row
    assert sum(row[1] == "Text answers" for row in rows) == 9
    assert not any("secret" in str(row) or "aichi" in str(row) for row in rows)


@pytest.mark.django_db
def test_an_attributed_survey_shows_every_text_even_under_five(executive):
    # Attributed answers are not anonymous: the counts are still suppressed, the texts are all listed.
    survey = make_survey(executive, anonymous=False)
    for index, prefecture in enumerate(["11", "11", "23"]):
        services.submit_response(member=MemberFactory(prefecture_id=prefecture), survey=survey,
                                 values=answers(survey, text=f"text {index}"))
    long = survey_results(survey)[-1]
    assert long.overall.suppressed and all(cell.suppressed for cell in long.by_block)
    assert long.texts == ["text 0", "text 1", "text 2"] and long.text_total == 3
    number = survey_results(survey)[3]
    assert number.overall.suppressed and number.overall.histogram is None  # three people's numbers: none shown


@pytest.mark.django_db
def test_texts_come_only_from_respondents_whose_block_and_position_are_both_shown(executive):
    # Block 3: 6 ALTs, 6 CIRs and 1 SEA; block 11: 6 ALTs and 6 CIRs; 2 ALTs with no block. The SEA (1) is
    # hidden and the CIRs with it (complement); no-block (2) is hidden and block 11 with it. Only block 3's
    # ALTs are in two shown cells: only their texts are listed.
    survey = make_survey(executive)
    groups = [(3, "ALT", 6), (3, "CIR", 6), (3, "SEA", 1), (11, "ALT", 6), (11, "CIR", 6), (None, "ALT", 2)]
    for block, position, size in groups:
        for index in range(size):
            member = MemberFactory(prefecture_id="11", position=position)
            values = answers(survey, text=f"{block} {position} {index}")
            response = services.submit_response(member=member, survey=survey, values=values)
            type(response).objects.filter(pk=response.pk).update(block=block)
    rebuild_totals(survey.pk)  # the blocks were changed straight in the table, past the running totals
    close(survey)
    long = survey_results(survey)[-1]
    assert long.hidden_groups == {"block-11", "block-None", "position-CIR", "position-SEA"}
    assert [cell.key for cell in long.by_block] == ["block-3", "block-11", "block-None"]  # by number, None last
    assert long.texts == [f"3 ALT {index}" for index in range(6)]


@pytest.mark.parametrize(("counts", "expected"), [
    ({0: 1, 10: 1}, [(0, 1, 1), (2, 3, 0), (4, 5, 0), (6, 7, 0), (8, 9, 0), (10, 10, 1)]),  # 11 values: width 2
    ({3: 2, 12: 1}, [(3, 3, 2), *((value, value, 0) for value in range(4, 12)), (12, 12, 1)]),  # 10 values: width 1
    ({7: 4}, [(7, 7, 4)]),
    ({}, []),
])
def test_the_histogram_has_at_most_ten_equal_ranges_covering_the_answers(counts, expected):
    assert histogram(counts) == expected


def _kept_until(key: str) -> float:
    """When the shared cache lets `key` go (a Unix time): Django's cache API does not say, so the backend is
    asked, the tests' in-memory one or Redis."""
    full = cache.make_and_validate_key(key)
    if hasattr(cache, "_expire_info"):
        return cache._expire_info[full]
    return time.time() + cache._cache.get_client(full).ttl(full)


@pytest.mark.django_db
def test_the_counts_are_kept_a_day_and_a_closed_survey_s_thirty_days(executive, closed_survey):
    survey = make_survey(executive)
    services.submit_response(member=MemberFactory(prefecture_id="11"), survey=survey, values=answers(survey))
    for read, lifetime in ((survey, 24 * 3600), (closed_survey, 30 * 24 * 3600)):
        before = time.time()
        survey_results(read, text_limit=3)
        after = time.time()
        assert before + lifetime - 1 <= _kept_until(counts_key(read)) <= after + lifetime


@pytest.mark.django_db
def test_a_second_reading_of_the_same_responses_reads_neither_totals_nor_texts(closed_survey):
    first = survey_results(closed_survey, text_limit=3)
    kept_until = _kept_until(counts_key(closed_survey))
    time.sleep(0.01)
    with CaptureQueriesContext(connection) as queries:
        again = survey_results(closed_survey, text_limit=3)
    if hasattr(cache, "_expire_info"):  # exact in the in-memory cache (Redis tells whole seconds)
        assert _kept_until(counts_key(closed_survey)) == kept_until  # nothing new was kept: no longer lifetime
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "voice_answertotal" not in read and "voice_answer" not in read.replace("voice_answertotal", "")
    assert [(_cells(result), result.texts, result.text_total) for result in again] == [
        (_cells(result), result.texts, result.text_total) for result in first]


@pytest.mark.django_db
def test_each_text_question_lists_its_own_first_texts(executive):
    # Two text questions, each answered by all six: each lists the first two of its own texts. (PostgreSQL
    # reads them as one UNION of a limited query per question, SQLite in a window: both are run here.)
    survey = make_survey(executive)
    short = survey.questions.get(kind="short_text")
    for index in reversed(range(6)):
        values = answers(survey, text=f"long {index}") | {str(short.pk): f"short {index}"}
        services.submit_response(member=MemberFactory(prefecture_id="11"), survey=survey, values=values)
    *_others, short_result, long_result = survey_results(survey, text_limit=2)
    assert (short_result.question, short_result.texts, short_result.text_total) == (short, ["short 0", "short 1"], 6)
    assert (long_result.texts, long_result.text_total) == (["long 0", "long 1"], 6)


@pytest.mark.django_db
def test_a_multiple_choice_cell_counts_people_not_the_options_they_chose(executive):
    survey = make_survey(executive)
    for _index in range(6):
        services.submit_response(member=MemberFactory(prefecture_id="11", position="ALT"), survey=survey,
                                 values=answers(survey, helpers=(0, 2)))
    multiple = survey_results(survey)[1]
    assert multiple.question.kind == "multiple"
    assert [(cell.key, cell.respondents, cell.counts) for cell in (multiple.overall, *multiple.by_block)] == [
        ("all", 6, [6, 0, 6]), ("block-3", 6, [6, 0, 6])]


@pytest.mark.parametrize(("counts", "expected"), [
    ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 3),  # an odd number of answers: the middle one
    ({1: 1, 2: 1, 3: 1, 4: 1}, 2.5),  # an even number: halfway between the two middle ones
    ({1: 2, 9: 1}, 1), ({7: 1}, 7), ({}, None)])
def test_the_median_of_the_numbers_given(counts, expected):
    assert _median(counts, sum(counts.values())) == expected


@pytest.mark.django_db
def test_five_respondents_are_shown_and_four_are_not(executive):
    survey = make_survey(executive)
    for index in range(5):
        services.submit_response(member=MemberFactory(prefecture_id="11", position="ALT"), survey=survey,
                                 values=answers(survey, number=index))
        choice = survey_results(survey)[0]  # a reading of its own: kept under each number of responses
        assert choice.overall.suppressed is (index < 4)
        assert all(cell.suppressed for cell in choice.by_block) is (index < 4)


@pytest.mark.django_db
def test_an_erased_answer_never_comes_back_from_a_cached_reading(executive, django_capture_on_commit_callbacks):
    # Attributed answers are erased with their member. The reading cached under today's number of responses
    # holds the erased answer; a later response brings the number back to it: the reading must be a new one.
    survey = make_survey(executive, anonymous=False)
    people = [MemberFactory(prefecture_id="11", position="ALT") for _ in range(7)]
    for index, person in enumerate(people[:6]):
        services.submit_response(member=person, survey=survey, values=answers(survey, number=100 if index == 5
                                                                              else 1))
    number = survey_results(survey)[3]  # read, and kept under six responses
    assert max(high for _low, high, _count in number.overall.histogram) == 100

    with django_capture_on_commit_callbacks(execute=True):
        erase_personal_data(people[5].user)
    services.submit_response(member=people[6], survey=survey, values=answers(survey, number=1))
    number = survey_results(survey)[3]
    assert max(high for _low, high, _count in number.overall.histogram) == 1  # the 100 is gone


@pytest.mark.django_db
def test_the_same_words_from_several_people_are_listed_once_per_person(executive):
    # Both text questions answered: PostgreSQL reads their texts as one UNION (a single question's query is no
    # UNION at all), which must keep every row, not one of each.
    survey = make_survey(executive)
    short = survey.questions.get(kind="short_text")
    for _ in range(6):
        services.submit_response(member=MemberFactory(prefecture_id="11", position="ALT"), survey=survey,
                                 values=answers(survey, text="Same words") | {str(short.pk): "Same words"})
    *_others, short_result, long_result = survey_results(survey, text_limit=PAGE_TEXT_LIMIT)
    assert short_result.question == short
    assert short_result.texts == long_result.texts == ["Same words"] * 6


@pytest.mark.django_db
def test_a_page_lists_the_first_hundred_texts_of_a_question(executive):
    # (Last in the file: under `make mutate`, only a mutant every other test let through pays for 101 people.)
    survey = make_survey(executive)
    for index in range(101):
        services.submit_response(member=MemberFactory(prefecture_id="11", position="ALT"), survey=survey,
                                 values=answers(survey, text=f"text {index:03}"))
    long = survey_results(survey, text_limit=PAGE_TEXT_LIMIT)[-1]
    assert long.texts == [f"text {index:03}" for index in range(100)] and long.text_total == 101
