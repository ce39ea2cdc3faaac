from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from ajet.organisation.powers import SESSION_MFA_ATTRIBUTE, has_mfa, powers_of
from ajet.people.mfa import session_passed_mfa

# URL names an officer without MFA may still reach: setting MFA up, signing out, switching language.
_ALLOWED_PREFIXES = ("officer_mfa", "mfa_", "account_logout", "account_reauthenticate", "set_language")


class OfficerMFAMiddleware:
    """Officer powers need the second factor, proved in this session.

    It tells `powers_of` whether this session passed the second factor. A holder of a current or upcoming
    term who has not switched MFA on is sent to set it up; one whose account has MFA but whose session
    signed in with a password alone is asked for a code. Staff are held to the first rule in the Django
    admin, which shows every member's data. Setting MFA up starts with a page that says why (views_mfa.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        setattr(user, SESSION_MFA_ATTRIBUTE, session_passed_mfa(request.session, user))
        match = request.resolver_match
        if match is not None and match.namespace == "admin":
            if not user.is_staff:
                return None
            if not has_mfa(user):
                return _set_up_mfa(request)
            return None if getattr(user, SESSION_MFA_ATTRIBUTE) else _ask_for_a_code(request)
        if not powers_of(user).mfa_missing:
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages stay public
        name = (match.url_name or "") if match is not None else ""
        if name.startswith(_ALLOWED_PREFIXES):
            return None
        return _ask_for_a_code(request) if has_mfa(user) else _set_up_mfa(request)


def _set_up_mfa(request):
    """The page that explains why officers use two-factor authentication and sets it up; back afterwards."""
    url = reverse("organisation:officer_mfa")
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return redirect(url)


def _ask_for_a_code(request):
    """allauth's re-authentication with the second factor; it comes back to the page asked for."""
    url = reverse("mfa_reauthenticate")
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return redirect(url)
