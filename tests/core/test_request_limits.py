"""A request body larger than AJET_MAX_UPLOAD_BYTES (plus room for the form around it) is refused with
a 413 page as it streams in, before anything is parsed or written to disk."""

import asyncio

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from ajet.asgi import application as asgi_application
from ajet.core.request_limits import max_request_bytes

MiB = 1024 * 1024


def multipart_body(size: int) -> tuple[bytes, str]:
    boundary = "ajet-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nalice@example.org\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return body + b"x" * size + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_the_limit_is_the_upload_limit_plus_room_for_the_form():
    assert max_request_bytes() == django_settings.AJET_MAX_UPLOAD_BYTES + 64 * 1024


@pytest.mark.django_db
def test_a_large_post_to_the_sign_in_page_gets_a_413_page(client, settings):
    settings.LANGUAGE_CODE = "en"
    body, content_type = multipart_body(8 * MiB)
    response = client.generic("POST", reverse("account_login"), body, content_type=content_type)
    assert response.status_code == 413
    html = response.content.decode()
    assert "too large" in html and 'class="site-header"' in html and f'href="{reverse("core:home")}"' in html


@pytest.mark.django_db
def test_a_post_within_the_limit_is_read(client):
    body, content_type = multipart_body(django_settings.AJET_MAX_UPLOAD_BYTES)
    response = client.generic("POST", reverse("account_login"), body, content_type=content_type)
    assert response.status_code == 200  # the sign-in form, with its errors


class StreamingClient:
    """Feeds the real ASGI application a 100 MiB body in chunks and counts how much of it was read."""

    def __init__(self, total: int, chunk: int, *, declare_length: bool):
        self.total, self.chunk, self.declare_length = total, chunk, declare_length
        self.sent = 0
        self.messages: list[dict] = []

    def scope(self) -> dict:
        _, content_type = multipart_body(0)
        headers = [(b"host", b"testserver"), (b"content-type", content_type.encode())]
        if self.declare_length:
            headers.append((b"content-length", str(self.total).encode()))
        return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                "scheme": "http", "path": reverse("account_login"), "raw_path": reverse("account_login").encode(),
                "query_string": b"", "root_path": "", "headers": headers,
                "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}

    async def receive(self) -> dict:
        if self.sent >= self.total:
            await asyncio.sleep(3600)  # the client waits for the answer; Django cancels this listener
        size = min(self.chunk, self.total - self.sent)
        self.sent += size
        return {"type": "http.request", "body": b"x" * size, "more_body": self.sent < self.total}

    async def send(self, message: dict) -> None:
        self.messages.append(message)

    def run(self) -> tuple[int, bytes]:
        asyncio.run(asgi_application(self.scope(), self.receive, self.send))
        start = next(message for message in self.messages if message["type"] == "http.response.start")
        bodies = [message for message in self.messages if message["type"] == "http.response.body"]
        body = b"".join(message.get("body", b"") for message in bodies)
        return start["status"], body


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_a_100_mib_body_is_refused_as_it_streams_in(declare_length):
    streaming = StreamingClient(100 * MiB, 256 * 1024, declare_length=declare_length)
    status, body = streaming.run()
    assert status == 413 and b"too large" in body
    # Refused after at most one chunk past the limit: the rest never left the client.
    assert streaming.sent <= max_request_bytes() + streaming.chunk
