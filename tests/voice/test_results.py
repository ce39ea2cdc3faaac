"""Results with small-group suppression (DESIGN.md invariant 4), checked in HTML, CSV and JSON here, and in
XLSX and PDF (and against the difference attack) in test_exports.py.

The respondents (conftest.closed_survey): 8 ALTs and a CIR in Saitama (block 3), 2 ALTs and 5 CIRs in Aichi
(block 5), 2 ALTs in Hokkaido (block 1). Block 1 is under 5; alone it could be computed as the total minus
the others, so block 5 (the next smallest) is suppressed too. Texts from suppressed groups are never shown.
(Without the CIR in Saitama, block 3 would lie inside the ALTs and differ from them by 4 people.)
"""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from ajet.voice import services
from ajet.voice.results import SUPPRESSION_THRESHOLD, suppressed_keys, survey_results
from tests.factories import MemberFactory
from tests.voice.survey_factories import answers, close, make_survey

pytestmark = pytest.mark.django_db
SUPPRESSED = "fewer than 5"


@pytest.mark.parametrize(("sizes", "expected"), [
    ({"a": 8, "b": 7, "c": 2}, {"b", "c"}),  # one small cell: the next smallest goes too
    ({"a": 8, "b": 6}, set()),
    ({"a": 8, "b": 3, "c": 4}, {"b", "c"}),  # two small cells holding 7 together: enough
    ({"a": 8, "b": 1, "c": 1, "d": 9}, {"a", "b", "c"}),  # 2 together is not enough
    ({"a": 12, "b": 4}, {"a", "b"}),
])
def test_complementary_suppression(sizes, expected):
    assert suppressed_keys(sizes) == expected


def _check_breakdown(total: int | None, shown: list[int]):
    assert all(size >= SUPPRESSION_THRESHOLD for size in shown), shown
    if total is not None:
        rest = total - sum(shown)
        assert rest == 0 or rest >= SUPPRESSION_THRESHOLD, (total, shown)


def test_the_structure_suppresses_small_blocks_and_their_complement(closed_survey):
    results = [result for result in survey_results(closed_survey) if result.question.text_en != "One word"]
    assert len(results) == 5  # nobody answered the optional short text question
    for result in results:
        blocks = {cell.key: cell for cell in result.by_block}
        assert blocks["block-1"].suppressed and blocks["block-5"].suppressed
        assert blocks["block-1"].counts is None and blocks["block-1"].respondents is None
        assert not blocks["block-3"].suppressed
        assert not any(cell.suppressed for cell in result.by_position)
        if result.texts is not None:
            assert result.texts == ["saitama too"] + ["saitama words"] * 8


def test_json_shows_no_group_under_five(client, executive, closed_survey):
    client.force_login(executive.user)
    data = json.loads(client.get(reverse("voice:survey_results_json", args=[closed_survey.pk])).content)
    assert data["suppression_threshold"] == 5
    for item in data["questions"]:
        total = None if item["overall"]["suppressed"] else item["overall"]["respondents"]
        for breakdown in ("by_block", "by_position"):
            cells = item[breakdown]
            _check_breakdown(total, [cell["respondents"] for cell in cells if not cell["suppressed"]])
            for cell in cells:
                if cell["suppressed"]:
                    assert cell == {"group": cell["group"], "suppressed": True, "respondents": SUPPRESSED}
        assert "secret from hokkaido" not in json.dumps(item) and "aichi words" not in json.dumps(item)
    assert {cell["group"] for cell in data["questions"][0]["by_block"] if cell["suppressed"]} == {"Block 1", "Block 5"}


def test_csv_shows_no_group_under_five(client, executive, closed_survey):
    client.force_login(executive.user)
    body = client.get(reverse("voice:survey_results_csv", args=[closed_survey.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert "secret from hokkaido" not in body and "aichi words" not in body and "cir words" not in body
    by_cell: dict = {}
    for question, breakdown, group, respondents, *_rest in rows:
        by_cell.setdefault((question, breakdown), {})[group] = respondents
    for (question, breakdown), groups in by_cell.items():
        if breakdown in ("Overall", "Text answers"):
            continue
        overall = by_cell[(question, "Overall")]["All respondents"]
        total = None if overall == SUPPRESSED else int(overall)
        _check_breakdown(total, [int(value) for value in groups.values() if value != SUPPRESSED])
        if breakdown == "By block":
            assert groups["Block 1"] == SUPPRESSED and groups["Block 5"] == SUPPRESSED


def test_html_shows_no_group_under_five(client, executive, closed_survey):
    client.force_login(executive.user)
    page = client.get(reverse("voice:survey_results", args=[closed_survey.pk])).content.decode()
    shown = [int(value) for value in re.findall(r'class="respondents">(\d+)<', page)]
    assert shown and min(shown) >= SUPPRESSION_THRESHOLD
    for group in ("block-1", "block-5"):
        rows = re.findall(rf'<tr data-group="{group}">.*?</tr>', page, flags=re.DOTALL)
        assert rows and all(SUPPRESSED in row and 'class="count"' not in row for row in rows)
    assert "secret from hokkaido" not in page and "aichi words" not in page
    assert "saitama words" in page


def test_a_survey_with_fewer_than_five_respondents_shows_nothing(client, executive):
    survey = make_survey(executive)
    for _index in range(4):
        services.submit_response(member=MemberFactory(), survey=survey, values=answers(survey, text="lonely"))
    close(survey)
    client.force_login(executive.user)
    data = json.loads(client.get(reverse("voice:survey_results_json", args=[survey.pk])).content)
    for item in data["questions"]:
        assert item["overall"]["suppressed"] and item["texts"] == SUPPRESSED
        assert all(cell["suppressed"] for cell in item["by_block"] + item["by_position"])
    page = client.get(reverse("voice:survey_results", args=[survey.pk])).content.decode()
    assert "lonely" not in page and not re.findall(r'class="respondents">', page)


def test_results_of_an_open_anonymous_survey_wait_for_the_close(client, executive, member):
    survey = make_survey(executive)
    services.submit_response(member=member, survey=survey, values=answers(survey))
    client.force_login(executive.user)
    page = client.get(reverse("voice:survey_results", args=[survey.pk])).content.decode()
    assert "appear when it closes" in page and 'data-group="all"' not in page
    assert client.get(reverse("voice:survey_results_csv", args=[survey.pk])).status_code == 404


def _page_queries(client, survey) -> tuple[int, str]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ajet.voice.results import counts_key

    cache.delete(counts_key(survey))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("voice:survey_results", args=[survey.pk])).content.decode()
    return len(queries), page


def test_the_results_page_makes_the_same_queries_whatever_the_size(client, executive):
    counts = []
    for size in (6, 18):
        survey = make_survey(executive)
        for index in range(size):
            services.submit_response(member=MemberFactory(prefecture_id=["11", "23", "01"][index % 3]),
                                     survey=survey, values=answers(survey, likert=1 + index % 5, text=f"t{index}"))
        close(survey)
        client.force_login(executive.user)
        client.get(reverse("voice:survey_results", args=[survey.pk]))
        counts.append(_page_queries(client, survey)[0])
    assert counts[0] == counts[1]


def test_counts_and_texts_are_cached_until_the_next_response(client, executive, member):
    survey = make_survey(executive, anonymous=False)  # attributed: live results
    for index in range(5):
        services.submit_response(member=MemberFactory(), survey=survey, values=answers(survey, text=f"said {index}"))
    client.force_login(executive.user)
    client.get(reverse("voice:survey_results", args=[survey.pk]))  # the session's and powers' first reading
    cold, page = _page_queries(client, survey)
    assert 'class="respondents">5<' in page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as warm:
        again = client.get(reverse("voice:survey_results", args=[survey.pk])).content.decode()
    assert re.findall(r'<tr data-group=.*?</tr>', again, flags=re.DOTALL) == re.findall(
        r'<tr data-group=.*?</tr>', page, flags=re.DOTALL)
    texts = re.findall(r'<ul class="text-answers">.*?</ul>', page, flags=re.DOTALL)
    assert any("said 4" in listed for listed in texts)
    assert re.findall(r'<ul class="text-answers">.*?</ul>', again, flags=re.DOTALL) == texts
    assert len(warm) == cold - 2  # the totals and the texts
    services.submit_response(member=member, survey=survey, values=answers(survey, text="said late"))
    later = client.get(reverse("voice:survey_results", args=[survey.pk])).content.decode()
    assert 'class="respondents">6<' in later and "said late" in later
