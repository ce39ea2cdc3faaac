from ajet.core import once
from ajet.hub import services
from ajet.hub.models import Announcement
from ajet.organisation.scopes import Scope
from tests.authz_support import LOGIN, REDIRECT, Row, everyone, officers_only, signed_in
from tests.hub.hub_factories import announce, block3

WRITERS = ("chapter_officer", "other_block_rep", "block_rep", "executive")


def _block3_news(world):
    world.announcement = Announcement.objects.filter(title="Block 3 news").first() or announce(
        world.block_rep, block3(), title="Block 3 news")
    return {"announcement_id": world.announcement.pk}


def _public(world):
    found = Announcement.objects.filter(title="Public news").first() or announce(
        world.executive, Scope(Scope.NATIONAL), title="Public news", is_public=True)
    return {"announcement_id": found.pk}


def _to_confirm(world):
    found = Announcement.objects.filter(title="Timetable").first() or announce(
        world.executive, Scope(Scope.NATIONAL), title="Timetable", requires_acknowledgement=True)
    return {"announcement_id": found.pk}


def _new_block3_announcement(world):
    return {"audience": "block:3", "title": "Forged?", "body": "Text", once.FIELD: once.issue()}


def _only_block3_officers_wrote(world, role):
    written = Announcement.objects.filter(title="Forged?").exists()
    assert written == (role in ("block_rep", "executive", "attacker")), (role, written)


def _unsubscribe(world):
    return {"token": services.unsubscribe_token(world.member, Scope.NATIONAL)}


def _member_feed(world):
    return {"token": services.feed_token_of(world.member)}


ROWS = [
    Row("hub:announcements", signed_in(200)),
    Row("hub:announcement_create", officers_only(WRITERS)),
    # Only who may address block 3 writes to it; the others get the form back (the choice is not theirs).
    Row("hub:announcement_create", officers_only(WRITERS, status=200, block_rep=REDIRECT, executive=REDIRECT),
        method="post", data=_new_block3_announcement, verify=_only_block3_officers_wrote),
    Row("hub:officer_announcements", officers_only(WRITERS)),
    # Block 3 news: for the members of block 3 (everyone here lives in Saitama, but Olga in Aichi).
    Row("hub:announcement", everyone(200, anonymous=LOGIN, other_block_rep=404), kwargs=_block3_news),
    Row("hub:announcement", everyone(200), kwargs=_public),
    Row("hub:announcement_status", officers_only(("block_rep", "executive"), other_block_rep=404),
        kwargs=_block3_news),
    Row("hub:acknowledge", signed_in(REDIRECT, pending=403), method="post", kwargs=_to_confirm),
    Row("hub:preferences", signed_in(200)),
    Row("hub:unsubscribe", everyone(200), kwargs=_unsubscribe),
    Row("hub:public_feed", everyone(200)),
    Row("hub:member_feed", everyone(200), kwargs=_member_feed),
    Row("hub:reset_feed_token", signed_in(REDIRECT), method="post"),
]
