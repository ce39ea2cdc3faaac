"""The PSG coordinator's exceptions to the opening hours."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ajet.support import services
from ajet.support.access import access_night_exception, require
from ajet.support.forms import NightExceptionForm
from ajet.support.hours import CLOSES, OPENS, night_of
from ajet.support.models import NightException


@require_http_methods(["GET", "POST"])
def hours(request):
    require(request.user, "support.manage_hours")
    form = NightExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_night_exception(by=request.user, **form.cleaned_data)
        except services.SupportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The hours of that night have been saved."))
            return redirect("support:hours")
    upcoming = NightException.objects.filter(night__gte=night_of(timezone.now()))
    return render(request, "support/hours.html", {
        "form": form, "exceptions": upcoming, "opens": OPENS, "closes": CLOSES})


@require_POST
def hours_exception_delete(request, exception_id):
    exception = access_night_exception(request.user, exception_id)
    services.remove_night_exception(by=request.user, exception=exception)
    messages.success(request, _("That night is back to the usual hours."))
    return redirect("support:hours")
