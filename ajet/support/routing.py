from django.urls import path

from ajet.support.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/support/chat/", ChatConsumer.as_asgi()),
]
