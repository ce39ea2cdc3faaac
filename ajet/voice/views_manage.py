"""Officers build surveys: create one, then add sections and questions until the first response arrives;
afterwards only the wording and the closing date change (services.change_survey, change_question)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.voice import services
from ajet.voice.access import access_survey
from ajet.voice.forms import QuestionChangeForm, QuestionForm, SectionForm, SurveyForm
from ajet.voice.models import Question, Survey


@require_http_methods(["GET", "POST"])
@creates_once
def survey_create(request):
    if not request.user.has_perm("voice.add_survey"):
        raise PermissionDenied
    form = protect(SurveyForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(by=request.user, fields=form.cleaned_data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The survey is created. Add its sections and questions."))
            return redirect("voice:survey_build", survey.pk)
    return render(request, "voice/survey_form.html", {"form": form})


def _build_page(request, survey, *, section_form=None, question_form=None, status=200):
    return render(request, "voice/survey_build.html", {
        "survey": survey,
        "sections": survey.sections.prefetch_related("questions__options"),
        "section_form": section_form or SectionForm(prefix="section"),
        "question_form": question_form or QuestionForm(prefix="question", survey=survey),
        "has_responses": survey.responses.exists(),
    }, status=status)


@require_safe
def survey_build(request, survey_id):
    survey = access_survey(request.user, survey_id, "voice.manage_survey")
    return _build_page(request, survey)


@require_POST
def section_add(request, survey_id):
    survey = access_survey(request.user, survey_id, "voice.manage_survey")
    form = SectionForm(request.POST, prefix="section")
    if form.is_valid():
        try:
            services.add_section(by=request.user, survey=survey, **form.cleaned_data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Section added."))
            return redirect(reverse("voice:survey_build", args=[survey.pk]))
    return _build_page(request, survey, section_form=form, status=400)


@require_POST
def question_add(request, survey_id):
    survey = access_survey(request.user, survey_id, "voice.manage_survey")
    form = QuestionForm(request.POST, prefix="question", survey=survey)
    if form.is_valid():
        try:
            services.add_question(by=request.user, survey=survey, **form.cleaned_data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Question added."))
            return redirect(reverse("voice:survey_build", args=[survey.pk]))
    return _build_page(request, survey, question_form=form, status=400)


@require_http_methods(["GET", "POST"])
def survey_edit(request, survey_id):
    """The survey's details; once answers have arrived, only what services.change_survey allows."""
    survey = access_survey(request.user, survey_id, "voice.manage_survey")
    form = SurveyForm(request.POST or None, instance=Survey.objects.get(pk=survey.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_survey(by=request.user, survey=survey, fields=form.cleaned_data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The survey is changed."))
            return redirect("voice:survey_build", survey.pk)
    return render(request, "voice/survey_edit.html", {"form": form, "survey": survey,
                                                      "has_responses": survey.responses.exists()},
                  status=400 if form.errors else 200)


def _access_question(request, survey_id, question_id):
    survey = access_survey(request.user, survey_id, "voice.manage_survey")
    return survey, get_object_or_404(Question, pk=question_id, survey=survey)


@require_http_methods(["GET", "POST"])
def question_edit(request, survey_id, question_id):
    survey, question = _access_question(request, survey_id, question_id)
    form = QuestionChangeForm(request.POST or None, instance=Question.objects.get(pk=question.pk), survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_question(by=request.user, question=question, **form.cleaned_data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is changed."))
            return redirect("voice:survey_build", survey.pk)
    return render(request, "voice/question_edit.html", {"form": form, "survey": survey, "question": question,
                                                        "has_responses": survey.responses.exists()},
                  status=400 if form.errors else 200)


@require_POST
def question_remove(request, survey_id, question_id):
    survey, question = _access_question(request, survey_id, question_id)
    try:
        services.remove_question(by=request.user, question=question)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The question is removed."))
    return redirect("voice:survey_build", survey.pk)
