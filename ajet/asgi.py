import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ajet.settings")
django_application = get_asgi_application()

from ajet.core.request_limits import BoundedBodyASGI  # noqa: E402 - needs the settings above

application = BoundedBodyASGI(django_application)
