"""Suppression in every export path (HTML, CSV, JSON, XLSX, PDF), the difference attack, and the XLSX's
raw anonymous answers and formula neutralisation.

The difference attack (nested_survey): 5 CIRs and 1 ALT in Saitama (block 3), 10 ALTs in Aichi (block 5).
Every group has 5 or more people, but block 3 holds all the CIRs and one person more: block 3 minus the CIRs
would be the one ALT of Saitama. Whatever each output shows, no two figures a reader can get (a shown cell,
the total, or the total minus a breakdown's shown cells) may differ by 1 to 4 people.
"""

import csv
import io
import json
import re
from itertools import combinations

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ajet.voice import exports, services
from ajet.voice.models import Question
from ajet.voice.results import SUPPRESSION_THRESHOLD, difference_leak, survey_results
from tests.factories import MemberFactory
from tests.voice.survey_factories import answers, close, make_survey, question
from tests.voice.test_results import SUPPRESSED, _check_breakdown

pytestmark = pytest.mark.django_db
LONE = "the lone ALT of Saitama"


def _xlsx(client, survey):
    response = client.get(reverse("voice:survey_results_xlsx", args=[survey.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def _pdf_text(client, survey) -> str:
    response = client.get(reverse("voice:survey_results_pdf", args=[survey.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def _rows_by_cell(rows) -> dict:
    """CSV or XLSX "Results" rows → {(question, breakdown): {group: (respondents, [counts])}}."""
    cells: dict = {}
    for question_text, breakdown, group, respondents, label, value in rows:
        if breakdown == "Text answers":
            continue
        counts = cells.setdefault((question_text, breakdown), {}).setdefault(group, [respondents, []])[1]
        if label not in ("", None, "Average", "Median") and value != SUPPRESSED:
            counts.append(int(value))
    return cells


def test_xlsx_shows_no_group_under_five(client, executive, closed_survey):
    client.force_login(executive.user)
    book = _xlsx(client, closed_survey)
    results = [list(row) for row in book["Results"].iter_rows(min_row=2, values_only=True)]
    by_cell = _rows_by_cell(results)
    for (question_text, breakdown), groups in by_cell.items():
        if breakdown == "Overall":
            continue
        overall = by_cell[(question_text, "Overall")]["All respondents"][0]
        _check_breakdown(None if overall == SUPPRESSED else overall,
                         [size for size, _counts in groups.values() if size != SUPPRESSED])
        if breakdown == "By block":
            assert groups["Block 1"][0] == SUPPRESSED and groups["Block 5"][0] == SUPPRESSED
    body = json.dumps(results)
    assert "secret from hokkaido" not in body and "aichi words" not in body and "cir words" not in body

    raw = list(book["Answers"].iter_rows(values_only=True))
    assert raw[0][0] == "Response" and len(raw[0]) == 1 + closed_survey.questions.count()
    assert len(raw) == 1 + 18  # one row per response, and no block, position or time
    assert not {"Block 1", "Block 3", "ALT", "CIR", "Saitama"} & {value for row in raw for value in row}
    texts = [row[-1] for row in raw[1:]]
    assert sorted(text for text in texts if text != SUPPRESSED) == ["saitama too"] + ["saitama words"] * 8
    assert texts.count(SUPPRESSED) == 9  # the Aichi and Hokkaido respondents' texts are withheld


def test_pdf_shows_no_group_under_five(client, executive, closed_survey):
    client.force_login(executive.user)
    text = _pdf_text(client, closed_survey)
    assert "Results: Working conditions" in text and re.findall(r"Light\s+6 \(33%\)", text)  # a chart's text
    for group in ("Block 1", "Block 5"):
        assert re.findall(rf"{group}\s+{SUPPRESSED}", text) and not re.findall(rf"{group}\s+\d", text)
    assert re.findall(r"Block 3\s+9\b", text)
    assert "secret from hokkaido" not in text and "aichi words" not in text and "cir words" not in text
    assert "saitama words" in text


@pytest.fixture
def nested_survey(executive):
    survey = make_survey(executive)
    people = [("11", "CIR", 1, "")] * 5 + [("11", "ALT", 5, LONE)] + [("23", "ALT", 3, "")] * 10
    for prefecture, position, likert, text in people:
        member = MemberFactory(prefecture_id=prefecture, position=position)
        services.submit_response(member=member, survey=survey, values=answers(survey, likert=likert, text=text))
    close(survey)
    return survey


def _assert_no_difference_isolates_anyone(total: list[int], breakdowns: list[list[list[int] | None]]):
    """`total`: the overall counts of a question; each breakdown: its cells' counts (None: suppressed).
    Every figure a reader can form — the total, each shown cell, each breakdown's suppressed cells taken
    together — is compared with every other: none may lie inside another and differ by 1 to 4 people."""
    figures = [total]
    for cells in breakdowns:
        shown = [counts for counts in cells if counts is not None]
        figures += shown
        if len(shown) < len(cells):
            figures.append([whole - sum(part) for whole, *part in zip(total, *shown, strict=True)])
    for first, second in combinations(figures, 2):
        for bigger, smaller in ((first, second), (second, first)):
            gap = [big - small for big, small in zip(bigger, smaller, strict=True)]
            assert not (min(gap) >= 0 and 0 < sum(gap) < SUPPRESSION_THRESHOLD), (bigger, smaller)


def test_the_difference_attack_is_closed_in_the_structure(nested_survey):
    likert = next(result for result in survey_results(nested_survey) if result.question.kind == "likert")
    assert likert.overall.counts == [5, 0, 10, 0, 1]
    _assert_no_difference_isolates_anyone(likert.overall.counts, [
        [cell.counts for cell in cells] for _name, cells in likert.breakdowns])
    shown = {cell.key for _name, cells in likert.breakdowns for cell in cells if not cell.suppressed}
    assert not {"block-3", "position-CIR"} <= shown  # the pair whose difference is one person
    blocks = {"block-3": 6, "block-5": 10}
    positions = {"position-CIR": 5, "position-ALT": 11}
    pairs = {(3, "CIR"): 5, (3, "ALT"): 1, (5, "ALT"): 10}
    assert difference_leak(pairs, blocks, positions, hidden=set()) is not None  # what plain suppression leaves


def test_the_difference_attack_is_closed_in_every_output(client, executive, nested_survey):
    client.force_login(executive.user)
    likert_text = question(nested_survey, Question.Kind.LIKERT).text_en
    url = reverse("voice:survey_results_json", args=[nested_survey.pk])
    item = next(item for item in json.loads(client.get(url).content)["questions"] if item["type"] == "likert")
    _assert_no_difference_isolates_anyone(item["overall"]["counts"], [
        [None if cell["suppressed"] else cell["counts"] for cell in item[name]]
        for name in ("by_block", "by_position")])

    body = client.get(reverse("voice:survey_results_csv", args=[nested_survey.pk])).content.decode()
    book = _xlsx(client, nested_survey)
    for rows in (list(csv.reader(io.StringIO(body)))[1:],
                 [list(row) for row in book["Results"].iter_rows(min_row=2, values_only=True)]):
        cells = _rows_by_cell(rows)
        total = cells[(likert_text, "Overall")]["All respondents"][1]
        _assert_no_difference_isolates_anyone(total, [
            [None if size == SUPPRESSED else counts for size, counts in cells[(likert_text, name)].values()]
            for name in ("By block", "By position")])

    page = client.get(reverse("voice:survey_results", args=[nested_survey.pk])).content.decode()
    section = next(part for part in page.split('<section class="question-result">') if "Valued?" in part)
    counts = {group: [int(value) for value in re.findall(r'class="count">(\d+)<', row)] or None
              for group, row in re.findall(r'<tr data-group="([^"]+)">(.*?)</tr>', section, flags=re.DOTALL)}
    _assert_no_difference_isolates_anyone(counts.pop("all"), [
        [value for key, value in counts.items() if key.startswith(prefix)] for prefix in ("block-", "position-")])

    text = _pdf_text(client, nested_survey)
    assert re.findall(rf"Block 3\s+{SUPPRESSED}", text) or re.findall(rf"CIR\s+{SUPPRESSED}", text)
    for output in (body, page, text, json.dumps(list(book["Answers"].values))):
        assert LONE not in output  # the only text, from the one person a difference would expose


def test_spreadsheet_cells_never_run_as_formulas(client, executive):
    survey = make_survey(executive)
    single = question(survey, Question.Kind.SINGLE)
    single.options.filter(pk=single.options.first().pk).update(text_en="=1+1")
    for _index in range(6):
        services.submit_response(member=MemberFactory(), survey=survey,
                                 values=answers(survey, text='=HYPERLINK("http://evil.example","x")'))
    close(survey)
    client.force_login(executive.user)
    raw = list(_xlsx(client, survey)["Answers"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in raw} == {"'=1+1"} and {row[-1] for row in raw} == {"'=HYPERLINK(\"http://evil.example\",\"x\")"}
    body = client.get(reverse("voice:survey_results_csv", args=[survey.pk])).content.decode()
    assert "'=HYPERLINK" in body and not re.search(r'(^|,)"?=', body, flags=re.MULTILINE)
    assert exports.neutralise("-3") == "'-3" and exports.neutralise(-3) == -3 and exports.neutralise("ok") == "ok"


def test_exports_wait_for_the_close_of_an_anonymous_survey(client, executive, member):
    survey = make_survey(executive)
    services.submit_response(member=member, survey=survey, values=answers(survey))
    client.force_login(executive.user)
    for name in ("voice:survey_results_xlsx", "voice:survey_results_pdf"):
        assert client.get(reverse(name, args=[survey.pk])).status_code == 404


def test_the_pdf_report_in_japanese_uses_the_japanese_font(closed_survey):
    Question.objects.filter(survey=closed_survey, kind=Question.Kind.LIKERT).update(text_ja="大切にされていますか")
    with translation.override("ja"):
        reader = PdfReader(io.BytesIO(exports.pdf_report(closed_survey)))
    assert "大切にされていますか" in "".join(page.extract_text() for page in reader.pages)
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()
             for font in [font.get_object()]}
    assert any("IPAexGothic" in name for name in fonts), fonts


def test_the_chart_api_for_the_meeting_report(closed_survey):
    from ajet.voice import charts

    likert = question(closed_survey, Question.Kind.LIKERT)
    chart = charts.chart_for_question(likert)
    assert chart.kind == "diverging" and chart.title == "Diverging bar chart: Valued?"
    html = chart.html()
    assert "<script" not in html and "style=" not in html and 'role="img"' in html
    assert html.count("fewer than 5") == 4  # blocks 1 and 5, as text in the drawing and in its table
    assert [row[0] for row in chart.rows][:2] == ["All respondents", "Block 1"]
    assert charts.chart_for_question(question(closed_survey, Question.Kind.SHORT_TEXT)) is None
