"""Middleware that knows no domain."""

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.utils.cache import patch_vary_headers


class PrivatePagesMiddleware:
    """A response to a signed-in user may hold their personal data: no browser or shared cache keeps it
    (`Cache-Control: private, no-store`), unless the view chose its own Cache-Control."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ["Cookie"])
        return response


# What a view may set on its response to change its policy (django-csp's decorators, e.g. the PSG chat's
# connect-src): such a response has its policy built for it.
_PER_RESPONSE_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                        "_csp_replace_ro", "_csp_exempt_ro")


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once per process rather than twice per
    response (the enforced and the report-only policy): the same header for every response that neither
    changes its policy nor uses a nonce, which are built per response as django-csp does."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.policy = build_policy()
        self.policy_report_only = build_policy(report_only=True)
        self.excluded = {
            header: tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            for header, name in ((HEADER, "CONTENT_SECURITY_POLICY"),
                                 (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"))}

    def process_response(self, request, response):
        if settings.DEBUG or getattr(request, "_csp_nonce", None) is not None or any(
                getattr(response, name, None) is not None for name in _PER_RESPONSE_POLICY):
            return super().process_response(request, response)
        for header, policy, exempt in ((HEADER, self.policy, "_csp_exempt"),
                                       (HEADER_REPORT_ONLY, self.policy_report_only, "_csp_exempt_ro")):
            if (policy and header not in response and not getattr(response, exempt, False)
                    and not request.path_info.startswith(self.excluded[header])):
                response[header] = policy
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
