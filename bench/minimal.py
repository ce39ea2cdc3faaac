"""The limit: a one-view Django application with no middleware and no apps, served by gunicorn sync.

What a WSGI worker of Django itself can serve on this machine; no page of the project can be faster.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False, SECRET_KEY="bench-minimal-app-not-a-secret", ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__, MIDDLEWARE=[], INSTALLED_APPS=[], USE_I18N=False,
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare)]
application = get_wsgi_application()
