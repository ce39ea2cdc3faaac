"""The project's URLs plus one bare view: the cost of Django and its middleware with no page behind it."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from ajet.urls import urlpatterns as project_urlpatterns


@login_not_required
@require_GET
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]
