"""The project's URLs plus one bare view: the cost of Django and its middleware with no page behind it."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from ajet.urls import urlpatterns as project_urlpatterns


@login_not_required
@require_GET
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_POST
def bare_insert(request):
    """The casting benchmark's baseline (bench/casting.py): one row inserted in a transaction, CSRF checked."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (note) VALUES (%s)", ["ballot"])
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), path("bench/insert/", bare_insert, name="bench_insert"),
               *project_urlpatterns]
