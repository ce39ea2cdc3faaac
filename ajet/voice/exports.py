"""Survey results as files: XLSX (the breakdowns and the raw anonymous answers) and a PDF report with charts.

Both only ever show what results.py lets through (DESIGN.md invariant 4):
- the "Results" sheet is the CSV's rows (results.results_as_rows): suppressed cells carry no number;
- the "Answers" sheet has one row per response in no meaningful order (responses have random ids), with
  no block, position or time: a response's group would let its answers be picked out of a small group, or
  subtracted from a breakdown. A question that fewer than 5 answered has its column withheld, and a free
  text whose respondent is in a suppressed block or position cell is withheld, as on the results page.

Large surveys (more than DIRECT_EXPORT_LIMIT responses) get their XLSX and PDF built by a task instead of in
the request (request_export, tasks.build_survey_export): the file is kept privately in MEDIA_ROOT (never
served by the proxy) for EXPORT_KEPT, downloaded through a permission-checked view, and replaced by the
next one asked for. Both paths build the file with write_export.

The XLSX is written in openpyxl's write-only mode to a temporary file and streamed from it, reading the
answers through a database cursor: memory stays flat whatever the number of responses. Text cells that a
spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return) get a leading
apostrophe.
"""

import datetime
import tempfile
from itertools import groupby

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ajet.core import audit
from ajet.voice import charts
from ajet.voice.models import Answer, Question, Survey, SurveyExport, export_file_path
from ajet.voice.results import (
    PAGE_TEXT_LIMIT,
    SUPPRESSED_LABEL,
    SUPPRESSION_THRESHOLD,
    QuestionResult,
    results_as_rows,
    survey_results,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PDF_FONTS = '"DejaVu Sans", "IPAexGothic", sans-serif'  # IPAex Gothic (fonts-ipaexfont-gothic) for Japanese
CURSOR_CHUNK = 5000
DIRECT_EXPORT_LIMIT = 2000  # responses; larger surveys' XLSX and PDF are built in the background
EXPORT_KEPT = datetime.timedelta(days=1)  # a background export's file is deleted this long after it was built


def neutralise(value):
    """A text a spreadsheet would not run as a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_xlsx(survey: Survey, target) -> None:
    """Write the survey's results workbook to `target` (a path or a binary file). Reads only. The texts are
    in the Answers sheet only (read through the cursor): listing them in the Results sheet too would hold
    them all in memory."""
    found = survey_results(survey, text_limit=0)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Results"))
    for row in results_as_rows(found):
        sheet.append([neutralise(str(value)) if not isinstance(value, int | float) else value for value in row])
    _write_answers(workbook.create_sheet(_("Answers")), survey, found)
    workbook.save(target)


def xlsx_file(survey: Survey):
    """The workbook in an open temporary file, at its start (deleted when closed)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to FileResponse, which closes it
    write_export(survey, SurveyExport.Kind.XLSX, handle)
    handle.seek(0)
    return handle


def _write_answers(sheet, survey: Survey, found: list[QuestionResult]) -> None:
    questions = [result.question for result in found]
    sheet.append([_("Response")] + [neutralise(question.text_en) for question in questions])
    if not found or all(result.overall.suppressed for result in found):
        return
    withheld = {result.question.pk for result in found if result.overall.suppressed}
    hidden = {result.question.pk: _hidden_pairs(result) for result in found
              if result.question.kind in Question.TEXT_KINDS and survey.is_anonymous}
    options = {option.pk: option.text_en for question in questions for option in question.options.all()}
    column = {question.pk: index for index, question in enumerate(questions)}
    rows = (Answer.objects.filter(response__survey=survey).order_by("response_id", "question_id", "option_id")
            .values_list("response_id", "response__block", "response__position", "question_id", "option_id",
                         "number", "text").iterator(chunk_size=CURSOR_CHUNK))
    suppressed = str(SUPPRESSED_LABEL)
    for number, (_response, answers) in enumerate(groupby(rows, key=lambda row: row[0]), start=1):
        values: list = [""] * len(questions)
        for _id, block, position, question_id, option_id, value, text in answers:
            index = column[question_id]
            if question_id in withheld:
                values[index] = suppressed
            elif option_id is not None:
                values[index] = f"{values[index]}; {options[option_id]}" if values[index] else options[option_id]
            elif value is not None:
                values[index] = value
            elif question_id in hidden and (f"block-{block}" in hidden[question_id]
                                             or f"position-{position}" in hidden[question_id]):
                values[index] = suppressed
            else:
                values[index] = text
        sheet.append([number] + [neutralise(value) for value in values])


def _hidden_pairs(result: QuestionResult) -> set[str]:
    return set(result.hidden_groups) | ({"all"} if result.overall.suppressed else set())


# --- PDF ------------------------------------------------------------------------------------------

def pdf_report(survey: Survey) -> bytes:
    """The results report as PDF: for each question its chart, its table with the breakdowns and the first
    texts, all as suppressed as on the page. Fetches nothing from outside (data: URLs only)."""
    return render_pdf(*report_html(survey))


def report_html(survey: Survey) -> tuple[str, str]:
    """The report's HTML and its stylesheet (the results read, the charts drawn), ready for render_pdf."""
    found = survey_results(survey, text_limit=PAGE_TEXT_LIMIT)
    html = render_to_string("voice/survey_report.pdf.html", {
        "survey": survey, "respondents": survey.responses.count(), "threshold": SUPPRESSION_THRESHOLD,
        "suppressed_label": SUPPRESSED_LABEL,
        "results": [(result, charts.chart_for(result, font_family=PDF_FONTS)) for result in found],
        "fonts": PDF_FONTS})
    style = render_to_string("voice/survey_report.pdf.css", {"fonts": PDF_FONTS})  # a stylesheet, not inline
    return html, style


def render_pdf(html: str, style: str) -> bytes:
    """Lay out the report's HTML as PDF (WeasyPrint), fetching nothing from outside (data: URLs only)."""
    import weasyprint  # imported here: Pango loads once, and only in the processes that make PDFs

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[weasyprint.CSS(string=style, url_fetcher=fetcher)])


# --- building, directly or in the background ------------------------------------------------------

def write_export(survey: Survey, kind: str, target) -> None:
    """Write the survey's results file of `kind` ("xlsx" or "pdf") to the binary file `target`: the one
    code path of the direct downloads and the background task. Reads only."""
    if kind == SurveyExport.Kind.XLSX:
        write_xlsx(survey, target)
    elif kind == SurveyExport.Kind.PDF:
        target.write(pdf_report(survey))
    else:
        raise ValueError(kind)


def record_export(*, by, survey: Survey, kind: str) -> None:
    """Audit-log that an officer took (or asked for) the survey's results as a file of `kind`."""
    audit.record(actor=by, action="survey.export", target=survey, after={"format": kind})


def built_in_background(survey: Survey, *, respondents: int | None = None) -> bool:
    """Whether the survey's XLSX and PDF are too large to build within a request (`respondents`: its number of
    responses, when the caller has counted them already)."""
    if respondents is None:
        respondents = survey.responses.count()
    return respondents > DIRECT_EXPORT_LIMIT


@transaction.atomic
def request_export(*, by, survey: Survey, kind: str, language: str) -> SurveyExport:
    """Ask for the survey's results file of `kind` to be built by tasks.build_survey_export (in `language`):
    the previous export of that kind is deleted, its file once the transaction commits; the new one waits,
    "being prepared". Audit-logged. Asking again while one is being prepared starts it afresh."""
    from ajet.voice import tasks

    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # one request per survey at a time
    delete_exports(SurveyExport.objects.filter(survey=survey, kind=kind))
    export = SurveyExport.objects.create(survey=survey, kind=kind, requested_by=by)
    record_export(by=by, survey=survey, kind=kind)
    transaction.on_commit(lambda: tasks.build_survey_export.enqueue(export_id=export.pk, language=language))
    return export


def build_export(export_id: int) -> bool:
    """Build a requested export's file and store it; False when the export was replaced or deleted
    meanwhile (its file is then dropped). A failure marks the export failed and is raised."""
    export = SurveyExport.objects.select_related("survey").filter(
        pk=export_id, status=SurveyExport.Status.PREPARING).first()
    if export is None:
        return False
    try:
        with tempfile.TemporaryFile() as handle:
            write_export(export.survey, export.kind, handle)
            handle.seek(0)
            name = default_storage.save(export_file_path(export, ""), File(handle))
    except Exception:
        SurveyExport.objects.filter(pk=export_id).update(status=SurveyExport.Status.FAILED,
                                                         finished_at=timezone.now())
        raise
    if not SurveyExport.objects.filter(pk=export_id, status=SurveyExport.Status.PREPARING).update(
            file=name, status=SurveyExport.Status.READY, finished_at=timezone.now()):
        default_storage.delete(name)
        return False
    return True


def current_exports(survey: Survey) -> dict[str, SurveyExport]:
    """The survey's exports by kind that have not expired yet."""
    return {export.kind: export for export in SurveyExport.objects.filter(
        survey=survey, requested_at__gt=timezone.now() - EXPORT_KEPT)}


def delete_exports(exports) -> int:
    """Delete these exports, and their files once the transaction commits. Returns how many."""
    names = [name for name in exports.values_list("file", flat=True) if name]
    deleted, _by_model = exports.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return deleted
