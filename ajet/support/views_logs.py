"""After a contact, the volunteer files a log that identifies no one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ajet.support import services
from ajet.support.access import require
from ajet.support.forms import ContactLogForm
from ajet.support.rules import volunteer_of


@require_http_methods(["GET", "POST"])
def log_contact(request):
    require(request.user, "support.log_contact")
    form = ContactLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _log, scrubbed = services.file_contact_log(volunteer=volunteer_of(request.user), **form.cleaned_data)
        except services.SupportError as error:
            form.add_error(None, str(error))
        else:
            if scrubbed:
                messages.warning(request, _("E-mail addresses and phone numbers were removed from the note: "
                                            "a log must not identify anyone."))
            messages.success(request, _("The contact log has been filed. Thank you."))
            return redirect("support:log_contact")
    return render(request, "support/log_contact.html", {"form": form})
