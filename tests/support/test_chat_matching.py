"""The chat beyond the basic flow: the block the person would rather not meet, nobody free in time, the line
closing on people waiting, the urgent flag, and the clean-up of what a crash leaves."""

import datetime
import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.core import mail
from django.utils import timezone

from ajet.organisation.geography import block_of_prefecture
from ajet.support import services, tasks
from ajet.support.models import Conversation, OnCall, ShiftAssignment, Training, UrgentFlag, Volunteer
from tests.factories import MemberFactory
from tests.support.conftest import tokyo
from tests.support.test_chat import CHAT, SHIFT_NIGHT, person, reply, stored_text, volunteer_side

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "support"])


@pytest.fixture
def on_shift(frozen, volunteer):
    frozen(tokyo(2026, 3, 14, 22, 0))
    ShiftAssignment.objects.create(volunteer=volunteer, night=SHIFT_NIGHT, shift=0)
    return volunteer


@pytest.fixture
def colleague_elsewhere(on_shift):
    """A second volunteer on the same shift, from another block (Aichi, prefecture 23)."""
    member = MemberFactory(full_name="Aiko Aichi", year_on_jet=3, prefecture_id="23", user__email="aiko@psg.test")
    volunteer = Volunteer.objects.create(member=member, joined=datetime.date(2020, 1, 1))
    Training.objects.create(volunteer=volunteer, kind=Training.Kind.INITIAL, completed_on=datetime.date(2020, 1, 1))
    ShiftAssignment.objects.create(volunteer=volunteer, night=SHIFT_NIGHT, shift=0)
    return volunteer


def person_avoiding(block):
    from channels.testing.websocket import WebsocketCommunicator

    from ajet.asgi import application

    return WebsocketCommunicator(application, f"{CHAT}?avoid={block}", headers=[(b"origin", b"http://localhost")])


@async_to_sync
async def _avoided(vera_user, aiko_user, vera_block):
    someone = person_avoiding(vera_block)
    assert (await someone.connect())[0]
    assert await someone.receive_json_from() == {"type": "waiting", "position": 1}
    vera = volunteer_side(vera_user)
    await vera.connect()
    conversation = (await vera.receive_json_from())["waiting"][0]["conversation"]
    await vera.send_json_to({"type": "accept", "conversation": conversation})
    assert await reply(vera) == {"type": "error", "error": "not-matched"}
    assert (await vera.receive_json_from()) == {"type": "queue", "waiting": []}  # no longer offered to Vera
    state = await database_sync_to_async(lambda: Conversation.objects.get().state)()
    aiko = volunteer_side(aiko_user)
    await aiko.connect()
    assert (await aiko.receive_json_from())["waiting"][0]["conversation"] == conversation
    await aiko.send_json_to({"type": "accept", "conversation": conversation})
    assert await reply(someone) == {"type": "connected"}
    assert (await reply(aiko))["type"] == "connected"
    for communicator in (someone, vera, aiko):
        await communicator.disconnect()
    return state


def test_the_person_is_not_connected_with_a_volunteer_from_the_block_they_named(on_shift, colleague_elsewhere):
    vera_block = block_of_prefecture(on_shift.member.prefecture_id)
    assert vera_block != block_of_prefecture("23")
    state_after_refusal = _avoided(on_shift.member.user, colleague_elsewhere.member.user, vera_block)
    assert state_after_refusal == Conversation.State.WAITING
    assert not Conversation.objects.exists()


def test_the_block_choice_is_never_stored():
    """The only columns a conversation has; none can hold the block (a number) or anything chosen by the person."""
    assert {field.name for field in Conversation._meta.get_fields()} == {
        "id", "state", "waiting_since", "person_channel", "volunteer_channel"}


@async_to_sync
async def _wait_in_vain():
    """Every message the person gets until the server closes the socket."""
    someone = person()
    assert (await someone.connect())[0]
    received = []
    while True:
        output = await someone.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return received
        received.append(json.loads(output["text"]))


def test_nobody_free_in_time_tells_the_person(on_shift, settings):
    settings.SUPPORT_CHAT_WAIT_SECONDS = 0
    received = _wait_in_vain()
    assert received[-1] == {"type": "timeout", "opens_at": None}
    assert {message["type"] for message in received} <= {"waiting", "timeout"}
    assert not Conversation.objects.exists()


def test_the_line_closing_on_a_waiting_person_tells_them(frozen, settings, volunteer):
    frozen(datetime.datetime(2026, 3, 15, 6, 59, 59, 700000, tzinfo=tokyo(2026, 1, 1).tzinfo))
    settings.SUPPORT_CHAT_WAIT_SECONDS = 600
    assert _wait_in_vain() == [{"type": "waiting", "position": 1}, {"type": "closed", "opens_at": None}]
    assert not Conversation.objects.exists()


def test_the_chat_page_offers_the_block_choice_and_keeps_the_resources_at_hand(client, on_shift):
    page = client.get("/support/chat/").content.decode()
    assert 'id="chat-avoid"' in page and "Block 11" in page
    assert 'id="chat-resources"' in page and "tel:119" in page


@async_to_sync
async def _urgent(vera_user):
    someone = person()
    await someone.connect()
    await someone.receive_json_from()
    listener = volunteer_side(vera_user)
    await listener.connect()
    conversation = (await listener.receive_json_from())["waiting"][0]["conversation"]
    await listener.send_json_to({"type": "urgent"})
    refused = await reply(listener)
    await listener.send_json_to({"type": "accept", "conversation": conversation})
    await reply(someone)
    await reply(listener)
    await someone.send_json_to({"type": "message", "text": "I am on the bridge at Omiya"})
    await reply(listener)
    await someone.send_json_to({"type": "urgent"})  # the person cannot raise it
    person_refused = await reply(someone)
    await listener.send_json_to({"type": "urgent"})
    raised = await reply(listener)
    for communicator in (someone, listener):
        await communicator.disconnect()
    return refused, person_refused, raised


def test_the_urgent_flag_alerts_the_coordinator_on_call_and_keeps_no_content(on_shift, volunteer_coordinator):
    OnCall.objects.create(night=SHIFT_NIGHT, coordinator=volunteer_coordinator.member)
    refused, person_refused, raised = _urgent(on_shift.member.user)
    assert refused == {"type": "error", "error": "not-connected"}  # only in a conversation
    assert person_refused == {"type": "error", "error": "unknown"}
    assert raised == {"type": "urgent", "alerted": True}
    flag = UrgentFlag.objects.get()
    assert flag.volunteer == services.pseudonym_of(on_shift) and flag.coordinator_alerted
    assert "Omiya" not in stored_text() and "Vera" not in stored_text()
    alert, = mail.outbox
    assert alert.to == ["quinn@psg.test"] and "Vera Volunteer" in alert.body and "Omiya" not in alert.body


def test_purge_deletes_what_a_crash_left(frozen):
    now = frozen(tokyo(2026, 3, 15, 12, 0))
    Conversation.objects.create(person_channel="gone", waiting_since=now - datetime.timedelta(hours=13))
    recent = Conversation.objects.create(person_channel="live", waiting_since=timezone.now())
    assert tasks.purge_conversations.call() == 1
    assert list(Conversation.objects.values_list("pk", flat=True)) == [recent.pk]
