"""The public side of the hub in one page: upcoming public events, public announcements and public guides,
beside the chapters' directory (organisation's chapter pages). Anonymous visitors see only public things."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ajet.hub import queries

NEWS_LENGTH = 10


@login_not_required
@require_safe
def public_news(request):
    language = request.LANGUAGE_CODE
    announcements = [(announcement, announcement.localised(language)[0])
                     for announcement in queries.public_announcements()[:NEWS_LENGTH]]
    guides = [(guide, guide.localised(language)[0], guide.category.localised_name(language))
              for guide in queries.public_guides()]
    return render(request, "hub/public_news.html", {
        "events": queries.upcoming_public_events()[:NEWS_LENGTH],
        "announcements": announcements,
        "guides": guides,
    })
