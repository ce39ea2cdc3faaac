"""Results for the officers who manage a survey: the page with its charts, and the CSV, JSON, XLSX and PDF
exports of the same cells (exports.py), each audit-logged. A large survey's XLSX and PDF are built in the
background instead (views_exports.py): their links lead there.

While an anonymous survey is open only its turnout is shown: comparing results from two moments would
single out the answers given in between.
"""

import csv
import json

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ajet.voice import charts, exports, results
from ajet.voice.access import access_survey, access_survey_results
from ajet.voice.models import SurveyExport


@require_safe
def survey_results(request, survey_id):
    survey = access_survey(request.user, survey_id, "voice.manage_survey")
    visible = survey.results_visible()
    found = results.survey_results(survey, text_limit=results.PAGE_TEXT_LIMIT) if visible else []
    respondents = results.respondent_count(survey)
    return render(request, "voice/survey_results.html", {
        "survey": survey, "respondents": respondents, "visible": visible,
        "background_exports": exports.built_in_background(survey, respondents=respondents),
        "results": [(result, charts.chart_for(result)) for result in found],
        "threshold": results.SUPPRESSION_THRESHOLD, "suppressed_label": results.SUPPRESSED_LABEL})


def _export(request, survey_id, kind):
    survey = access_survey_results(request.user, survey_id)
    exports.record_export(by=request.user, survey=survey, kind=kind)
    return survey, results.survey_results(survey)


def _to_background(request, survey):
    messages.info(request, _("This survey is large: its file is prepared in the background."))
    return redirect("voice:survey_exports", survey.pk)


@require_safe
def survey_results_csv(request, survey_id):
    survey, found = _export(request, survey_id, "csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    writer = csv.writer(response)
    for row in results.results_as_rows(found):
        writer.writerow([exports.neutralise(value) for value in row])
    return response


@require_safe
def survey_results_json(request, survey_id):
    survey, found = _export(request, survey_id, "json")
    response = HttpResponse(json.dumps(results.results_as_dict(survey, found), ensure_ascii=False, indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.json"'
    return response


@require_safe
def survey_results_xlsx(request, survey_id):
    """The breakdowns and the raw anonymous answers, streamed from a temporary file (see exports.py)."""
    survey = access_survey_results(request.user, survey_id)
    if exports.built_in_background(survey):
        return _to_background(request, survey)
    exports.record_export(by=request.user, survey=survey, kind=SurveyExport.Kind.XLSX)
    return FileResponse(exports.xlsx_file(survey), as_attachment=True, filename=f"survey-{survey.pk}-results.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@require_safe
def survey_results_pdf(request, survey_id):
    survey = access_survey_results(request.user, survey_id)
    if exports.built_in_background(survey):
        return _to_background(request, survey)
    exports.record_export(by=request.user, survey=survey, kind=SurveyExport.Kind.PDF)
    response = HttpResponse(content_type="application/pdf")
    exports.write_export(survey, SurveyExport.Kind.PDF, response)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.pdf"'
    return response
