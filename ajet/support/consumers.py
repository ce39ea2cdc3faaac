"""The anonymous live chat over WebSockets (`/ws/support/chat/`).

The person reaching out connects without signing in; even when their browser is signed in, the consumer
never reads their account. Nothing about them is stored: the Conversation row holds only its state and the
two channel names, and is deleted when either side ends or leaves. Messages go from one consumer to the
other through the channel layer and are never written anywhere. A volunteer connects with `?volunteer=1`
and is accepted only while trained, active and on the shift running now; only the volunteer who accepted a
conversation receives its messages (the consumer keeps its own conversation; clients cannot name another).

Matching: the person may ask not to be connected with a volunteer from one block (`?avoid=N`). That choice
lives only in the person's consumer, in memory: a volunteer's "accept" is an offer sent to the person's
consumer with the volunteer's block, which takes the conversation or declines; nothing is stored.

A person nobody accepts within SUPPORT_CHAT_WAIT_SECONDS, or still waiting when the line closes, is told so
(the page then shows the referral resources) and the queue entry is deleted. A volunteer in a conversation
can raise the urgent flag: an UrgentFlag row (when, the volunteer's pseudonym; no content) and an e-mail to
the coordinator on call.
"""

import asyncio
import time
import uuid
from collections import deque
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ajet.support import queries, services
from ajet.support.models import Conversation
from ajet.support.routers import SUPPORT_DB

VOLUNTEERS_GROUP = "support.volunteers"
PEOPLE_GROUP = "support.people"
MAX_MESSAGE_LENGTH = 2000
# At most this many messages per RATE_WINDOW seconds from one side of a conversation (SUPPORT_CHAT_RATE_LIMIT;
# only the benchmark raises it, to measure the most messages a server relays).
RATE_LIMIT = 20
RATE_WINDOW = 10.0
REFUSED = 4403  # close code for a volunteer who may not take contacts now


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.conversation_id = None
        self.other_channel = None
        self.pending = None  # the conversation a volunteer offered to take, until the person's side answers
        self.declined: set[str] = set()  # conversations whose person declined this volunteer (their block)
        self.timer = None
        self.sent: deque[float] = deque()  # when this side's recent messages went, oldest first
        self.rate_limit = getattr(settings, "SUPPORT_CHAT_RATE_LIMIT", RATE_LIMIT)
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        wants_volunteer = query.get("volunteer") == ["1"]
        self.volunteer, self.block = None, None
        if wants_volunteer:
            self.volunteer, self.block = await database_sync_to_async(_volunteer_now)(self.scope.get("user"))
        self.is_volunteer = self.volunteer is not None
        if wants_volunteer and not self.is_volunteer:
            await self.close(code=REFUSED)
            return
        await self.accept()
        if self.is_volunteer:
            await self.channel_layer.group_add(VOLUNTEERS_GROUP, self.channel_name)
            await self.send_queue()
            return
        avoid = query.get("avoid", [""])[0]
        self.avoid_block = int(avoid) if avoid.isdigit() and len(avoid) <= 2 else None
        status = await database_sync_to_async(queries.line_status)()
        if not status.open:
            await self.send_json({"type": "closed", "opens_at": status.as_json()["opens_at"]})
            await self.close()
            return
        self.conversation_id = await database_sync_to_async(_open_conversation)(self.channel_name)
        await self.channel_layer.group_add(PEOPLE_GROUP, self.channel_name)
        self.timer = asyncio.ensure_future(self.give_up_waiting(status.closes_at))
        await self.queue_changed_everywhere()

    async def dispatch(self, message):
        """Channels' dispatch without its `aclose_old_connections()` before every handler (Channels 4.2+): that
        is a thread hand-off for every message, two per relayed chat message, which cost more than everything
        else the relay does (bench/chat.py). Every database access of this consumer goes through
        database_sync_to_async, which closes stale connections around its own call in its own thread."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        self.stop_timer()
        await self.channel_layer.group_discard(VOLUNTEERS_GROUP, self.channel_name)
        await self.channel_layer.group_discard(PEOPLE_GROUP, self.channel_name)
        await self.end_conversation()

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "accept" and self.is_volunteer:
            await self.offer_to_take(content.get("conversation"))
        elif kind == "urgent" and self.is_volunteer:
            await self.raise_urgent_flag()
        elif kind == "message":
            await self.relay(content.get("text"))
        elif kind == "end":
            await self.end_conversation()
        else:
            await self.send_json({"type": "error", "error": "unknown"})

    # --- Actions -------------------------------------------------------------------------------------

    async def offer_to_take(self, conversation_id) -> None:
        if self.conversation_id is not None or self.pending is not None:
            await self.send_json({"type": "error", "error": "busy"})
            return
        person_channel = await database_sync_to_async(_waiting_person)(conversation_id)
        if person_channel is None:
            await self.send_json({"type": "error", "error": "not-waiting"})
            return
        self.pending = str(conversation_id)
        await self.channel_layer.send(person_channel, {
            "type": "chat.offer", "volunteer": self.channel_name, "block": self.block})

    async def give_up_waiting(self, closes_at) -> None:
        """Sleep until the wait limit or the line's closing, whichever comes first; then, if nobody has
        taken the conversation, tell the person (they are shown other resources) and end it."""
        wait = float(settings.SUPPORT_CHAT_WAIT_SECONDS)
        until_close = (closes_at - timezone.now()).total_seconds() if closes_at is not None else wait + 1
        await asyncio.sleep(max(0.0, min(wait, until_close)))
        if self.conversation_id is None or self.other_channel is not None:
            return
        self.timer = None
        await self.send_json({"type": "closed" if until_close <= wait else "timeout", "opens_at": None})
        await self.end_conversation(quietly=True)
        await self.close()

    def stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    async def raise_urgent_flag(self) -> None:
        if self.other_channel is None:
            await self.send_json({"type": "error", "error": "not-connected"})
            return
        flag = await database_sync_to_async(services.raise_urgent_flag)(volunteer=self.volunteer)
        await self.send_json({"type": "urgent", "alerted": flag.coordinator_alerted})

    async def relay(self, text) -> None:
        if self.other_channel is None:
            await self.send_json({"type": "error", "error": "not-connected"})
            return
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_LENGTH:
            await self.send_json({"type": "error", "error": "too-long" if isinstance(text, str) else "invalid"})
            return
        now = time.monotonic()
        while self.sent and now - self.sent[0] >= RATE_WINDOW:
            self.sent.popleft()
        if len(self.sent) >= self.rate_limit:
            await self.send_json({"type": "error", "error": "slow-down"})
            return
        self.sent.append(now)
        await self.channel_layer.send(self.other_channel, {"type": "chat.message", "text": text})

    async def end_conversation(self, quietly: bool = False) -> None:
        if self.conversation_id is None:
            return
        conversation_id, other = self.conversation_id, self.other_channel
        self.conversation_id = self.other_channel = None
        self.stop_timer()
        await database_sync_to_async(_delete)(conversation_id)
        if other is not None:
            await self.channel_layer.send(other, {"type": "chat.ended"})
        if not quietly:
            await self.send_json({"type": "ended"})
        await self.queue_changed_everywhere()

    async def queue_changed_everywhere(self) -> None:
        await self.channel_layer.group_send(VOLUNTEERS_GROUP, {"type": "queue.changed"})
        await self.channel_layer.group_send(PEOPLE_GROUP, {"type": "queue.changed"})

    async def send_queue(self) -> None:
        waiting = await database_sync_to_async(_waiting)()
        await self.send_json({"type": "queue", "waiting": [entry for entry in waiting
                                                           if entry["conversation"] not in self.declined]})

    # --- Events from the channel layer ---------------------------------------------------------------

    async def queue_changed(self, event):
        if self.is_volunteer:
            if self.conversation_id is None:  # a volunteer in a conversation gets the queue when it ends
                await self.send_queue()
        elif self.conversation_id is not None and self.other_channel is None:
            position = await database_sync_to_async(_position)(self.conversation_id)
            if position is not None:
                await self.send_json({"type": "waiting", "position": position})

    async def chat_offer(self, event):
        """On the person's side: a volunteer offers to take this conversation."""
        volunteer = event["volunteer"]
        if self.conversation_id is None or self.other_channel is not None:
            await self.channel_layer.send(volunteer, {"type": "chat.declined", "error": "not-waiting"})
            return
        if self.avoid_block is not None and event.get("block") == self.avoid_block:
            await self.channel_layer.send(volunteer, {"type": "chat.declined", "error": "not-matched",
                                                      "conversation": str(self.conversation_id)})
            return
        if not await database_sync_to_async(_take)(self.conversation_id, volunteer):
            await self.channel_layer.send(volunteer, {"type": "chat.declined", "error": "not-waiting"})
            return
        self.stop_timer()
        self.other_channel = volunteer
        await self.channel_layer.send(volunteer, {"type": "chat.accepted", "person": self.channel_name,
                                                  "conversation": str(self.conversation_id)})
        await self.send_json({"type": "connected"})
        await self.queue_changed_everywhere()

    async def chat_accepted(self, event):
        """On the volunteer's side: the person's consumer took the conversation for this volunteer."""
        if self.pending != event["conversation"]:  # no longer expected: hand it back ended
            await self.channel_layer.send(event["person"], {"type": "chat.ended"})
            return
        self.pending = None
        self.conversation_id, self.other_channel = event["conversation"], event["person"]
        await self.send_json({"type": "connected", "conversation": event["conversation"]})

    async def chat_declined(self, event):
        self.pending = None
        if event.get("conversation"):
            self.declined.add(event["conversation"])
        await self.send_json({"type": "error", "error": event["error"]})
        await self.send_queue()

    async def chat_message(self, event):
        if self.other_channel is not None:
            await self.send_json({"type": "message", "text": event["text"]})

    async def chat_ended(self, event):
        if self.conversation_id is not None:
            self.conversation_id = self.other_channel = None
            await self.send_json({"type": "ended"})
            if self.is_volunteer:
                await self.send_queue()


def _volunteer_now(user):
    """The volunteer record and block of a user who may take contacts now, or (None, None)."""
    if not queries.may_take_contacts_now(user):
        return None, None
    from ajet.organisation.geography import block_of_prefecture
    from ajet.support.rules import volunteer_of

    volunteer = volunteer_of(user)
    return volunteer, block_of_prefecture(volunteer.member.prefecture_id)


def _waiting_person(conversation_id) -> str | None:
    """The person's channel of a waiting conversation; None if it is not waiting (taken, ended, forged)."""
    try:
        conversation_id = uuid.UUID(str(conversation_id))
    except ValueError:
        return None
    return Conversation.objects.filter(pk=conversation_id, state=Conversation.State.WAITING).values_list(
        "person_channel", flat=True).first()


def _open_conversation(channel_name: str) -> uuid.UUID:
    return Conversation.objects.create(person_channel=channel_name).pk


def _take(conversation_id, volunteer_channel: str) -> bool:
    """Mark a waiting conversation as taken by this volunteer; False if it is no longer waiting."""
    with transaction.atomic(using=SUPPORT_DB):
        return bool(Conversation.objects.filter(pk=conversation_id, state=Conversation.State.WAITING).update(
            state=Conversation.State.ACTIVE, volunteer_channel=volunteer_channel))


def _delete(conversation_id) -> None:
    Conversation.objects.filter(pk=conversation_id).delete()


def _waiting() -> list[dict]:
    return [{"conversation": str(pk), "position": index + 1} for index, pk in enumerate(
        Conversation.objects.filter(state=Conversation.State.WAITING).values_list("pk", flat=True))]


def _position(conversation_id) -> int | None:
    conversation = Conversation.objects.filter(pk=conversation_id, state=Conversation.State.WAITING).first()
    if conversation is None:
        return None
    return Conversation.objects.filter(state=Conversation.State.WAITING,
                                       waiting_since__lte=conversation.waiting_since).count()
