"""Survey pages for members: the list, and a survey to answer (save a draft, submit once)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ajet.voice import queries, services
from ajet.voice.access import access_survey
from ajet.voice.forms import AnswerForm
from ajet.voice.models import Draft, HasResponded


@require_safe
def survey_list(request):
    member = getattr(request.user, "member", None)
    return render(request, "voice/survey_list.html", {
        "open_surveys": queries.open_surveys_for(member),
        "managed": queries.surveys_managed_by(request.user),
        "can_add": request.user.has_perm("voice.add_survey"),
    })


@require_http_methods(["GET", "POST"])
def survey_detail(request, survey_id):
    """GET: the survey with the member's draft. POST: save the draft ("save") or submit the answers."""
    survey = access_survey(request.user, survey_id)
    member = getattr(request.user, "member", None)
    can_respond = request.user.has_perm("voice.respond_survey", survey) and survey.is_open()
    responded = member is not None and HasResponded.objects.filter(member=member, survey=survey).first()
    context = {"survey": survey, "responded": responded, "can_respond": can_respond and not responded,
               "can_manage": request.user.has_perm("voice.manage_survey", survey)}
    if request.method == "GET":
        draft = Draft.objects.filter(member=member, survey=survey).first() if member else None
        initial = AnswerForm.initial_from(draft.values) if draft else {}
        return render(request, "voice/survey_detail.html", context | {
            "form": AnswerForm(survey=survey, initial=initial), "draft": draft})
    form = AnswerForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            if "save" in request.POST:
                services.save_draft(member=member, survey=survey, values=form.values())
                messages.success(request, _("Your answers are saved as a draft. Come back to finish them before "
                                            "the survey closes."))
                return redirect(survey)
            problems = services.validate_answers(survey, form.values(), complete=True)
            if problems:
                form.add_problems(problems)
            else:
                services.submit_response(member=member, survey=survey, values=form.values())
                messages.success(request, _("Thank you: your answers are submitted."))
                return redirect(survey)
        except services.SurveyError as error:
            form.add_error(None, str(error))
    return render(request, "voice/survey_detail.html", context | {"form": form}, status=400)
