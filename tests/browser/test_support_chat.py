"""Two browsers, one chat: an anonymous person and a volunteer on shift talk through the real WebSocket server
(uvicorn in a thread of the test, on its own port as under `make run`), and nothing is left afterwards."""

import asyncio
import datetime
import re
import socket
import threading
import time

import pytest
import uvicorn
from channels.db import database_sync_to_async
from django.db import connections
from django.utils import timezone

from ajet.support.hours import LINE_TIMEZONE
from ajet.support.models import Conversation, ShiftAssignment
from tests.browser.conftest import assert_accessible, sign_in
from tests.support.conftest import make_volunteer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "support"])


@pytest.fixture
def websocket_server(settings):
    """The project's ASGI application under uvicorn, the chat's pages told its port (CHAT_WS_PORT)."""
    if any(connections[alias].vendor == "sqlite" and connections[alias].is_in_memory_db() for alias in connections):
        pytest.skip("the WebSocket server's threads cannot share an in-memory SQLite test database; "
                    "run the browser tests on PostgreSQL (CI does)")
    from ajet.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    settings.CHAT_WS_PORT = port
    yield port
    server.should_exit = True
    thread.join(timeout=10)
    # The consumers' database calls ran in asgiref's one thread for thread-sensitive work; close what they opened
    # there, or the test database cannot be dropped at the end.
    closer = threading.Thread(target=lambda: asyncio.run(database_sync_to_async(connections.close_all)()))
    closer.start()
    closer.join(timeout=10)


def test_a_person_and_a_volunteer_chat_in_two_browsers(new_context, site, monkeypatch, websocket_server):
    moment = datetime.datetime(2026, 3, 14, 22, 0, tzinfo=LINE_TIMEZONE)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    volunteer = make_volunteer("Vera Volunteer")
    ShiftAssignment.objects.create(volunteer=volunteer, night=datetime.date(2026, 3, 14), shift=0)

    person = new_context().new_page()
    person.goto(site + "/support/chat/")
    assert_accessible(person)
    person.get_by_role("button", name="Start the chat").click()
    person.get_by_text(re.compile(r"Your place in the queue: 1")).wait_for()

    listener = new_context().new_page()
    sign_in(listener, site, "vera@psg.test")
    listener.goto(site + "/support/chat/console/")
    listener.get_by_role("button", name=re.compile("Take conversation")).click()
    listener.get_by_text("Connected. The person can read you now.").wait_for()
    person.get_by_text("A listener has joined. You can write now.").wait_for()
    assert_accessible(listener)

    person.get_by_label("Your message").fill("I can't sleep <script>alert(1)</script>")
    person.get_by_role("button", name="Send").click()
    listener.get_by_text("I can't sleep <script>alert(1)</script>").wait_for()  # shown as text, not run
    listener.get_by_label("Your message").fill("I'm here. What's on your mind?")
    listener.get_by_role("button", name="Send").click()
    person.get_by_text("I'm here. What's on your mind?").wait_for()

    person.get_by_role("button", name="End the conversation").click()
    person.get_by_text(re.compile("nothing of it is kept")).wait_for()
    listener.get_by_text(re.compile("Please file a contact log")).wait_for()
    assert not Conversation.objects.exists()
