"""The anonymous live chat over WebSockets (channels' WebsocketCommunicator, in-memory channel layer)."""

import datetime

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing.websocket import WebsocketCommunicator  # channels.testing itself needs daphne
from django.contrib.auth.models import AnonymousUser
from django.db import models

from ajet.asgi import application
from ajet.support.consumers import RATE_LIMIT, REFUSED, ChatConsumer
from ajet.support.models import Conversation, ShiftAssignment
from tests.support.conftest import make_volunteer, tokyo

# Channels closes stale connections around each database call (database_sync_to_async), which a test
# wrapped in one transaction cannot survive on PostgreSQL: these tests commit, and roll back by flushing.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "support"])

SHIFT_NIGHT = datetime.date(2026, 3, 14)
CHAT = "/ws/support/chat/"


@pytest.fixture
def on_shift(frozen, volunteer):
    frozen(tokyo(2026, 3, 14, 22, 0))  # the first shift of the night of 14 March
    ShiftAssignment.objects.create(volunteer=volunteer, night=SHIFT_NIGHT, shift=0)
    return volunteer


def person():
    communicator = WebsocketCommunicator(application, CHAT, headers=[
        (b"origin", b"http://localhost"), (b"user-agent", b"Secret Browser/1.0"), (b"x-forwarded-for", b"203.0.113.9")])
    return communicator


def volunteer_side(user, consumer=ChatConsumer):
    communicator = WebsocketCommunicator(consumer.as_asgi(), CHAT + "?volunteer=1")
    communicator.scope["user"] = user
    return communicator


async def reply(communicator, timeout=2):
    """The next message that is not a queue update (those arrive whenever anyone joins or leaves)."""
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message["type"] not in ("queue", "waiting"):
            return message


async def position(communicator, expected, timeout=2):
    """Read queue updates until the person's position is `expected`."""
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message == {"type": "waiting", "position": expected}:
            return True


def stored_text() -> str:
    """Every value of every column of the support app's tables, as text."""
    from django.apps import apps

    return " ".join(str(value) for model in apps.get_app_config("support").get_models()
                    for row in model.objects.values_list() for value in row)


@async_to_sync
async def _whole_conversation(volunteer_user, volunteer_consumer=ChatConsumer):
    someone = person()
    connected, _subprotocol = await someone.connect()
    assert connected
    assert await someone.receive_json_from() == {"type": "waiting", "position": 1}
    listener = volunteer_side(volunteer_user, volunteer_consumer)
    assert (await listener.connect())[0]
    queue = await listener.receive_json_from()
    assert queue["type"] == "queue" and len(queue["waiting"]) == 1
    conversation = queue["waiting"][0]["conversation"]

    await listener.send_json_to({"type": "accept", "conversation": conversation})
    assert await reply(someone) == {"type": "connected"}
    assert (await reply(listener))["type"] == "connected"
    await someone.send_json_to({"type": "message", "text": "I feel <b>alone</b> here"})
    assert await reply(listener) == {"type": "message", "text": "I feel <b>alone</b> here"}
    snapshot = await database_sync_to_async(stored_text)()
    await listener.send_json_to({"type": "message", "text": "I'm listening."})
    assert await reply(someone) == {"type": "message", "text": "I'm listening."}

    await someone.send_json_to({"type": "end"})
    assert await reply(someone) == {"type": "ended"}
    assert await reply(listener) == {"type": "ended"}
    await someone.disconnect()
    await listener.disconnect()
    return snapshot


def test_whole_conversation_leaves_nothing_behind(on_shift):
    snapshot_during = _whole_conversation(on_shift.member.user)
    for secret in ("alone", "listening", "Secret Browser", "203.0.113.9"):
        assert secret not in snapshot_during
    assert not Conversation.objects.exists()
    assert "alone" not in stored_text()


def test_the_conversation_schema_has_nothing_about_the_person():
    names = {field.name for field in Conversation._meta.get_fields()}
    assert names == {"id", "state", "waiting_since", "person_channel", "volunteer_channel"}
    assert not [field for field in Conversation._meta.get_fields()
                if field.is_relation or isinstance(field, (models.GenericIPAddressField, models.TextField))]


@async_to_sync
async def _refused(user):
    communicator = volunteer_side(user)
    connected, code = await communicator.connect()
    return connected, code


@pytest.mark.parametrize("persona", ["off_shift", "untrained", "anonymous", "executive", "psg_coordinator"])
def test_only_a_volunteer_on_shift_may_listen(on_shift, request, persona, executive, psg_coordinator):
    users = {
        "off_shift": lambda: make_volunteer("Otto Offshift").member.user,
        "untrained": lambda: request.getfixturevalue("untrained_volunteer").member.user,
        "anonymous": AnonymousUser,
        "executive": lambda: executive.user,
        "psg_coordinator": lambda: psg_coordinator.user,
    }
    assert _refused(users[persona]()) == (False, REFUSED)


@async_to_sync
async def _closed_line():
    someone = person()
    assert (await someone.connect())[0]
    message = await someone.receive_json_from()
    await someone.wait()
    return message


def test_closed_line_tells_when_it_opens(frozen):
    frozen(tokyo(2026, 3, 15, 9, 0))
    assert _closed_line() == {"type": "closed", "opens_at": "2026-03-15T20:00:00+09:00"}
    assert not Conversation.objects.exists()


@async_to_sync
async def _bad_input(volunteer_user):
    someone = person()
    await someone.connect()
    await someone.receive_json_from()
    other = person()
    await other.connect()
    assert await position(other, 2)
    listener = volunteer_side(volunteer_user)
    await listener.connect()
    await listener.receive_json_from()
    # A forged id and the other person's id given by the person: refused, nothing else broken.
    await listener.send_json_to({"type": "accept", "conversation": "00000000-0000-0000-0000-000000000000"})
    assert await reply(listener) == {"type": "error", "error": "not-waiting"}
    await listener.send_json_to({"type": "accept", "conversation": "not a uuid"})
    assert await reply(listener) == {"type": "error", "error": "not-waiting"}
    await someone.send_json_to({"type": "accept", "conversation": "x"})
    assert await reply(someone) == {"type": "error", "error": "unknown"}
    await someone.send_json_to({"type": "message", "text": "hello?"})
    assert await reply(someone) == {"type": "error", "error": "not-connected"}
    first = await database_sync_to_async(Conversation.objects.order_by("waiting_since").first)()
    await listener.send_json_to({"type": "accept", "conversation": str(first.pk)})
    assert await reply(someone) == {"type": "connected"}
    await someone.send_json_to({"type": "message", "text": "x" * 2001})
    assert await reply(someone) == {"type": "error", "error": "too-long"}
    for _ in range(RATE_LIMIT):
        await someone.send_json_to({"type": "message", "text": "flood"})
    await someone.send_json_to({"type": "message", "text": "flood"})
    assert await reply(someone) == {"type": "error", "error": "slow-down"}
    # The other person still waits, now first in the queue.
    assert await position(other, 1)
    for communicator in (someone, other, listener):
        await communicator.disconnect()


def test_bad_input_is_refused_without_breaking_other_conversations(on_shift):
    _bad_input(on_shift.member.user)
    assert not Conversation.objects.exists()


def test_chat_pages(client, on_shift, settings):
    page = client.get("/support/chat/")
    assert page.status_code == 200 and 'data-socket="ws://testserver/ws/support/chat/"' in page.content.decode()
    settings.CHAT_WS_PORT = 8001  # make run: the ASGI server on its own port, allowed by the page's CSP
    page = client.get("/support/chat/")
    assert "ws://testserver:8001/ws/support/chat/" in page.content.decode()
    assert "ws://testserver:8001" in page["Content-Security-Policy"]
    client.force_login(on_shift.member.user)
    console = client.get("/support/chat/console/").content.decode()
    assert "?volunteer=1" in console


def test_console_for_a_volunteer_off_shift_says_so(client, volunteer, frozen):
    frozen(tokyo(2026, 3, 14, 22, 0))
    client.force_login(volunteer.member.user)
    assert "during your own shifts only" in client.get("/support/chat/console/").content.decode()


@pytest.fixture
def redis_layer(settings):
    """The Redis channel layer (as with REDIS_URL), on the Redis of the development machine and CI."""
    import redis
    from channels.layers import channel_layers

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    # Two layers on the same Redis, as two ASGI processes would have: nothing shared but Redis.
    layer = {"BACKEND": "ajet.core.channel_layers.RedisPubSubChannelLayer",
             "CONFIG": {"hosts": ["redis://127.0.0.1:6379/0"], "prefix": "test-psg"}}
    settings.CHANNEL_LAYERS = {"default": layer, "other-process": layer}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


class OtherProcessChatConsumer(ChatConsumer):
    channel_layer_alias = "other-process"


def test_whole_conversation_through_redis(on_shift, redis_layer):
    """The person on one layer, the volunteer on another: queue, accept, messages both ways, end."""
    from channels.layers import get_channel_layer

    assert type(get_channel_layer()).__name__ == "RedisPubSubChannelLayer"
    assert get_channel_layer() is not get_channel_layer("other-process")
    _whole_conversation(on_shift.member.user, OtherProcessChatConsumer)
    assert not Conversation.objects.exists()


def test_the_websocket_server_writes_no_access_log():
    """uvicorn's access log would write the person's IP address (and the proxy's forwarded one) per connection."""
    from ajet.core.management.commands.serve import server_commands

    commands = server_commands(host="127.0.0.1", port=8000, ws_port=8001, web_workers=1, web_threads=1, ws_workers=1)
    assert "--no-access-log" in commands["websockets (uvicorn, ASGI)"]


@async_to_sync
async def _thread_hand_offs_per_relayed_message(volunteer_user) -> int:
    from asgiref.sync import SyncToAsync

    someone = person()
    await someone.connect()
    await someone.receive_json_from()
    listener = volunteer_side(volunteer_user)
    await listener.connect()
    queue = await listener.receive_json_from()
    await listener.send_json_to({"type": "accept", "conversation": queue["waiting"][0]["conversation"]})
    assert await reply(someone) == {"type": "connected"}
    assert (await reply(listener))["type"] == "connected"
    hand_offs = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hand_offs.append(self.func)
        return await original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SyncToAsync, "__call__", counted)
        for number in range(5):
            await someone.send_json_to({"type": "message", "text": f"still there? {number}"})
            assert await reply(listener) == {"type": "message", "text": f"still there? {number}"}
            await listener.send_json_to({"type": "message", "text": "yes"})
            assert await reply(someone) == {"type": "message", "text": "yes"}
    await someone.disconnect()
    await listener.disconnect()
    return len(hand_offs)


def test_relaying_a_message_takes_no_thread_hand_off(on_shift):
    """A relayed message touches neither the database nor a thread (each hand-off to a thread costs more
    than the relay itself; bench/chat.py): the rate limit lives in the consumer, and the per-message
    `aclose_old_connections()` of Channels' dispatch is skipped."""
    assert _thread_hand_offs_per_relayed_message(on_shift.member.user) == 0
