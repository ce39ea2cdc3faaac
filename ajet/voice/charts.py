"""Charts of survey results, drawn on the server as SVG: bars for choice questions, diverging bars for Likert
questions (every shown group, disagreement to the left of the middle, agreement to the right), a histogram
for number questions.

Our own small SVG rather than a library: the charts must pass a strict Content-Security-Policy (no script,
no inline style: colours are presentation attributes), read on a phone (labels above the bars, never under
rotated axes that overflow), carry the labels in the reader's language, render the same in WeasyPrint for
the PDF report, and describe themselves to screen readers (a title, a description, and the numbers again
as a table). pygal, the obvious candidate, embeds its CSS in a <style> element and links its tooltip script.

They draw only what results.py lets through: no suppressed cell reaches a chart, whose numbers are the
results' own. The API, for the results page, the PDF report and the sponsor-meeting report:

    chart_for(result) -> Chart | None        one question's result (results.survey_results)
    chart_for_question(question) -> Chart | None
    charts_for_survey(survey) -> [(result, Chart | None)]
    Chart.html() -> the <figure> with the SVG and the table
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ajet.voice.models import Question, Survey
from ajet.voice.results import SUPPRESSED_LABEL, QuestionResult, survey_results

WIDTH = 300  # the viewBox: the SVG scales to its column (about 270 CSS pixels on a phone: the text stays readable)
FONT_SIZE = 14
LABEL_CHARACTERS = 38  # longer labels are shortened in the drawing (the table has them in full)
BAR = "#0b4f8a"
INK = "#1b1f24"
LIKERT_COLOURS = {1: "#b2182b", 2: "#ef8a62", 3: "#bababa", 4: "#67a9cf", 5: "#2166ac"}  # ColorBrewer RdBu


@dataclass
class Chart:
    ident: str  # unique on a page: the SVG's title and description are named by it
    kind: str  # "bars", "diverging" or "histogram"
    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)  # the table's header
    rows: list[list] = field(default_factory=list)  # the table: a label, then numbers

    def html(self) -> SafeString:
        return render_to_string("voice/_chart.html", {"chart": self})


def chart_for(result: QuestionResult, *, font_family: str | None = None) -> Chart | None:
    """The chart of one question's result, or None when there is nothing to draw (a text question, or an
    overall cell with fewer respondents than the threshold)."""
    if result.overall.suppressed:
        return None
    kind = result.question.kind
    if kind in Question.CHOICE_KINDS:
        return _bars(result, font_family)
    if kind == Question.Kind.LIKERT:
        return _diverging(result, font_family)
    if kind == Question.Kind.NUMBER and result.overall.histogram:
        return _histogram(result, font_family)
    return None


def charts_for_survey(survey: Survey, *, font_family: str | None = None) -> list[tuple[QuestionResult, Chart | None]]:
    """Every question's result with its chart (reads the results once; see results.survey_results)."""
    return [(result, chart_for(result, font_family=font_family))
            for result in survey_results(survey, text_limit=0)]


def chart_for_question(question: Question, *, font_family: str | None = None) -> Chart | None:
    """The chart of one question of a survey (its survey's results are read: suppression needs them all).
    Check first that the reader may see the survey's results (voice.manage_survey, or a published report)."""
    for result, chart in charts_for_survey(question.survey, font_family=font_family):
        if result.question.pk == question.pk:
            return chart
    return None


def _percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "—"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"


def _svg(ident: str, title: str, description: str, height: int, body: SafeString, font_family) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" font-size="{}"{}><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, height, ident, ident, FONT_SIZE,
        format_html(' font-family="{}"', font_family) if font_family else "",
        ident, title, ident, description, body)


def _text(x, y, text, *, anchor="start", size=None, **extra) -> SafeString:
    attributes = format_html_join("", ' {}="{}"', ((name.replace("_", "-"), value) for name, value in extra.items()))
    return format_html('<text x="{}" y="{}" text-anchor="{}" fill="{}"{}{}>{}</text>', x, y, anchor, INK,
                       format_html(' font-size="{}"', size) if size else "", attributes, text)


def _join(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _rect(x, y, width, height, colour) -> SafeString:
    return format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', round(x, 1), y,
                       round(max(width, 0), 1), height, colour)


def _bars(result: QuestionResult, font_family) -> Chart:
    """One bar per option, its length the share of respondents who chose it."""
    cell = result.overall
    total = cell.respondents
    ident = f"chart-q{result.question.pk}"
    top = max(cell.counts or [0]) or 1
    room = WIDTH - 90  # the longest bar leaves room for its number
    parts, y = [], 0
    for label, count in zip(result.labels, cell.counts, strict=True):
        parts.append(_text(0, y + 16, _short(label)))
        parts.append(_rect(0, y + 24, room * count / top, 16, BAR))
        parts.append(_text(room * count / top + 6, y + 37, f"{count} ({_percent(count, total)})"))
        y += 48
    summary = "; ".join(f"{label}: {count} ({_percent(count, total)})"
                        for label, count in zip(result.labels, cell.counts, strict=True))
    title = _("Bar chart: %(question)s") % {"question": result.question.text}
    description = _("%(respondents)s respondents. %(summary)s") % {"respondents": total, "summary": summary}
    return Chart(ident=ident, kind="bars", title=title, description=description,
                 svg=_svg(ident, title, description, y + 4, _join(parts), font_family),
                 columns=[_("Answer"), _("Respondents"), _("Share")],
                 rows=[[label, count, _percent(count, total)]
                       for label, count in zip(result.labels, cell.counts, strict=True)])


def _diverging(result: QuestionResult, font_family) -> Chart:
    """One bar per shown group, centred on the neutral point: disagreement extends left, agreement right."""
    ident = f"chart-q{result.question.pk}"
    cells = [result.overall] + [cell for _name, cells in result.breakdowns for cell in cells]
    middle, half = WIDTH / 2, WIDTH / 2 - 4
    parts, y, rows = [], 0, []
    for cell in cells:
        parts.append(_text(0, y + 16, _short(cell.label)))
        if cell.suppressed:
            parts.append(_text(middle, y + 37, str(SUPPRESSED_LABEL), anchor="middle"))
            rows.append([cell.label, str(SUPPRESSED_LABEL)] + [""] * 5)
            y += 48
            continue
        total = sum(cell.counts) or 1
        share = [count / total for count in cell.counts]  # points 1 to 5
        # Left of the middle, from the middle outwards: half of the neutral, disagree, strongly disagree.
        x = middle
        for point, width in ((3, share[2] / 2), (2, share[1]), (1, share[0])):
            x -= width * half
            parts.append(_rect(x, y + 24, width * half, 18, LIKERT_COLOURS[point]))
        x = middle
        for point, width in ((3, share[2] / 2), (4, share[3]), (5, share[4])):
            parts.append(_rect(x, y + 24, width * half, 18, LIKERT_COLOURS[point]))
            x += width * half
        rows.append([cell.label, cell.respondents] + [f"{count} ({_percent(count, total)})" for count in cell.counts])
        y += 48
    parts.append(format_html('<line x1="{}" y1="20" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>', middle,
                             middle, y, INK))
    y += 8
    for point, label in enumerate(result.labels, start=1):  # the legend, one line each: readable on a phone
        parts.append(_rect(0, y + 4, 14, 14, LIKERT_COLOURS[point]))
        parts.append(_text(22, y + 16, label))
        y += 22
    overall = result.overall
    summary = "; ".join(f"{label}: {_percent(count, overall.respondents)}"
                        for label, count in zip(result.labels, overall.counts, strict=True))
    title = _("Diverging bar chart: %(question)s") % {"question": result.question.text}
    description = _("%(respondents)s respondents. %(summary)s. Disagreement extends left of the middle line, "
                    "agreement right; one bar for all respondents, then one per group.") % {
        "respondents": overall.respondents, "summary": summary}
    return Chart(ident=ident, kind="diverging", title=title, description=description,
                 svg=_svg(ident, title, description, y + 4, _join(parts), font_family),
                 columns=[_("Group"), _("Respondents"), *result.labels], rows=rows)


def _histogram(result: QuestionResult, font_family) -> Chart:
    """Adjacent vertical bars over equal ranges of the answers, with each range's count above its bar."""
    ident = f"chart-q{result.question.pk}"
    bins = result.overall.histogram
    top = max(count for _low, _high, count in bins) or 1
    plot, base = 160, 190  # bar area height; the baseline's y
    width = WIDTH / len(bins)
    single = all(low == high for low, high, _count in bins)
    step = 2 if max(len(str(low)) for low, _high, _count in bins) > 4 else 1  # long numbers: every other tick
    parts = []
    for index, (low, _high, count) in enumerate(bins):
        x = index * width
        height = plot * count / top
        parts.append(_rect(x + 1, base - height, width - 2, height, BAR))
        parts.append(_text(x + width / 2, base - height - 4, count, anchor="middle", size=12))
        if single:  # one value a bar: the value under it
            parts.append(_text(x + width / 2, base + 16, low, anchor="middle", size=12))
        elif index % step == 0:  # ranges: where each begins, under the bars' edges
            parts.append(_text(round(x, 1), base + 16, low, anchor="start" if index == 0 else "middle", size=12))
    if not single:
        parts.append(_text(WIDTH, base + 16, bins[-1][1], anchor="end", size=12))
    parts.append(format_html('<line x1="0" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>', base, WIDTH,
                             base, INK))
    overall = result.overall
    ranges = "; ".join(f"{low}–{high}: {count}" for low, high, count in bins)
    title = _("Histogram: %(question)s") % {"question": result.question.text}
    description = _("%(respondents)s respondents; average %(average)s, median %(median)s. %(ranges)s") % {
        "respondents": overall.respondents, "average": overall.average, "median": overall.middle, "ranges": ranges}
    return Chart(ident=ident, kind="histogram", title=title, description=description,
                 svg=_svg(ident, title, description, base + 24, _join(parts), font_family),
                 columns=[pgettext("histogram bin", "From"), pgettext("histogram bin", "To"), _("Respondents")],
                 rows=[list(item) for item in bins])
