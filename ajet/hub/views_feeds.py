"""Atom feeds: the public announcements, and each member's private feed behind a secret, revocable token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ajet.hub import queries, services
from ajet.hub.models import FeedToken
from ajet.organisation.markdown import render_markdown

FEED_LENGTH = 30


class PublicAnnouncementsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("AJET announcements")
    subtitle = gettext_lazy("Public announcements of National AJET, the blocks and the chapters.")
    link = reverse_lazy("hub:public_feed")

    def items(self):
        return queries.public_announcements()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.body)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


public_feed = login_not_required(PublicAnnouncementsFeed())


class MemberAnnouncementsFeed(PublicAnnouncementsFeed):
    title = gettext_lazy("My AJET announcements")
    subtitle = gettext_lazy("The announcements addressed to you.")

    def get_object(self, request, token):
        found = FeedToken.objects.select_related("member").filter(token=token).first()
        if found is None:
            raise Http404
        return found.member

    def link(self, member):
        return reverse("hub:announcements")

    def items(self, member):
        return queries.announcements_for(member)[:FEED_LENGTH]


member_feed = login_not_required(MemberAnnouncementsFeed())


@require_POST
def reset_feed_token(request):
    """A new secret address for the member's private feed; the old one stops working."""
    if not request.user.has_perm("hub.read_announcements"):
        raise PermissionDenied
    services.reset_feed_token(member=request.user.member)
    messages.success(request, _("Your private feed has a new address; the old one no longer works."))
    return redirect("hub:preferences")
