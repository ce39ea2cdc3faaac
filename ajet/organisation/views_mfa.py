"""A new officer's first sign-in: why officers use two-factor authentication, then setting it up, in one page.

OfficerMFAMiddleware sends a holder of a current or upcoming term who has no authenticator here (instead of
allauth's bare password prompt followed by its authenticator page). The page explains first; its one form
takes the code from the new authenticator app (and the password, unless the officer signed in within
allauth's re-authentication window); success shows the recovery codes once and leads on to where they were
going. The work is allauth's own: its TOTP form and activation flow, its password check with its rate limits.
"""

import base64
import time

from allauth.account import app_settings as account_settings
from allauth.account.forms import ReauthenticateForm
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import flows as totp_flows
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ajet.organisation.powers import has_mfa, powers_of


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/dashboard/"


def _signed_in_moments_ago(request) -> bool:
    """Whether this session gave the password (or another factor) within allauth's re-authentication window:
    an officer who has just signed in is not asked for the password again a few seconds later."""
    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


@never_cache
@require_http_methods(["GET", "POST"])
def officer_mfa_setup(request):
    user = request.user
    next_url = _next_url(request)
    if has_mfa(user):
        return redirect(next_url)
    ask_password = not _signed_in_moments_ago(request)
    bound = request.method == "POST"
    password_form = ReauthenticateForm(request.POST if bound else None, user=user) if ask_password else None
    code_form = ActivateTOTPForm(request.POST if bound else None, user=user)
    if bound and (password_form is None or password_form.is_valid()) and code_form.is_valid():
        reauthenticate_by_password(request)  # the password given here, or at sign-in a moment ago
        _, recovery = totp_flows.activate_totp(request, code_form)
        codes = recovery.wrap().get_unused_codes() if recovery is not None else []
        return render(request, "organisation/officer_mfa_done.html", {"codes": codes, "next": next_url})
    adapter = get_mfa_adapter()
    totp_url = adapter.build_totp_url(user, code_form.secret)
    powers = powers_of(user)
    qr_svg = base64.b64encode(adapter.build_totp_svg(totp_url).encode()).decode()
    return render(request, "organisation/officer_mfa.html", {
        "password_form": password_form, "code_form": code_form, "next": next_url, "secret": code_form.secret,
        "totp_url": totp_url,
        "qr_data_uri": f"data:image/svg+xml;base64,{qr_svg}",
        "terms": [*powers.current_terms, *powers.upcoming_terms],
    })
