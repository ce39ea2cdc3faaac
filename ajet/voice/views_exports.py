"""Results files of large surveys, built in the background (exports.request_export, tasks.build_survey_export):
the page that asks for one and shows it being prepared, then its download. The same rule as the direct
exports (access.access_survey_results): officers who manage the survey, once its results may be read."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ajet.organisation.uploads import download_response
from ajet.voice import exports
from ajet.voice.access import access_survey_results
from ajet.voice.models import SurveyExport


@require_http_methods(["GET", "POST"])
def survey_exports(request, survey_id):
    survey = access_survey_results(request.user, survey_id)
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in SurveyExport.Kind.values:
            raise Http404
        exports.request_export(by=request.user, survey=survey, kind=kind, language=translation.get_language())
        messages.success(request, _("The file is being prepared. This page shows its link when it is ready."))
        return redirect("voice:survey_exports", survey.pk)
    found = exports.current_exports(survey)
    return render(request, "voice/survey_exports.html", {
        "survey": survey, "kept_hours": int(exports.EXPORT_KEPT.total_seconds() // 3600),
        "exports": [(kind, label, found.get(kind)) for kind, label in SurveyExport.Kind.choices]})


@require_safe
def survey_export_download(request, survey_id, export_id):
    survey = access_survey_results(request.user, survey_id)
    export = next((export for export in exports.current_exports(survey).values()
                   if export.pk == export_id and export.status == SurveyExport.Status.READY), None)
    if export is None:  # replaced, expired, not ready or another survey's
        raise Http404
    return download_response(export.file, export.file_name)
