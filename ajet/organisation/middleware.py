from django.shortcuts import redirect

from ajet.organisation.powers import has_mfa, powers_of

# URL names an officer without MFA may still reach: setting MFA up, signing out, switching language.
_ALLOWED_PREFIXES = ("mfa_", "account_logout", "account_reauthenticate", "set_language")


class OfficerMFAMiddleware:
    """An officer who has not switched on multi-factor authentication is sent to set it up.

    Staff are held to the same rule in the Django admin, which shows every member's data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.namespace == "admin":
            return redirect("mfa_activate_totp") if user.is_staff and not has_mfa(user) else None
        if not powers_of(user).mfa_missing:
            return None
        if getattr(view_func, "login_required", True) is False:
            return None  # public pages stay public
        name = (match.url_name or "") if match is not None else ""
        if name.startswith(_ALLOWED_PREFIXES):
            return None
        return redirect("mfa_activate_totp")
