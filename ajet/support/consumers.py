"""The anonymous live chat over WebSockets (`/ws/support/chat/`).

The person reaching out connects without signing in; even when their browser is signed in, the consumer
never reads their account. Nothing about them is stored: the Conversation row holds only its state and the
two channel names, and is deleted when either side ends or leaves. Messages go from one consumer to the
other through the channel layer and are never written anywhere. A volunteer connects with `?volunteer=1`
and is accepted only while trained, active and on the shift running now; only the volunteer who accepted a
conversation receives its messages (the consumer keeps its own conversation; clients cannot name another).
"""

import time
import uuid

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import transaction

from ajet.support import queries
from ajet.support.models import Conversation

VOLUNTEERS_GROUP = "support.volunteers"
PEOPLE_GROUP = "support.people"
MAX_MESSAGE_LENGTH = 2000
# At most this many messages per RATE_WINDOW seconds from one side of a conversation.
RATE_LIMIT = 20
RATE_WINDOW = 10.0
REFUSED = 4403  # close code for a volunteer who may not take contacts now


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.conversation_id = None
        self.other_channel = None
        self.sent: list[float] = []
        wants_volunteer = b"volunteer=1" in self.scope.get("query_string", b"")
        self.is_volunteer = wants_volunteer and await database_sync_to_async(queries.may_take_contacts_now)(
            self.scope.get("user"))
        if wants_volunteer and not self.is_volunteer:
            await self.close(code=REFUSED)
            return
        await self.accept()
        if self.is_volunteer:
            await self.channel_layer.group_add(VOLUNTEERS_GROUP, self.channel_name)
            await self.send_queue()
            return
        status = await database_sync_to_async(queries.line_status)()
        if not status.open:
            await self.send_json({"type": "closed", "opens_at": status.as_json()["opens_at"]})
            await self.close()
            return
        self.conversation_id = await database_sync_to_async(_open_conversation)(self.channel_name)
        await self.channel_layer.group_add(PEOPLE_GROUP, self.channel_name)
        await self.queue_changed_everywhere()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(VOLUNTEERS_GROUP, self.channel_name)
        await self.channel_layer.group_discard(PEOPLE_GROUP, self.channel_name)
        await self.end_conversation()

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "accept" and self.is_volunteer:
            await self.accept_conversation(content.get("conversation"))
        elif kind == "message":
            await self.relay(content.get("text"))
        elif kind == "end":
            await self.end_conversation()
        else:
            await self.send_json({"type": "error", "error": "unknown"})

    # --- Actions -------------------------------------------------------------------------------------

    async def accept_conversation(self, conversation_id) -> None:
        if self.conversation_id is not None:
            await self.send_json({"type": "error", "error": "busy"})
            return
        person_channel = await database_sync_to_async(_take)(conversation_id, self.channel_name)
        if person_channel is None:
            await self.send_json({"type": "error", "error": "not-waiting"})
            return
        self.conversation_id, self.other_channel = conversation_id, person_channel
        await self.channel_layer.send(person_channel, {"type": "chat.connected", "volunteer": self.channel_name})
        await self.send_json({"type": "connected", "conversation": str(conversation_id)})
        await self.queue_changed_everywhere()

    async def relay(self, text) -> None:
        if self.other_channel is None:
            await self.send_json({"type": "error", "error": "not-connected"})
            return
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_LENGTH:
            await self.send_json({"type": "error", "error": "too-long" if isinstance(text, str) else "invalid"})
            return
        now = time.monotonic()
        self.sent = [moment for moment in self.sent if now - moment < RATE_WINDOW]
        if len(self.sent) >= RATE_LIMIT:
            await self.send_json({"type": "error", "error": "slow-down"})
            return
        self.sent.append(now)
        await self.channel_layer.send(self.other_channel, {"type": "chat.message", "text": text})

    async def end_conversation(self) -> None:
        if self.conversation_id is None:
            return
        conversation_id, other = self.conversation_id, self.other_channel
        self.conversation_id = self.other_channel = None
        await database_sync_to_async(_delete)(conversation_id)
        if other is not None:
            await self.channel_layer.send(other, {"type": "chat.ended"})
        await self.send_json({"type": "ended"})
        await self.queue_changed_everywhere()

    async def queue_changed_everywhere(self) -> None:
        await self.channel_layer.group_send(VOLUNTEERS_GROUP, {"type": "queue.changed"})
        await self.channel_layer.group_send(PEOPLE_GROUP, {"type": "queue.changed"})

    async def send_queue(self) -> None:
        waiting = await database_sync_to_async(_waiting)()
        await self.send_json({"type": "queue", "waiting": waiting})

    # --- Events from the channel layer ---------------------------------------------------------------

    async def queue_changed(self, event):
        if self.is_volunteer:
            await self.send_queue()
        elif self.conversation_id is not None and self.other_channel is None:
            position = await database_sync_to_async(_position)(self.conversation_id)
            if position is not None:
                await self.send_json({"type": "waiting", "position": position})

    async def chat_connected(self, event):
        if self.conversation_id is not None:
            self.other_channel = event["volunteer"]
            await self.send_json({"type": "connected"})

    async def chat_message(self, event):
        if self.other_channel is not None:
            await self.send_json({"type": "message", "text": event["text"]})

    async def chat_ended(self, event):
        if self.conversation_id is not None:
            self.conversation_id = self.other_channel = None
            await self.send_json({"type": "ended"})


def _open_conversation(channel_name: str) -> uuid.UUID:
    return Conversation.objects.create(person_channel=channel_name).pk


def _take(conversation_id, volunteer_channel: str) -> str | None:
    """Mark a waiting conversation as taken by this volunteer; None if it is not waiting (taken, ended, forged)."""
    try:
        conversation_id = uuid.UUID(str(conversation_id))
    except ValueError:
        return None
    with transaction.atomic():
        taken = Conversation.objects.filter(pk=conversation_id, state=Conversation.State.WAITING).update(
            state=Conversation.State.ACTIVE, volunteer_channel=volunteer_channel)
        if not taken:
            return None
        return Conversation.objects.values_list("person_channel", flat=True).get(pk=conversation_id)


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
