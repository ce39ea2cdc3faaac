"""Writes about the organisation: council posts and terms, blocks, chapters, initiatives, handbooks.

Every function is atomic, keyword-only, and records officer actions in the audit log inside the
same transaction. Input has been validated by a form; the checks here guard the rules that must
hold whatever the caller (a clear `OrganisationError` and nothing written).
"""

import copy
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ajet.core import audit
from ajet.organisation import signals
from ajet.organisation.geography import block_map_on
from ajet.organisation.models import (
    Block,
    BlockAssignment,
    Chapter,
    ChapterMembership,
    ChapterSlug,
    HandbookFile,
    HandbookPage,
    HandbookRevision,
    HandoverItem,
    Initiative,
    Post,
    Prefecture,
    Term,
)
from ajet.organisation.uploads import UploadRefused, check_upload, display_name

POST_FIELDS = ["name_en", "name_ja", "slug", "kind", "scope", "block", "chapter", "description", "description_ja",
               "leads_chapter", "order", "valid_from", "valid_until"]
TERM_FIELDS = ["post", "holder", "start", "end"]
CHAPTER_FIELDS = ["name", "slug", "kind", "description", "description_ja", "contact_email", "is_active"]
# Words that chapter routes use where a chapter's slug stands (chapters/new/).
RESERVED_CHAPTER_SLUGS = frozenset({"new"})
INITIATIVE_FIELDS = ["name_en", "name_ja", "slug", "description", "description_ja", "supervising_post"]


class OrganisationError(Exception):
    """A change that the organisation's rules do not allow; the message is shown to the user."""


def _require(by, perm: str, obj=None) -> None:
    """The views ask first; the services ask again, so that no caller can skip the door."""
    if by is None or not by.has_perm(perm, obj):
        raise PermissionDenied


# --- The council year -------------------------------------------------------------------------

def council_year_start(year: int) -> datetime.date:
    """The first day of council year `year` (the 1st of AJET_COUNCIL_YEAR_START_MONTH)."""
    return datetime.date(year, settings.AJET_COUNCIL_YEAR_START_MONTH, 1)


def council_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of council year `year`."""
    return council_year_start(year), council_year_start(year + 1) - datetime.timedelta(days=1)


def council_year_of(day: datetime.date) -> int:
    """The council year that `day` falls in, named by the calendar year it starts in."""
    return day.year if day >= council_year_start(day.year) else day.year - 1


def next_council_year_start(day: datetime.date | None = None) -> datetime.date:
    """The first day of the council year after the one `day` (today) falls in."""
    return council_year_start(council_year_of(day or timezone.localdate()) + 1)


def default_term_end(start: datetime.date) -> datetime.date:
    """The last day of the council year that `start` falls in: terms end with their council, whenever in
    the year they start (a mid-year appointment ends with everyone else's)."""
    year = council_year_of(start)
    if year + 1 > datetime.MAXYEAR:  # no next council year to count to (forms refuse such dates; callers may not)
        return datetime.date.max
    return council_year_bounds(year)[1]


# --- Posts and terms --------------------------------------------------------------------------

def _post_snapshot(post: Post) -> dict:
    return audit.snapshot(post, POST_FIELDS)


def _term_snapshot(term: Term) -> dict:
    return audit.snapshot(term, TERM_FIELDS)


def _check_post_slug(*, slug: str, chapter: Chapter | None, exclude_pk: int | None = None) -> None:
    taken = Post.objects.filter(slug=slug, chapter=chapter)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise OrganisationError(_("Another post already uses the short name “%(slug)s”.") % {"slug": slug})


def _check_post_is_grantable(*, by, post: Post) -> None:
    """The post's kind fits its scope, and holding it gives no power `by` does not hold (else nothing written)."""
    if post.kind not in Post.kinds_for_scope(post.scope):
        raise OrganisationError(_("A %(scope)s post cannot be of the kind “%(kind)s”.") % {
            "scope": Post.Scope(post.scope).label, "kind": Post.Kind(post.kind).label})
    _require(by, "organisation.grant_post", post)


@transaction.atomic
def create_post(*, by, fields: dict) -> Post:
    """Create a council or chapter post from validated `fields`; audit-logged.

    Refused (PermissionDenied) when the post would give more power than `by` holds.
    """
    _check_post_is_grantable(by=by, post=Post(**fields))
    _check_post_slug(slug=fields["slug"], chapter=fields.get("chapter"))
    post = Post.objects.create(**fields)
    audit.record(actor=by, action="post.create", target=post, after=_post_snapshot(post))
    return post


@transaction.atomic
def update_post(*, by, post: Post, changes: dict) -> Post:
    """Change a post's names, description or order (and, while it has no terms, what it is); audit-logged.

    Refused (PermissionDenied) when the post, before or after the change, gives more power than `by` holds.
    """
    post = Post.objects.select_for_update().get(pk=post.pk)
    _require(by, "organisation.grant_post", post)
    changed = copy.copy(post)  # what the post would be: checked, never saved
    for name in {"kind", "scope", "block", "chapter", "leads_chapter"} & set(changes):
        setattr(changed, name, changes[name])
    _check_post_is_grantable(by=by, post=changed)
    if "slug" in changes:
        _check_post_slug(slug=changes["slug"], chapter=post.chapter, exclude_pk=post.pk)
    structural = {"kind", "scope", "block", "chapter"} & set(changes)
    if structural and post.terms.exists():
        raise OrganisationError(_("This post has terms: to change what it is, retire it and create a new post."))
    before = _post_snapshot(post)
    for name, value in changes.items():
        setattr(post, name, value)
    post.save(update_fields=list(changes))
    audit.record(actor=by, action="post.change", target=post, before=before, after=_post_snapshot(post))
    return post


@transaction.atomic
def retire_post(*, by, post: Post, last_day: datetime.date) -> Post:
    """The post exists until `last_day`; terms running past it end that day. Audit-logged (post and terms)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if last_day < post.valid_from:
        raise OrganisationError(_("A post cannot end before it starts (%(date)s).") % {"date": post.valid_from})
    later = post.terms.filter(start__gt=last_day).first()
    if later is not None:
        raise OrganisationError(
            _("%(holder)s's term starts after that day (%(start)s); end it before retiring the post.")
            % {"holder": later.holder, "start": later.start}
        )
    before = _post_snapshot(post)
    post.valid_until = last_day
    post.save(update_fields=["valid_until"])
    for term in post.terms.filter(end__gt=last_day).select_related("member"):
        _end_term(by=by, term=term, end=last_day)
    audit.record(actor=by, action="post.retire", target=post, before=before, after=_post_snapshot(post))
    return post


def _check_term_fits(*, post: Post, member, start: datetime.date, end: datetime.date,
                     exclude_pk: int | None = None) -> None:
    if end < start:
        raise OrganisationError(_("A term cannot end before it starts."))
    if start < post.valid_from or (post.valid_until is not None and end > post.valid_until):
        raise OrganisationError(
            _("The post exists from %(start)s until %(end)s: the term must fit inside.")
            % {"start": post.valid_from, "end": post.valid_until or "—"}
        )
    overlapping = post.terms.filter(member=member, start__lte=end, end__gte=start)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise OrganisationError(_("%(name)s already holds this post in that period.") % {"name": member.full_name})


@transaction.atomic
def appoint(*, by, post: Post, member, start: datetime.date, end: datetime.date | None = None, bio: str = "",
            bio_ja: str = "") -> Term:
    """Give `member` a term of `post` from `start` to `end` (default: the end of that council year), with the
    member's bios (English and Japanese) unless others are given; audit-logged.

    Refused (PermissionDenied) when the post gives more power than `by` holds.
    """
    end = end or default_term_end(start)
    post = Post.objects.select_for_update().get(pk=post.pk)
    _require(by, "organisation.grant_post", post)
    _check_term_fits(post=post, member=member, start=start, end=end)
    term = Term.objects.create(post=post, member=member, holder_name=member.full_name, start=start, end=end,
                               bio=bio or member.bio, bio_ja=bio_ja or member.bio_ja)
    audit.record(actor=by, action="term.create", target=term, target_label=str(term), after=_term_snapshot(term))
    return term


def _end_term(*, by, term: Term, end: datetime.date) -> Term:
    before = _term_snapshot(term)
    term.end = end
    term.save(update_fields=["end"])
    audit.record(actor=by, action="term.end", target=term, before=before, after=_term_snapshot(term))
    return term


@transaction.atomic
def cancel_term(*, by, term: Term) -> None:
    """Delete a term that has not started yet (nothing of it belongs to the record); audit-logged."""
    term = Term.objects.select_for_update(of=("self",)).select_related("member", "post").get(pk=term.pk)
    if term.start <= timezone.localdate():
        raise OrganisationError(_("This term has started; end it instead."))
    audit.record(actor=by, action="term.cancel", target=term, target_label=str(term), before=_term_snapshot(term))
    term.delete()


@transaction.atomic
def end_term(*, by, term: Term, end: datetime.date) -> Term:
    """End `term` early on `end` (its last day); audit-logged."""
    term = Term.objects.select_for_update(of=("self",)).select_related("member", "post").get(pk=term.pk)
    if end < term.start:
        raise OrganisationError(_("A term cannot end before it starts (%(date)s).") % {"date": term.start})
    if end >= term.end:
        raise OrganisationError(_("The term already ends on %(date)s; choose an earlier day.") % {"date": term.end})
    if term.end < timezone.localdate():
        raise OrganisationError(_("This term ended on %(date)s.") % {"date": term.end})
    return _end_term(by=by, term=term, end=end)


def end_terms_of_leavers(*, members: list, last_day: datetime.date, by) -> None:
    """Members leaving JET on `last_day` (people.services.mark_alumni, inside its transaction): their terms
    running past that day end on it; those starting after it are cancelled. Each audit-logged."""
    terms = Term.objects.select_for_update(of=("self",)).filter(
        member__in=members, end__gt=last_day).select_related("member", "post")
    for term in terms:
        if term.start > last_day:
            audit.record(actor=by, action="term.cancel", target=term, target_label=str(term),
                         before=_term_snapshot(term))
            term.delete()
        else:
            _end_term(by=by, term=term, end=last_day)
    signals.data_changed()  # the members' status changed in bulk: drop cached powers and pages


# --- Blocks -----------------------------------------------------------------------------------

@transaction.atomic
def move_prefecture(*, by, prefecture: Prefecture, block: Block, valid_from: datetime.date) -> BlockAssignment:
    """From `valid_from` on, `prefecture` belongs to `block`; earlier days keep their mapping. Audit-logged."""
    _require(by, "organisation.change_block", block)
    if valid_from is None:
        raise OrganisationError(_("Choose the day from which the move holds."))
    current = block_map_on(valid_from).get(prefecture.code)
    if current == block.number:
        raise OrganisationError(_("%(prefecture)s is already in %(block)s on that day.")
                                % {"prefecture": prefecture.name, "block": block})
    same_day = _("A move of this prefecture already holds from that day; choose another day.")
    if BlockAssignment.objects.filter(prefecture=prefecture, valid_from=valid_from).exists():
        raise OrganisationError(same_day)
    try:
        with transaction.atomic():
            assignment = BlockAssignment.objects.create(prefecture=prefecture, block=block, valid_from=valid_from)
    except IntegrityError as error:  # another executive moved it for the same day a moment ago
        raise OrganisationError(same_day) from error
    audit.record(actor=by, action="prefecture.move", target=prefecture,
                 before={"block": current, "from": str(valid_from)},
                 after={"block": block.number, "from": str(valid_from)})
    return assignment


# --- Chapters ---------------------------------------------------------------------------------

def _chapter_snapshot(chapter: Chapter) -> dict:
    values = audit.snapshot(chapter, CHAPTER_FIELDS)
    values["prefectures"] = sorted(chapter.prefectures.values_list("code", flat=True))
    return values


def _check_may_place_chapter(*, by, codes: set[str]) -> None:
    """Only prefectures of blocks where `by` may add chapters can be added to or removed from a chapter:
    a chapter's prefectures are its officers' reach."""
    if not codes:
        return
    mapping = block_map_on()
    for number in {mapping.get(code) for code in codes}:
        _require(by, "organisation.add_chapter", Block(number=number) if number is not None else None)


def chapter_slug_for(name: str, *, chapter: Chapter | None = None) -> str:
    """The web address name of a chapter called `name`: made from the name (ASCII), never one another chapter
    has or had (old links must keep leading to their chapter), nor a word the routes use. A chapter may get
    back one of its own old names."""
    base = slugify(name)[:70].strip("-") or "chapter"
    own_old = set(chapter.old_slugs.values_list("slug", flat=True)) if chapter is not None and chapter.pk else set()

    def taken(slug: str) -> bool:
        if slug in RESERVED_CHAPTER_SLUGS:
            return True
        if slug in own_old:
            return False
        others = Chapter.objects.filter(slug=slug)
        if chapter is not None and chapter.pk:
            others = others.exclude(pk=chapter.pk)
        return others.exists() or ChapterSlug.objects.filter(slug=slug).exists()

    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def create_chapter(*, by, fields: dict, prefectures: list[Prefecture]) -> Chapter:
    """Create a chapter covering `prefectures`, its web address made from its name; audit-logged."""
    if not prefectures:
        raise OrganisationError(_("A chapter covers at least one prefecture."))
    _check_may_place_chapter(by=by, codes={prefecture.pk for prefecture in prefectures})
    fields = {name: value for name, value in fields.items() if name != "slug"}
    chapter = Chapter.objects.create(slug=chapter_slug_for(fields["name"]), **fields)
    chapter.prefectures.set(prefectures)
    audit.record(actor=by, action="chapter.create", target=chapter, after=_chapter_snapshot(chapter))
    return chapter


@transaction.atomic
def update_chapter(*, by, chapter: Chapter, changes: dict, prefectures: list[Prefecture] | None = None) -> Chapter:
    """Save edits to a chapter (and the prefectures it covers, when given); audit-logged. A new name gives a
    new web address; the old one is kept (ChapterSlug) so that links to it redirect."""
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    before = _chapter_snapshot(chapter)
    changes = {name: value for name, value in changes.items() if name != "slug"}
    if "name" in changes and changes["name"] != chapter.name:
        slug = chapter_slug_for(changes["name"], chapter=chapter)
        if slug != chapter.slug:
            chapter.old_slugs.filter(slug=slug).delete()  # its own old name, back again
            ChapterSlug.objects.create(chapter=chapter, slug=chapter.slug)
            changes["slug"] = slug
    for name, value in changes.items():
        setattr(chapter, name, value)
    if changes:
        chapter.save(update_fields=list(changes))
    if prefectures is not None:
        if not prefectures:
            raise OrganisationError(_("A chapter covers at least one prefecture."))
        current = set(chapter.prefectures.values_list("code", flat=True))
        _check_may_place_chapter(by=by, codes=current ^ {prefecture.pk for prefecture in prefectures})
        chapter.prefectures.set(prefectures)
    audit.record(actor=by, action="chapter.change", target=chapter, before=before, after=_chapter_snapshot(chapter))
    return chapter


@transaction.atomic
def join_chapter(*, member, chapter: Chapter) -> ChapterMembership:
    """The member joins the chapter (nothing happens if they already belong to it)."""
    open_membership = chapter.memberships.select_for_update().filter(member=member, left_at__isnull=True).first()
    if open_membership is not None:
        return open_membership
    try:
        with transaction.atomic():
            return ChapterMembership.objects.create(member=member, chapter=chapter)
    except IntegrityError:  # the same join, sent twice at once, committed first: it is done
        return chapter.memberships.get(member=member, left_at__isnull=True)


@transaction.atomic
def leave_chapter(*, member, chapter: Chapter) -> None:
    """The member leaves the chapter: their open membership gets `left_at` (kept as history)."""
    chapter.memberships.filter(member=member, left_at__isnull=True).update(left_at=timezone.now())
    signals.data_changed()  # update() sends no signal: drop cached dashboards and powers


# --- Initiatives ------------------------------------------------------------------------------

@transaction.atomic
def create_initiative(*, by, fields: dict) -> Initiative:
    """Create a national initiative; audit-logged."""
    _check_supervising_post(fields["supervising_post"])
    initiative = Initiative.objects.create(**fields)
    audit.record(actor=by, action="initiative.create", target=initiative,
                 after=audit.snapshot(initiative, INITIATIVE_FIELDS))
    return initiative


@transaction.atomic
def update_initiative(*, by, initiative: Initiative, changes: dict) -> Initiative:
    """Save edits to an initiative; audit-logged."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if "supervising_post" in changes:
        _check_supervising_post(changes["supervising_post"])
    before = audit.snapshot(initiative, INITIATIVE_FIELDS)
    for name, value in changes.items():
        setattr(initiative, name, value)
    if changes:
        initiative.save(update_fields=list(changes))
    audit.record(actor=by, action="initiative.change", target=initiative, before=before,
                 after=audit.snapshot(initiative, INITIATIVE_FIELDS))
    return initiative


def _check_supervising_post(post: Post) -> None:
    if post.kind != Post.Kind.APPOINTED or post.scope != Post.Scope.NATIONAL:
        raise OrganisationError(_("An initiative is supervised by an appointed national post."))


# --- Handbooks --------------------------------------------------------------------------------

# Words that handbook routes use next to a page's slug (handbooks/<post>/pages/new/, …/<slug>/edit/): a page
# titled "New" must not hide the new-page form behind its own address.
RESERVED_PAGE_SLUGS = frozenset({"new", "edit", "history", "pages", "files", "items", "done"})


def _unique_page_slug(post: Post, title: str) -> str:
    base = slugify(title)[:70] or "page"  # a Japanese-only title gives "page", "page-2", …
    slug, number = base, 1
    if slug in RESERVED_PAGE_SLUGS:
        number, slug = 2, f"{base}-2"
    while HandbookPage.objects.filter(post=post, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


PAGE_TEXT_FIELDS = ["title", "body", "title_ja", "body_ja"]


def _store_revision(*, page: HandbookPage, by, note: str) -> HandbookRevision:
    return HandbookRevision.objects.create(
        page=page, **audit.snapshot(page, PAGE_TEXT_FIELDS), edited_by=by, edited_by_name=str(by), note=note,
    )


def _check_page_title(title: str, title_ja: str) -> None:
    if not title.strip() and not title_ja.strip():
        raise OrganisationError(_("Give the page a title, in English or Japanese."))


@transaction.atomic
def create_handbook_page(*, by, post: Post, title: str, body: str, note: str = "", title_ja: str = "",
                         body_ja: str = "") -> HandbookPage:
    """Add a page (English and/or Japanese) to the post's handbook and store its first revision; audit-logged."""
    _check_page_title(title, title_ja)
    page = HandbookPage.objects.create(post=post, title=title, body=body, title_ja=title_ja, body_ja=body_ja,
                                       slug=_unique_page_slug(post, title or title_ja))
    _store_revision(page=page, by=by, note=note or _("Page created"))
    audit.record(actor=by, action="handbook.page_create", target=page, target_label=f"{post}: {title or title_ja}",
                 after=audit.snapshot(page, PAGE_TEXT_FIELDS))
    return page


@transaction.atomic
def update_handbook_page(*, by, page: HandbookPage, title: str, body: str, note: str = "", title_ja: str = "",
                         body_ja: str = "") -> HandbookPage:
    """Save a new version of a handbook page (both languages); the old one stays in its revisions.
    Audit-logged."""
    _check_page_title(title, title_ja)
    page = HandbookPage.objects.select_for_update().get(pk=page.pk)
    before = audit.snapshot(page, PAGE_TEXT_FIELDS)
    page.title, page.body, page.title_ja, page.body_ja = title, body, title_ja, body_ja
    page.save(update_fields=[*PAGE_TEXT_FIELDS, "updated_at"])
    _store_revision(page=page, by=by, note=note)
    audit.record(actor=by, action="handbook.page_change", target=page,
                 target_label=f"{page.post}: {title or title_ja}", before=before,
                 after=audit.snapshot(page, PAGE_TEXT_FIELDS))
    return page


@transaction.atomic
def add_handbook_file(*, by, post: Post, title: str, upload) -> HandbookFile:
    """Attach an uploaded file to the post's handbook; audit-logged."""
    original_name = _check_upload(upload)
    handbook_file = HandbookFile.objects.create(post=post, title=title, file=upload, original_name=original_name,
                                                uploaded_by=by)
    audit.record(actor=by, action="handbook.file_add", target=handbook_file, target_label=f"{post}: {title}",
                 after={"title": title, "name": original_name, "stored_as": handbook_file.file.name,
                        "size": upload.size})
    return handbook_file


def _check_upload(upload) -> str:
    try:
        check_upload(upload)
    except UploadRefused as refused:
        raise OrganisationError(refused.message) from None
    return display_name(upload.name or "")


def _delete_stored_file_after_commit(storage, name: str) -> None:
    """The stored file goes once the row that named it is gone for good (never if the transaction fails)."""
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def replace_handbook_file(*, by, handbook_file: HandbookFile, upload, title: str | None = None) -> HandbookFile:
    """Put a new version of a handbook file in place of the old one (same entry, new stored file; the old
    one is deleted after the commit); audit-logged. Only whoever may edit the handbook."""
    handbook_file = HandbookFile.objects.select_for_update().select_related("post").get(pk=handbook_file.pk)
    _require(by, "organisation.change_handbook", handbook_file.post)
    original_name = _check_upload(upload)
    before = {"title": handbook_file.title, "name": handbook_file.original_name, "stored_as": handbook_file.file.name}
    old_name, storage = handbook_file.file.name, handbook_file.file.storage
    handbook_file.file = upload
    handbook_file.title = title or handbook_file.title
    handbook_file.original_name, handbook_file.uploaded_by = original_name, by
    handbook_file.uploaded_at = timezone.now()
    handbook_file.save()
    audit.record(actor=by, action="handbook.file_replace", target=handbook_file,
                 target_label=f"{handbook_file.post}: {handbook_file.title}", before=before,
                 after={"title": handbook_file.title, "name": original_name, "stored_as": handbook_file.file.name,
                        "size": upload.size})
    _delete_stored_file_after_commit(storage, old_name)
    return handbook_file


@transaction.atomic
def delete_handbook_file(*, by, handbook_file: HandbookFile) -> None:
    """Remove a file from a post's handbook (the stored file is deleted after the commit); audit-logged."""
    handbook_file = HandbookFile.objects.select_for_update().select_related("post").get(pk=handbook_file.pk)
    _require(by, "organisation.change_handbook", handbook_file.post)
    audit.record(actor=by, action="handbook.file_delete", target=handbook_file,
                 target_label=f"{handbook_file.post}: {handbook_file.title}",
                 before={"title": handbook_file.title, "name": handbook_file.original_name,
                         "stored_as": handbook_file.file.name})
    name, storage = handbook_file.file.name, handbook_file.file.storage
    handbook_file.delete()
    _delete_stored_file_after_commit(storage, name)


@transaction.atomic
def add_handover_item(*, by, post: Post, title: str, detail: str = "") -> HandoverItem:
    """Leave an open item for the post's next holder; audit-logged."""
    item = HandoverItem.objects.create(post=post, title=title, detail=detail, created_by=by)
    audit.record(actor=by, action="handover.add", target=item, target_label=f"{post}: {title}",
                 after={"title": title, "detail": detail})
    return item


@transaction.atomic
def set_handover_item_done(*, by, item: HandoverItem, done: bool) -> HandoverItem:
    """Mark a handover item done (or open again); audit-logged."""
    item = HandoverItem.objects.select_for_update().get(pk=item.pk)
    before = {"done_at": str(item.done_at) if item.done_at else None}
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    audit.record(actor=by, action="handover.done" if done else "handover.reopen", target=item,
                 before=before, after={"done_at": str(item.done_at) if item.done_at else None})
    return item
