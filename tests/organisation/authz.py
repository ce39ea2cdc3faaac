from django.core.files.base import ContentFile
from django.utils import timezone

from ajet.core import once
from ajet.organisation import services
from ajet.organisation.geography import block_map_on
from ajet.organisation.models import Chapter, HandbookFile, HandbookPage, HandoverItem, Post
from ajet.organisation.powers import powers_of
from tests.authz_support import REDIRECT, Row, everyone, officers_only, signed_in
from tests.factories import ChapterFactory, block_post, chapter_post, national_post, once_sent

EXECUTIVE = ("executive",)
BLOCK_3 = ("executive", "block_rep")  # executives and the representative of Saitama's block
HANDBOOK_READERS = ("executive", "block_rep")  # the Block 3 post's holder and the executives
CHAPTER_MANAGERS = (*BLOCK_3, "chapter_officer")  # and the home chapter's President


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
    # A new officer's first sign-in: why two-factor authentication, then setting it up (anyone signed in
    # may switch it on; an account that has it is sent on).
    Row("organisation:officer_mfa", signed_in(REDIRECT, pending=200, member=200, officer_without_mfa=200)),
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
    # A chapter's officer posts: executives, the chapter's block representative and its President (Carol).
    Row("organisation:post_manage", officers_only(CHAPTER_MANAGERS), kwargs=_home_president),
    Row("organisation:term_create", officers_only(CHAPTER_MANAGERS), kwargs=_home_president),
    # Chapters.
    Row("organisation:chapter_create", officers_only(("executive", "block_rep", "other_block_rep"))),
    Row("organisation:chapter_edit", officers_only(("executive", "block_rep", "chapter_officer")), kwargs=_home),
    Row("organisation:chapter_officers", officers_only(CHAPTER_MANAGERS), kwargs=_home),
    # Pending members join chapters once an officer confirms them (README: Security).
    Row("organisation:chapter_join", signed_in(REDIRECT, pending=403), kwargs=_home, method="post"),
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
    Row("organisation:handbook_file_replace", handbook(), kwargs=_file),
    Row("organisation:handbook_file_delete", handbook(), kwargs=_file),
    Row("organisation:handbook_file_delete", handbook(REDIRECT), kwargs=_file, method="post"),
    Row("organisation:handover_item_create", handbook(REDIRECT), kwargs=_block_3_handbook, method="post",
        data=lambda w: {"title": "Book the spring venue", once.FIELD: once.issue()}),
    Row("organisation:handover_item_done", handbook(REDIRECT), kwargs=_item, method="post",
        data=lambda w: {"done": "1"}),
]


# --- Escalation: the attacker (Mallory, Block 3 representative and home chapter treasurer) tries to widen
# her own powers through every form that shapes posts, terms, chapters and blocks. Each row checks afterwards
# that no local post became executive and that her reach is still Block 3 and her chapter.

def _nobody_gained_power(world, role):
    assert not Post.objects.filter(kind=Post.Kind.EXECUTIVE).exclude(scope=Post.Scope.NATIONAL).exists()
    if role == "executive":
        return  # an executive may appoint anyone to anything: that is their office, not an escalation
    powers = powers_of(world.attacker.user, day=timezone.localdate())
    block_3 = {code for code, number in block_map_on().items() if number == 3}
    assert not powers.is_executive, "the attacker became an executive"
    assert powers.represented_blocks == {3}, powers.represented_blocks
    assert powers.managed_prefectures <= block_3, sorted(powers.managed_prefectures - block_3)
    assert set(world.home_chapter.prefectures.values_list("code", flat=True)) == {"11"}


def _kanto_tokai(world) -> Chapter:
    """A chapter across Saitama (Block 3) and Aichi (Block 5): beyond the Block 3 representative's reach."""
    chapter = Chapter.objects.filter(slug="kanto-tokai").first()
    return chapter or ChapterFactory(name="Kanto-Tokai AJET", slug="kanto-tokai", prefecture_codes=["11", "23"])


def _kanto_tokai_slug(world):
    return {"slug": _kanto_tokai(world).slug}


def _kanto_tokai_post(world):
    return {"post_id": chapter_post(_kanto_tokai(world)).pk}


def _home_secretary(world):
    """A chapter post with no terms yet, so its kind can still be edited."""
    return {"post_id": chapter_post(world.home_chapter, slug="secretary", name="Secretary").pk}


def _executive_chapter_post(world):
    return once_sent({"name_en": "Shadow Chair", "slug": "shadow-chair", "kind": "executive", "scope": "national",
            "order": 1, "description": ""})


def _appoint_attacker(world):
    return once_sent({"member": world.attacker.user.email, "start": timezone.localdate().isoformat(), "end": ""})


def _block_post_as_executive(world):
    return {"name_en": "Block 3 Representative", "slug": "block-3-representative", "kind": "executive",
            "scope": "national", "block": "", "order": 1, "valid_from": "2000-01-01", "description": ""}


def _home_chapter_reaching_aichi(world):
    return {"name": "Saitama AJET", "slug": "saitama", "kind": "prefecture", "prefectures": ["11", "23"],
            "description": "", "contact_email": ""}


def _chapter_in_aichi(world):
    return once_sent({"name": "Nagoya AJET", "slug": "nagoya", "kind": "city", "prefectures": ["23"], "description": "",
            "contact_email": ""})


def _aichi_into_block_3(world):
    return once_sent({"block": "3", "valid_from": timezone.localdate().isoformat()})


ESCALATION = _nobody_gained_power


def _chapter_stays_home(world, role):
    if role == "executive":
        return  # executives may widen a chapter; the attacker's powers are checked on the other rows
    _nobody_gained_power(world, role)
# Forms that refuse the attempt show it again with an error: 200 for everyone who may use the form.
FORM_ERROR = 200
ROWS += [
    # A chapter post of kind executive (the chapter officers' form offered it): no kind but elected/appointed.
    Row("organisation:chapter_officers", officers_only((*CHAPTER_MANAGERS, "attacker"), status=FORM_ERROR),
        kwargs=_home, method="post", data=_executive_chapter_post, verify=ESCALATION),
    # Editing an existing chapter post into an executive or national one.
    Row("organisation:post_edit", officers_only((*CHAPTER_MANAGERS, "attacker"), status=FORM_ERROR),
        kwargs=_home_secretary, method="post", data=_executive_chapter_post, verify=ESCALATION),
    # Her own block post made executive and national: executives only (for them the kind is fixed by terms).
    Row("organisation:post_edit", officers_only(EXECUTIVE, status=REDIRECT), kwargs=lambda w: {
        "post_id": block_post(3).pk}, method="post", data=_block_post_as_executive, verify=ESCALATION),
    # Appointing herself to a national executive post.
    Row("organisation:term_create", officers_only(EXECUTIVE, status=REDIRECT), kwargs=lambda w: {
        "post_id": national_post("vice-chair").pk}, method="post", data=_appoint_attacker, verify=ESCALATION),
    # A chapter reaching into another block: neither its officers' posts nor appointments are hers to make.
    Row("organisation:chapter_officers", officers_only(EXECUTIVE), kwargs=_kanto_tokai_slug),
    Row("organisation:chapter_officers", officers_only(EXECUTIVE, status=REDIRECT), kwargs=_kanto_tokai_slug,
        method="post", data=lambda w: once_sent({"name_en": "Secretary", "slug": "secretary", "kind": "appointed",
                                                 "order": 5, "description": ""}), verify=ESCALATION),
    Row("organisation:term_create", officers_only(EXECUTIVE, status=REDIRECT), kwargs=_kanto_tokai_post,
        method="post", data=_appoint_attacker, verify=ESCALATION),
    # Widening her chapter, or a new chapter, into another block's prefecture.
    Row("organisation:chapter_edit", officers_only(("executive", "block_rep", "chapter_officer", "attacker"),
                                                   status=FORM_ERROR, executive=REDIRECT,
                                                   chapter_officer=REDIRECT),  # her form has no prefectures
        kwargs=_home, method="post", data=_home_chapter_reaching_aichi, verify=_chapter_stays_home),
    Row("organisation:chapter_create", officers_only(("block_rep", "other_block_rep", "attacker"),
                                                     status=FORM_ERROR, executive=REDIRECT, other_block_rep=REDIRECT),
        method="post", data=_chapter_in_aichi, verify=ESCALATION),
    # Moving another block's prefecture into her block.
    Row("organisation:prefecture_move", officers_only(EXECUTIVE, status=REDIRECT), kwargs=lambda w: {"code": "23"},
        method="post", data=_aichi_into_block_3, verify=ESCALATION),
]
