"""Shared predicates for every app's rules.py, all built on `powers_of`."""

import rules

from ajet.organisation.powers import powers_of


@rules.predicate
def is_member(user) -> bool:
    return user.is_authenticated and hasattr(user, "member")


@rules.predicate
def is_current_member(user) -> bool:
    return is_member(user) and user.member.is_current


@rules.predicate
def is_executive(user) -> bool:
    powers = powers_of(user)
    return powers.is_officer and powers.is_executive


@rules.predicate
def is_officer(user) -> bool:
    """Holds a post today (with the second factor proved): e.g. may build a survey for their members."""
    return powers_of(user).is_officer


@rules.predicate
def manages_members(user) -> bool:
    return powers_of(user).manages_members


@rules.predicate
def manages_member(user, member) -> bool:
    """Executives, and officers whose block, chapter or constituency covers the member."""
    if member is None:
        return False
    powers = powers_of(user)
    if not powers.is_officer:
        return False
    return (
        powers.is_executive
        or member.prefecture_id in powers.managed_prefectures
        or member.position in powers.constituency_positions
    )


@rules.predicate
def is_self(user, member) -> bool:
    return member is not None and user.is_authenticated and member.user_id == user.pk


@rules.predicate
def represents_block(user, block) -> bool:
    powers = powers_of(user)
    return block is not None and powers.is_officer and block.pk in powers.represented_blocks


def _chapter_blocks_represented(user, chapter) -> list[bool] | None:
    """For each prefecture of the chapter, whether the user represents its block today (None: no powers)."""
    from ajet.organisation.geography import block_map_on

    powers = powers_of(user)
    if chapter is None or not powers.is_officer or not powers.represented_blocks:
        return None
    blocks = block_map_on()
    return [blocks.get(code) in powers.represented_blocks for code in _prefecture_codes(chapter)]


@rules.predicate
def represents_block_of_chapter(user, chapter) -> bool:
    return any(_chapter_blocks_represented(user, chapter) or [])


@rules.predicate
def represents_every_block_of_chapter(user, chapter) -> bool:
    """The chapter lies wholly inside the blocks the user represents (a chapter across two blocks does not)."""
    represented = _chapter_blocks_represented(user, chapter)
    return bool(represented) and all(represented)


@rules.predicate
def leads_chapter(user, chapter) -> bool:
    """Holds a post of this chapter that leads it (its President): manages the chapter's officer posts.
    (Only an officer's powers, MFA proved, carry led chapters.)"""
    return chapter is not None and chapter.pk in powers_of(user).led_chapters


@rules.predicate
def grants_no_more_than_held(user, post) -> bool:
    """Holding `post` would give no power the user does not hold already.

    Executives hold every power. Anyone else may only grant a chapter post that is not executive, of a
    chapter whose prefectures they already manage: a national or block post, or a chapter reaching beyond
    their own prefectures, would widen what its holder (perhaps themselves) may do. A post that leads its
    chapter (manages the chapter's officers) only by someone who already leads it or represents its block.
    """
    from ajet.organisation.models import Post

    powers = powers_of(user)
    if post is None or not powers.is_officer:
        return False
    if powers.is_executive:
        return True
    if post.scope != Post.Scope.CHAPTER or post.kind == Post.Kind.EXECUTIVE or post.chapter_id is None:
        return False
    codes = _prefecture_codes(post.chapter)
    if not codes or not all(code in powers.managed_prefectures for code in codes):
        return False
    return not post.leads_chapter or post.chapter_id in powers.led_chapters or represents_every_block_of_chapter(
        user, post.chapter)


@rules.predicate
def is_officer_of_chapter(user, chapter) -> bool:
    powers = powers_of(user)
    return chapter is not None and powers.is_officer and chapter.pk in powers.officer_chapters


@rules.predicate
def holds_post(user, post) -> bool:
    powers = powers_of(user)
    return post is not None and powers.is_officer and post.pk in powers.held_posts


@rules.predicate
def is_incoming_holder(user, post) -> bool:
    """The member holds a term of this post that has not started yet (the handover period)."""
    from django.utils import timezone

    if post is None or not is_member(user) or powers_of(user).mfa_missing:
        return False
    return post.terms.filter(member=user.member, start__gt=timezone.localdate()).exists()


@rules.predicate
def supervises_initiative(user, initiative) -> bool:
    powers = powers_of(user)
    return initiative is not None and powers.is_officer and initiative.pk in powers.supervised_initiatives


def _prefecture_codes(chapter) -> list[str]:
    cache = getattr(chapter, "_prefetched_objects_cache", {})
    if "prefectures" in cache:
        return [prefecture.pk for prefecture in cache["prefectures"]]
    return list(chapter.prefectures.values_list("pk", flat=True))
