from django.core.files.base import ContentFile
from django.utils import timezone

from ajet.core import once
from ajet.organisation import services
from ajet.organisation.models import HandbookFile, HandbookPage, HandoverItem
from tests.authz_support import REDIRECT, Row, everyone, officers_only, signed_in
from tests.factories import block_post, chapter_post, national_post

EXECUTIVE = ("executive",)
BLOCK_3 = ("executive", "block_rep")  # executives and the representative of Saitama's block
HANDBOOK_READERS = ("executive", "block_rep")  # the Block 3 post's holder and the executives


def _council_year(world):
    return {"year": services.council_year_of(timezone.localdate())}


def _vice_chair(world):
    return {"post_id": national_post("vice-chair").pk}


def _block_3_term(world):
    return {"term_id": world.block_rep.terms.get().pk}


def _block_3_handbook(world):
    return {"post_id": block_post(3).pk}


def _handbook_page(world) -> HandbookPage:
    page = HandbookPage.objects.filter(post=block_post(3), slug="budget").first()
    return page or services.create_handbook_page(by=world.block_rep.user, post=block_post(3), title="Budget",
                                                 body="Spend wisely.")


def _page(world):
    return {"post_id": block_post(3).pk, "slug": _handbook_page(world).slug}


def _revision(world):
    page = _handbook_page(world)
    return {"post_id": page.post_id, "slug": page.slug, "revision_id": page.revisions.first().pk}


def _file(world):
    handbook_file = HandbookFile.objects.create(post=block_post(3), title="Contacts",
                                                file=ContentFile(b"phone list", name="contacts.txt"))
    return {"post_id": block_post(3).pk, "file_id": handbook_file.pk}


def _item(world):
    item = HandoverItem.objects.create(post=block_post(3), title="Renew the venue booking")
    return {"post_id": block_post(3).pk, "item_id": item.pk}


def _home(world):
    return {"slug": world.home_chapter.slug}


def _home_president(world):
    return {"post_id": chapter_post(world.home_chapter).pk}


def _new_post(world):
    return {"name_en": "Secretary", "slug": "secretary", "kind": "executive", "scope": "national",
            "order": 2, "valid_from": "2026-04-01", once.FIELD: once.issue()}


def handbook(status=200, **overrides):
    return officers_only(HANDBOOK_READERS, status=status, denied=404, **overrides)


ROWS = [
    Row("organisation:blocks", everyone(200)),
    Row("organisation:block", everyone(200), kwargs=lambda w: {"number": 3}),
    Row("organisation:chapters", everyone(200)),
    Row("organisation:chapter", everyone(200), kwargs=_home),
    Row("organisation:council", everyone(200)),
    Row("organisation:council_history", everyone(200)),
    Row("organisation:council_year", everyone(200), kwargs=_council_year),
    Row("organisation:initiatives", everyone(200)),
    Row("organisation:initiative", everyone(200), kwargs=lambda w: {"slug": "peer-support-group"}),
    # The council's structure: executives only.
    Row("organisation:manage_council", officers_only(EXECUTIVE)),
    Row("organisation:post_create", officers_only(EXECUTIVE)),
    Row("organisation:post_create", officers_only(EXECUTIVE, status=REDIRECT), method="post", data=_new_post),
    Row("organisation:post_manage", officers_only(EXECUTIVE), kwargs=_vice_chair),
    Row("organisation:post_edit", officers_only(EXECUTIVE), kwargs=_vice_chair),
    Row("organisation:post_retire", officers_only(EXECUTIVE), kwargs=_vice_chair),
    Row("organisation:term_create", officers_only(EXECUTIVE), kwargs=_vice_chair),
    Row("organisation:term_end", officers_only(EXECUTIVE), kwargs=_block_3_term),
    Row("organisation:prefecture_move", officers_only(EXECUTIVE), kwargs=lambda w: {"code": "11"}),
    # A chapter's officer posts: executives and the chapter's block representative.
    Row("organisation:post_manage", officers_only(BLOCK_3), kwargs=_home_president),
    Row("organisation:term_create", officers_only(BLOCK_3), kwargs=_home_president),
    # Chapters.
    Row("organisation:chapter_create", officers_only(("executive", "block_rep", "other_block_rep"))),
    Row("organisation:chapter_edit", officers_only(("executive", "block_rep", "chapter_officer")), kwargs=_home),
    Row("organisation:chapter_officers", officers_only(BLOCK_3), kwargs=_home),
    Row("organisation:chapter_join", signed_in(REDIRECT), kwargs=_home, method="post"),
    Row("organisation:chapter_leave", signed_in(REDIRECT), kwargs=_home, method="post"),
    # Initiatives: executives create; the supervising post's holder (not in this world) edits.
    Row("organisation:initiative_create", officers_only(EXECUTIVE)),
    Row("organisation:initiative_edit", officers_only(EXECUTIVE), kwargs=lambda w: {"slug": "peer-support-group"}),
    # Handbooks: hidden (404) from everyone but the post's holders and the executives.
    Row("organisation:handbooks", signed_in(200)),
    Row("organisation:handbook", handbook(), kwargs=_block_3_handbook),
    Row("organisation:handbook_page_create", handbook(), kwargs=_block_3_handbook),
    Row("organisation:handbook_page", handbook(), kwargs=_page),
    Row("organisation:handbook_page_edit", handbook(), kwargs=_page),
    Row("organisation:handbook_page_history", handbook(), kwargs=_page),
    Row("organisation:handbook_revision", handbook(), kwargs=_revision),
    Row("organisation:handbook_file_upload", handbook(), kwargs=_block_3_handbook),
    Row("organisation:handbook_file", handbook(), kwargs=_file),
    Row("organisation:handover_item_create", handbook(REDIRECT), kwargs=_block_3_handbook, method="post",
        data=lambda w: {"title": "Book the spring venue", once.FIELD: once.issue()}),
    Row("organisation:handover_item_done", handbook(REDIRECT), kwargs=_item, method="post",
        data=lambda w: {"done": "1"}),
]
