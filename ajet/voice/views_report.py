"""The briefing report of a sponsor meeting (HTML and PDF, in English, Japanese or both), and the volunteer
translators who fill in the missing Japanese versions of its texts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.access import authorize
from ajet.people.models import Member
from ajet.voice import report, services
from ajet.voice.forms import TranslatorForm
from ajet.voice.models import AgendaItem, FollowUp, SponsorAnswer, SponsorMeeting, Translator

PDF_STYLESHEET = "voice/report_pdf.css"


def _language(request) -> str:
    language = request.GET.get("lang", "en")
    return language if language in report.LANGUAGES else "en"


def _context(request, meeting_id):
    # Translators read the report of a meeting not yet published (they translate it); others who may see
    # the meeting are refused (403), the rest do not learn it exists (404).
    meeting = get_object_or_404(SponsorMeeting, pk=meeting_id)
    if not request.user.has_perm("voice.view_report", meeting):
        authorize(request.user, meeting, see="voice.view_meeting")
        raise PermissionDenied
    language = _language(request)
    return language, {**report.build_report(meeting), "mode": language, "languages": report.LANGUAGES}


@require_safe
def meeting_report(request, meeting_id):
    language, context = _context(request, meeting_id)
    with translation.override("ja" if language == "ja" else translation.get_language()):
        return render(request, "voice/meeting_report.html", context)


@require_safe
def meeting_report_pdf(request, meeting_id):
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    language, context = _context(request, meeting_id)
    with translation.override("ja" if language == "ja" else "en"):
        html = render_to_string("voice/meeting_report_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[CSS(filename=finders.find(PDF_STYLESHEET))])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting_id}-report-{language}.pdf"'
    return response


# --- Translations ------------------------------------------------------------------------------

KIND_LABELS = {
    "item-title": gettext_lazy("Agenda item"), "item-recommendation": gettext_lazy("AJET's recommendation"),
    "answer": gettext_lazy("A sponsor's answer"), "follow-up": gettext_lazy("Follow-up action"),
    "summary": gettext_lazy("Meeting summary"),
}


def missing_translations() -> list[dict]:
    """Every text block of a sponsor meeting with an English version and no Japanese one yet."""
    missing = []

    def add(kind, instance, name, meeting):
        english = getattr(instance, f"{name}_en")
        if english and not getattr(instance, f"{name}_ja"):
            missing.append({"kind": kind, "label": KIND_LABELS[kind], "pk": instance.pk, "english": english,
                            "meeting": meeting,
                            "multiline": kind in ("item-recommendation", "answer", "summary")})

    for item in AgendaItem.objects.select_related("meeting").order_by("-meeting__held_on", "order", "id"):
        add("item-title", item, "title", item.meeting)
        add("item-recommendation", item, "recommendation", item.meeting)
    for answer in SponsorAnswer.objects.select_related("item__meeting").order_by("-item__meeting__held_on", "id"):
        add("answer", answer, "answer", answer.item.meeting)
    for follow_up in FollowUp.objects.select_related("item__meeting").order_by("-item__meeting__held_on", "id"):
        add("follow-up", follow_up, "text", follow_up.item.meeting)
    for meeting in SponsorMeeting.objects.exclude(summary_en=""):
        add("summary", meeting, "summary", meeting)
    return missing


@require_safe
def translation_list(request):
    if not request.user.has_perm("voice.translate"):
        raise PermissionDenied
    return render(request, "voice/translation_list.html", {"missing": missing_translations()})


@require_POST
def translation_save(request):
    if not request.user.has_perm("voice.translate"):
        raise PermissionDenied
    kind, pk = request.POST.get("kind", ""), request.POST.get("pk", "")
    try:
        if not pk.isdigit() or len(pk) > 15:
            raise services.MeetingError(_("That text no longer exists."))
        services.save_translation(by=request.user, kind=kind, pk=int(pk), text=request.POST.get("text", ""))
    except services.MeetingError as error:
        messages.error(request, str(error))
        return render(request, "voice/translation_list.html", {"missing": missing_translations()}, status=400)
    messages.success(request, _("Thank you: the Japanese version is saved."))
    return redirect("voice:translations")


@require_http_methods(["GET", "POST"])
def translator_list(request):
    if not request.user.has_perm("voice.manage_translators"):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = TranslatorForm(request.POST)
        email = form.cleaned_data["email"] if form.is_valid() else ""
        member = Member.objects.filter(user__email__iexact=email).first() if email else None
        try:
            if member is None:
                raise services.MeetingError(_("No member has this e-mail address."))
            services.grant_translator(by=request.user, member=member)
        except services.MeetingError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("%(name)s is now a translator.") % {"name": member.full_name})
            return redirect("voice:translators")
    return render(request, "voice/translator_list.html", {
        "translators": Translator.objects.select_related("member__user", "granted_by")}, status=status)


@require_POST
def translator_change(request, member_id):
    if not request.user.has_perm("voice.manage_translators"):
        raise PermissionDenied
    translator = get_object_or_404(Translator.objects.select_related("member"), member_id=member_id)
    services.revoke_translator(by=request.user, translator=translator)
    messages.success(request, _("%(name)s is no longer a translator.") % {"name": translator.member.full_name})
    return redirect("voice:translators")
