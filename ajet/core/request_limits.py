"""Request bodies are bounded before they are read.

A body larger than the largest accepted upload (plus room for the form around it) is answered with 413.
Under WSGI the body is read lazily, so the middleware's Content-Length check comes first (a body without
Content-Length reads as empty there). Under ASGI Django reads the whole body into a temporary file before
any middleware runs, so `BoundedBodyASGI` counts the bytes as they stream in, with or without
Content-Length, and stops reading at the limit; the middleware then answers with the 413 page.
"""

import asyncio

from django.conf import settings
from django.shortcuts import render

FORM_OVERHEAD_BYTES = 64 * 1024
TOO_LARGE = "ajet.body_too_large"  # set in the ASGI scope when the body went past the limit


def max_request_bytes() -> int:
    return settings.AJET_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES


def _declared_length(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose body is (or, under ASGI, was found to be) over the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = getattr(request, "scope", None) or {}
        declared = _declared_length(request.META.get("CONTENT_LENGTH"))
        if scope.get(TOO_LARGE) or (declared is not None and declared > max_request_bytes()):
            response = render(request, "413.html", {"limit": settings.AJET_MAX_UPLOAD_BYTES}, status=413)
            response["Connection"] = "close"  # the rest of the body is never read
            return response
        return self.get_response(request)


class BoundedBodyASGI:
    """ASGI wrapper: stop reading an HTTP request body once it exceeds the limit and mark the request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = max_request_bytes()
        headers = dict(scope.get("headers") or [])
        declared = _declared_length(headers.get(b"content-length", b"").decode("latin-1") or None)
        received = 0

        async def bounded_receive():
            nonlocal received
            if scope.get(TOO_LARGE):
                await asyncio.Future()  # never read more; Django cancels its disconnect listener when it answers
            if declared is not None and declared > limit:
                scope[TOO_LARGE] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    scope[TOO_LARGE] = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        return await self.app(scope, bounded_receive, send)
