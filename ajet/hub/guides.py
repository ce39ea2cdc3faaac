"""Guides: who reads which, the bilingual search, and the officers' writes (audit-logged).

Reads: `guides_visible_to`, `search_guides`, `stale_guides`. Writes: `create_guide`, `update_guide`,
`mark_guide_reviewed`, `add_guide_file`. The review reminders are sent by tasks.remind_guide_reviews.
"""

import datetime

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.core import audit
from ajet.hub.models_guides import REVIEW_INTERVAL, Guide, GuideFile, normalise_for_search
from ajet.organisation.models import Post, Term
from ajet.organisation.uploads import UploadRefused, check_upload, display_name

GUIDE_FIELDS = ["category", "slug", "title", "body", "title_ja", "body_ja", "owner_post", "is_public",
                "last_reviewed"]
# On PostgreSQL a search also finds words within this trigram word similarity (typos: "recontrcting").
FUZZY_THRESHOLD = 0.5
MAX_WORDS = 8  # of a search query


class GuideError(Exception):
    """A refused change, with a message for the user."""


# --- reads ------------------------------------------------------------------------------------------

def guides_visible_to(user) -> QuerySet:
    """Public guides for anyone; every guide for members and for the officers who may edit some."""
    guides = Guide.objects.select_related("category")
    if user.has_perm("hub.read_guides"):
        return guides
    return guides.filter(is_public=True)


def search_guides(guides: QuerySet, query: str) -> QuerySet:
    """The guides of `guides` that hold every word of `query`, in English or Japanese.

    A substring test on the normalised text of both languages, so that a Japanese word in the middle of a
    sentence (no spaces around it) is found; a trigram index serves it on PostgreSQL. There, a word is also
    found within a trigram word similarity (a misspelt English word), and the closest guides come first."""
    words = normalise_for_search(query).split()[:MAX_WORDS]
    if not words:
        return guides
    if connection.vendor != "postgresql":
        for word in words:
            guides = guides.filter(search_text__contains=word)
        return guides
    from django.contrib.postgres.search import TrigramWordSimilarity

    similarities = {f"similarity_{n}": TrigramWordSimilarity(word, "search_text") for n, word in enumerate(words)}
    guides = guides.annotate(**similarities)
    for n, word in enumerate(words):
        guides = guides.filter(Q(search_text__contains=word) | Q(**{f"similarity_{n}__gte": FUZZY_THRESHOLD}))
    best_first = sum((F(name) for name in similarities), Value(0.0))
    return guides.order_by(best_first.desc(), "category__order", "title")


def stale_guides(today: datetime.date | None = None) -> QuerySet:
    """Guides whose last review is a year old or more."""
    return Guide.objects.filter(last_reviewed__lte=(today or timezone.localdate()) - REVIEW_INTERVAL)


def editors_to_remind(guide: Guide, today: datetime.date | None = None) -> list:
    """The members to remind of a guide's review: the owner post's holders today, or the executives when
    nobody holds it (a reminder must reach someone)."""
    today = today or timezone.localdate()
    terms = Term.objects.current(today).filter(member__isnull=False, member__user__is_active=True)
    holders = [term.member for term in terms.filter(post=guide.owner_post).select_related("member__user")]
    if not holders:
        holders = [term.member for term in terms.filter(post__kind=Post.Kind.EXECUTIVE, post__chapter=None)
                   .select_related("member__user")]
    return list({member.pk: member for member in holders}.values())


# --- writes -----------------------------------------------------------------------------------------

def _snapshot(guide: Guide) -> dict:
    values = audit.snapshot(guide, ["slug", "title", "title_ja", "is_public", "last_reviewed"])
    values["category"] = str(guide.category)
    values["owner_post"] = str(guide.owner_post)
    return values


@transaction.atomic
def create_guide(*, by, fields: dict) -> Guide:
    """Publish a guide (refused unless `by` may add guides); audit-logged."""
    if not by.has_perm("hub.add_guide"):
        raise GuideError(_("You may not publish guides."))
    guide = Guide(**fields, updated_by=by)
    guide.save()
    audit.record(actor=by, action="guide.create", target=guide, after=_snapshot(guide))
    return guide


@transaction.atomic
def update_guide(*, by, guide: Guide, fields: dict) -> Guide:
    """Change a guide (refused unless `by` may edit it); audit-logged with what it was before.

    Only executives move a guide to another owner post: an owner cannot hand their duty (and the right to
    edit) to a post of their choosing."""
    guide = Guide.objects.select_for_update().select_related("category", "owner_post").get(pk=guide.pk)
    if not by.has_perm("hub.change_guide", guide):
        raise GuideError(_("You may not edit this guide."))
    if fields.get("owner_post", guide.owner_post) != guide.owner_post and not by.has_perm("hub.add_guide"):
        raise GuideError(_("Only an executive may give the guide to another post."))
    before = _snapshot(guide)
    body_changed = any(fields.get(name, getattr(guide, name)) != getattr(guide, name) for name in ("body", "body_ja"))
    for name, value in fields.items():
        setattr(guide, name, value)
    guide.updated_by = by
    guide.save()
    audit.record(actor=by, action="guide.update", target=guide, before=before,
                 after={**_snapshot(guide), "text_changed": body_changed})
    return guide


@transaction.atomic
def mark_guide_reviewed(*, by, guide: Guide, on: datetime.date | None = None) -> Guide:
    """Record that the guide was checked and is still right today; the next reminder is a year away."""
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    if not by.has_perm("hub.change_guide", guide):
        raise GuideError(_("You may not edit this guide."))
    before = {"last_reviewed": str(guide.last_reviewed)}
    guide.last_reviewed = on or timezone.localdate()
    guide.updated_by = by
    guide.save(update_fields=["last_reviewed", "updated_by", "updated_at"])
    audit.record(actor=by, action="guide.review", target=guide, before=before,
                 after={"last_reviewed": str(guide.last_reviewed)})
    return guide


@transaction.atomic
def add_guide_file(*, by, guide: Guide, title: str, upload) -> GuideFile:
    """Attach a file (size and kind checked as for handbook files) to a guide; audit-logged."""
    if not by.has_perm("hub.change_guide", guide):
        raise GuideError(_("You may not edit this guide."))
    try:
        check_upload(upload)
    except UploadRefused as refused:
        raise GuideError(refused.message) from None
    original_name = display_name(upload.name or "")
    guide_file = GuideFile.objects.create(guide=guide, title=title, file=upload, original_name=original_name,
                                          uploaded_by=by)
    audit.record(actor=by, action="guide.file_add", target=guide_file, target_label=f"{guide}: {title}",
                 after={"title": title, "name": original_name, "stored_as": guide_file.file.name,
                        "size": upload.size})
    return guide_file
