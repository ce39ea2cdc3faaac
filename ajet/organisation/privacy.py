"""The organisation app's part of a person's data: chapters, terms and handbook work (ajet/core/personal_data.py).

On closure the public record stays: every post the person held up to that day keeps their name
(Term.holder_name). A term running that day ends that day, and a term not started yet is cancelled, so that
the closed account is never shown holding a post afterwards. The handbook revisions they wrote name the
closed account's pseudonym as the author. Everything else personal goes: chapter memberships and the short
bios written for their terms.
"""

from django.utils import timezone

from ajet.organisation.models import ChapterMembership, HandbookFile, HandbookRevision, HandoverItem, Term


def export_organisation(user) -> dict:
    """Chapter memberships, terms held, and the handbook work of the person."""
    member = getattr(user, "member", None)
    memberships = (
        ChapterMembership.objects.filter(member=member).select_related("chapter").order_by("joined_at")
        if member is not None else ChapterMembership.objects.none()
    )
    terms = (
        Term.objects.filter(member=member).select_related("post__block", "post__chapter").order_by("start")
        if member is not None else Term.objects.none()
    )
    return {
        "chapter_memberships": [
            {"chapter": membership.chapter.name, "joined": membership.joined_at, "left": membership.left_at}
            for membership in memberships
        ],
        "terms": [
            {
                "post": term.post.name_en,
                "scope": term.post.scope,
                "block": term.post.block_id,
                "chapter": term.post.chapter.name if term.post.chapter else None,
                "start": term.start,
                "end": term.end,
                "bio": term.bio,
                "bio_ja": term.bio_ja,
            }
            for term in terms
        ],
        "handbook_revisions": [
            {"post": revision.page.post.name_en, "page": revision.title, "edited": revision.edited_at,
             "note": revision.note}
            for revision in HandbookRevision.objects.filter(edited_by=user).select_related("page__post")
        ],
        "handbook_files": [
            {"post": handbook_file.post.name_en, "title": handbook_file.title, "uploaded": handbook_file.uploaded_at}
            for handbook_file in HandbookFile.objects.filter(uploaded_by=user).select_related("post")
        ],
        "handover_items": [
            {"post": item.post.name_en, "title": item.title, "created": item.created_at, "done": item.done_at}
            for item in HandoverItem.objects.filter(created_by=user).select_related("post")
        ],
    }


def erase_organisation(user) -> None:
    """Before the member profile goes: cancel their terms that have not started and end today those that
    run beyond today (each audit-logged, by the closing person), write the holder's name on every term
    they held (the link to the profile is cut when it is deleted), clear the bios of those terms, remove
    chapter memberships, name the pseudonym as the author of their handbook revisions, and show their
    handover items and files as left by "a former holder" (those keep no name field)."""
    from ajet.core.personal_data import pseudonym_of
    from ajet.organisation import services

    member = getattr(user, "member", None)
    if member is not None:
        today = timezone.localdate()
        for term in Term.objects.filter(member=member, start__gt=today):
            services.cancel_term(by=user, term=term)
        for term in Term.objects.filter(member=member, start__lte=today, end__gt=today):
            services.end_term(by=user, term=term, end=today)
        Term.objects.filter(member=member).update(holder_name=member.full_name, bio="", bio_ja="")
        ChapterMembership.objects.filter(member=member).delete()
    HandbookRevision.objects.filter(edited_by=user).update(edited_by_name=pseudonym_of(user))
    HandoverItem.objects.filter(created_by=user).update(created_by=None)
    HandbookFile.objects.filter(uploaded_by=user).update(uploaded_by=None)
