"""The baseline of the chat benchmark: a bare Channels echo consumer (no sign-in, no origin check, no channel
layer, no database), served like the chat by uvicorn; HTTP answers like the project's for the start-up check."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.asgi import get_asgi_application

http_application = get_asgi_application()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    # No such channel layer is configured, so the consumer gets none (get_channel_layer answers None): a bare
    # consumer, with no channel of its own to listen on.
    channel_layer_alias = "bench-echo-has-no-layer"

    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data)


application = ProtocolTypeRouter({
    "http": http_application,
    "websocket": URLRouter([path("ws/echo/", EchoConsumer.as_asgi())]),
})
