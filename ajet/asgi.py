import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ajet.settings")
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs the settings above
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from ajet.core.request_limits import BoundedBodyASGI  # noqa: E402
from ajet.support.routing import websocket_urlpatterns  # noqa: E402

# HTTP as before; WebSockets (the PSG chat, /ws/) through Channels, from allowed origins only, with the
# session's user in the scope (read only for volunteers: the person reaching out is never identified).
application = ProtocolTypeRouter({
    "http": BoundedBodyASGI(django_application),
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
