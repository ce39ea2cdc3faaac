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


def _saitama_meetup(world):
    from ajet.hub.models import Event

    found = Event.objects.filter(title="Saitama meetup").first() or services.create_event(
        by=world.chapter_officer.user, scope=Scope(Scope.CHAPTER, chapter=world.home_chapter.pk),
        fields=_event_fields("Saitama meetup"))
    return {"event_id": found.pk}


def _public_event(world):
    from ajet.hub.models import Event

    found = Event.objects.filter(title="Open day").first() or services.create_event(
        by=world.executive.user, scope=Scope(Scope.NATIONAL), fields=_event_fields("Open day", is_public=True))
    return {"event_id": found.pk}


def _event_fields(title, **more):
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=3)
    return {"title": title, "start": start, "end": start + datetime.timedelta(hours=2), **more}


def _new_chapter_event(world):
    return {"audience": f"chapter:{world.home_chapter.pk}", "title": "New event", "start": "2099-05-01 18:00",
            "end": "2099-05-01 20:00", once.FIELD: once.issue()}


def _only_home_chapter_officers_published(world, role):
    from ajet.hub.models import Event

    published = Event.objects.filter(title="New event").exists()
    assert published == (role in ("chapter_officer", "block_rep", "executive", "attacker")), (role, published)


def _block3_files(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    found = Announcement.objects.filter(title="Block 3 files").first() or services.create_announcement(
        by=world.block_rep.user, scope=block3(), fields={"title": "Block 3 files", "body": "See the file."},
        attachments=[SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 agenda", content_type="application/pdf")])
    return {"announcement_id": found.pk, "attachment_id": found.attachments.get().pk}


def _block3_desk(world):
    return {"number": 3}


def _forward_data(world):
    national = Announcement.objects.filter(title="National news").first() or announce(
        world.executive, Scope(Scope.NATIONAL), title="National news")
    return {"announcement": national.pk, "note": "Please read", once.FIELD: once.issue()}


def _only_block3_desks_forwarded(world, role):
    forwarded = Announcement.objects.filter(forwarded_from__isnull=False).exists()
    assert forwarded == (role in ("block_rep", "executive", "attacker")), (role, forwarded)


def _home_chapter_calendar(world):
    return {"slug": world.home_chapter.slug}


def _calendar(world):
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
    Row("hub:events", signed_in(200)),
    Row("hub:event_create", officers_only(WRITERS)),
    Row("hub:event_create", officers_only(WRITERS, status=REDIRECT, other_block_rep=200), method="post",
        data=_new_chapter_event, verify=_only_home_chapter_officers_published),
    # The Saitama chapter's meetup: for people in Saitama or in the chapter; Olga (Aichi) does not see it.
    Row("hub:event", everyone(200, anonymous=LOGIN, other_block_rep=404), kwargs=_saitama_meetup),
    Row("hub:event", everyone(200), kwargs=_public_event),
    Row("hub:event_ics", everyone(200, anonymous=LOGIN, other_block_rep=404), kwargs=_saitama_meetup),
    # Erin (Tokyo) organises but is not in the audience: she sees the event and may not answer.
    Row("hub:rsvp", signed_in(REDIRECT, pending=403, other_block_rep=404, executive=403), method="post",
        kwargs=_saitama_meetup, data=lambda world: {"attending": "yes"}),
    Row("hub:member_calendar", everyone(200), kwargs=_calendar),
    Row("hub:national_calendar", everyone(200)),
    Row("hub:chapter_calendar", everyone(200), kwargs=_home_chapter_calendar),
    # The files of block 3's announcement: for whoever may read it (Olga in Aichi does not).
    Row("hub:attachment", everyone(200, anonymous=LOGIN, other_block_rep=404), kwargs=_block3_files),
    # The one reminder: only who may address everyone (the executive) follows the national timetable.
    Row("hub:remind", signed_in(403, executive=REDIRECT), method="post", kwargs=_to_confirm),
    # The organisers of the Saitama meetup: its chapter's officer, block 3's representatives, the executive.
    Row("hub:event_attendees", officers_only(("chapter_officer", "block_rep", "executive"), other_block_rep=404),
        kwargs=_saitama_meetup),
    Row("hub:event_attendees_csv", officers_only(("chapter_officer", "block_rep", "executive"),
                                                 other_block_rep=404), kwargs=_saitama_meetup),
    Row("hub:liaison", officers_only(("block_rep", "other_block_rep", "executive"), status=REDIRECT)),
    Row("hub:liaison_desk", officers_only(("block_rep", "executive")), kwargs=_block3_desk),
    Row("hub:liaison_forward", officers_only(("block_rep", "executive"), status=REDIRECT), method="post",
        kwargs=_block3_desk, data=_forward_data, verify=_only_block3_desks_forwarded),
]


# --- Guides and the public page ---------------------------------------------------------------------

PDF = b"%PDF-1.4\n% a tiny test file\n"


def _guide(world, slug, *, owner, public):
    from django.core.files.base import ContentFile

    from ajet.hub.models import Guide, GuideCategory, GuideFile
    from ajet.organisation.models import Post

    found = Guide.objects.filter(slug=slug).first()
    if found is None:
        category, _created = GuideCategory.objects.get_or_create(slug="life", defaults={"name": "Life"})
        found = Guide.objects.create(category=category, slug=slug, title=slug.title(), body="Text",
                                     owner_post=Post.objects.get(slug=owner, chapter=None), is_public=public)
        GuideFile.objects.create(guide=found, title="Form", file=ContentFile(PDF, name="form.pdf"),
                                 original_name="form.pdf")
    return found


def _members_guide(world):
    """Members only, kept by the Block 3 representative (Bob, and Mallory beside him)."""
    return {"slug": _guide(world, "pension", owner="block-3-representative", public=False).slug}


def _public_guide(world):
    """Public, kept by the Treasurer (nobody in this world): only the executive edits it."""
    return {"slug": _guide(world, "earthquakes", owner="treasurer", public=True).slug}


def _guide_file(kwargs_of):
    def kwargs(world):
        slug = kwargs_of(world)["slug"]
        from ajet.hub.models import GuideFile

        return {"slug": slug, "file_id": GuideFile.objects.filter(guide__slug=slug).first().pk}
    return kwargs


def _new_guide(world):
    from ajet.hub.models import GuideCategory
    from ajet.organisation.models import Post

    category, _created = GuideCategory.objects.get_or_create(slug="life", defaults={"name": "Life"})
    return {"category": category.pk, "slug": "new-guide", "title": "New guide", "body": "Text",
            "owner_post": Post.objects.get(slug="block-3-representative", chapter=None).pk,
            "last_reviewed": "2025-01-01", once.FIELD: once.issue()}


def _only_executives_published(world, role):
    from ajet.hub.models import Guide

    assert Guide.objects.filter(slug="new-guide").exists() == (role == "executive"), role


def _taken_over_public_guide(world):
    from ajet.organisation.models import Post

    data = _new_guide(world) | {"slug": "earthquakes", "title": "Taken over"}
    data["owner_post"] = Post.objects.get(slug="block-3-representative", chapter=None).pk
    return data


def _public_guide_kept_by_treasurer(world, role):
    from ajet.hub.models import Guide

    guide = Guide.objects.get(slug="earthquakes")
    if role != "executive":
        assert (guide.title, guide.owner_post.slug) == ("Earthquakes", "treasurer"), role


GUIDE_EDITORS = ("block_rep", "executive")  # of the members' guide; the attacker represents Block 3 too

ROWS += [
    Row("hub:guides", everyone(200)),
    Row("hub:guide", everyone(200, anonymous=LOGIN), kwargs=_members_guide),
    Row("hub:guide", everyone(200), kwargs=_public_guide),
    Row("hub:guide_file", everyone(200, anonymous=LOGIN), kwargs=_guide_file(_members_guide)),
    Row("hub:guide_file", everyone(200), kwargs=_guide_file(_public_guide)),
    Row("hub:guide_create", officers_only(("executive",))),
    Row("hub:guide_create", officers_only(("executive",), status=REDIRECT), method="post", data=_new_guide,
        verify=_only_executives_published),
    Row("hub:guide_edit", officers_only(GUIDE_EDITORS), kwargs=_members_guide),
    Row("hub:guide_edit", officers_only(("executive",)), kwargs=_public_guide),
    # Mallory (and Bob) keep the members' guide, not this one: they may not take it over.
    Row("hub:guide_edit", officers_only(("executive",), status=REDIRECT), method="post", kwargs=_public_guide,
        data=_taken_over_public_guide, verify=_public_guide_kept_by_treasurer),
    Row("hub:guide_reviewed", officers_only(GUIDE_EDITORS, status=REDIRECT), method="post", kwargs=_members_guide),
    Row("hub:guide_file_upload", officers_only(GUIDE_EDITORS), kwargs=_members_guide),
    Row("hub:public_news", everyone(200)),
]
