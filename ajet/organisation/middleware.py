from django.shortcuts import redirect

from ajet.organisation.powers import powers_of

# URL names an officer without MFA may still reach: setting MFA up, signing out, switching language.
_ALLOWED_PREFIXES = ("mfa_", "account_logout", "account_reauthenticate", "set_language")


class OfficerMFAMiddleware:
    """An officer who has not switched on multi-factor authentication is sent to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or not powers_of(request.user).mfa_missing:
            return None
        if getattr(view_func, "login_required", True) is False:
            return None  # public pages stay public
        match = request.resolver_match
        name = match.url_name or "" if match else ""
        if name.startswith(_ALLOWED_PREFIXES) or (match and match.namespace == "admin"):
            return None
        return redirect("mfa_activate_totp")
