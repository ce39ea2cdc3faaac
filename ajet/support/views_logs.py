"""After a contact, the volunteer files a log that identifies no one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ajet.support import hours, services
from ajet.support.access import require
from ajet.support.forms import ContactLogForm
from ajet.support.rules import volunteer_of


@require_http_methods(["GET", "POST"])
def log_contact(request):
    require(request.user, "support.log_contact")
    form = ContactLogForm(request.POST or None,
                          initial={"hour": timezone.now().astimezone(hours.LINE_TIMEZONE).hour})
    if request.method == "POST" and form.is_valid():
        try:
            log, scrubbed = services.file_contact_log(volunteer=volunteer_of(request.user), **form.cleaned_data)
        except services.SupportError as error:
            form.add_error(None, str(error))
        else:
            if scrubbed:
                messages.warning(request, _("E-mail addresses and phone numbers were removed from the note: "
                                            "a log must not identify anyone."))
            messages.success(request, _("The contact log has been filed. Thank you."))
            if log.high_risk:  # the volunteer's wellbeing: offer a debrief with the coordinator on call
                return redirect("support:debrief")
            return redirect("support:log_contact")
    return render(request, "support/log_contact.html", {"form": form})


@require_http_methods(["GET", "POST"])
def debrief(request):
    """After a high-risk contact: who is on call tonight, and a button that asks them for a debrief."""
    require(request.user, "support.log_contact")
    on_call = services.on_call_for()
    if request.method == "POST":
        if services.request_debrief(volunteer=volunteer_of(request.user)) is None:
            messages.error(request, _("Nobody is on call tonight: please write to a coordinator."))
        else:
            messages.success(request, _("The coordinator on call has been asked to get in touch with you."))
        return redirect("support:debrief")
    return render(request, "support/debrief.html", {"on_call": on_call})
