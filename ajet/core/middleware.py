"""Middleware that knows no domain."""

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
