"""A member's powers: who may act where today. The one place that derives them from terms and posts.

Powers come from the terms a member holds today (executive powers only from national executive posts).
A holder of a current or upcoming term has none of them until they have switched on multi-factor
authentication and, in a web request, until this session has passed the second factor (`mfa_missing`).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ajet.core.cache import get_current, set_current

# The version namespace of everything derived from the organisation's data (powers, dashboard panels).
ORGANISATION_DATA = "organisation"


@dataclass(frozen=True)
class Powers:
    is_executive: bool = False
    represented_blocks: frozenset[int] = field(default_factory=frozenset)
    officer_chapters: frozenset[int] = field(default_factory=frozenset)
    led_chapters: frozenset[int] = field(default_factory=frozenset)  # via a post that leads its chapter
    constituency_positions: frozenset[str] = field(default_factory=frozenset)
    supervised_initiatives: frozenset[int] = field(default_factory=frozenset)
    held_posts: frozenset[int] = field(default_factory=frozenset)
    managed_prefectures: frozenset[str] = field(default_factory=frozenset)
    holds_office: bool = False
    mfa_missing: bool = False
    # The terms behind these powers, for pages that show them (the dashboard): fetched in the same query.
    current_terms: tuple = ()
    upcoming_terms: tuple = ()

    @property
    def is_officer(self) -> bool:
        return self.holds_office and not self.mfa_missing

    @property
    def manages_members(self) -> bool:
        return self.is_officer and (
            self.is_executive or bool(self.managed_prefectures) or bool(self.constituency_positions)
        )


NO_POWERS = Powers()
_CACHE_ATTRIBUTE = "_ajet_powers"
# Set on the user by OfficerMFAMiddleware for each web request: did this session pass the second factor?
# Absent outside requests (services, tasks, the shell), where the account's own MFA is what counts.
SESSION_MFA_ATTRIBUTE = "session_mfa_passed"


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def powers_of(user, day: datetime.date | None = None) -> Powers:
    """What `user` may do today (or on `day`).

    Today's powers are kept on the user object for the request and in the shared cache under the
    organisation's data version (see `ajet.organisation.signals`): any change to terms, posts, blocks,
    chapters, members or authenticators makes every cached answer unreachable at once.
    """
    if user is None or not user.is_authenticated:
        return NO_POWERS
    if day is not None:
        return _without_unproved_session(user, _compute(user, day))
    if hasattr(user, _CACHE_ATTRIBUTE):
        return _without_unproved_session(user, getattr(user, _CACHE_ATTRIBUTE))
    today = timezone.localdate()
    key = _powers_key(user.pk, today)
    powers, version = get_current(ORGANISATION_DATA, key)  # one round trip: the MFA middleware asks every time
    if powers is None:
        powers = _compute(user, today)
        set_current(key, version, powers)
    setattr(user, _CACHE_ATTRIBUTE, powers)
    return _without_unproved_session(user, powers)


def _powers_key(user_id: int, day: datetime.date) -> str:
    return f"ajet:powers:{user_id}:{day.isoformat()}"


def prefetch_items(user_id: int) -> list[tuple[str, str]]:
    """What `powers_of` reads for today, for the session engine to read with the session: the MFA
    middleware asks for the powers on every signed-in request (ajet/core/sessions.py)."""
    return [(ORGANISATION_DATA, _powers_key(user_id, timezone.localdate()))]


def _without_unproved_session(user, powers: Powers) -> Powers:
    """A session that signed in with a password alone holds no powers, even if the account has MFA now."""
    if powers.mfa_missing or getattr(user, SESSION_MFA_ATTRIBUTE, True):
        return powers
    if not (powers.holds_office or powers.upcoming_terms):
        return powers
    return Powers(holds_office=powers.holds_office, mfa_missing=True,
                  current_terms=powers.current_terms, upcoming_terms=powers.upcoming_terms)


def forget_powers(user) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _compute(user, day: datetime.date) -> Powers:
    from ajet.organisation.geography import block_map_on
    from ajet.organisation.models import Chapter, Initiative, Post, Term

    # Current and upcoming terms in one query: the MFA middleware asks for powers on every request.
    terms = list(Term.objects.filter(member__user=user, end__gte=day).select_related("post").order_by("start"))
    upcoming = tuple(term for term in terms if term.start > day)
    terms = [term for term in terms if term.start <= day]
    if not terms and not upcoming:
        return NO_POWERS
    if not has_mfa(user):
        # Every power, current or upcoming (an incoming holder reads and edits the handbook), needs MFA.
        return Powers(holds_office=bool(terms), mfa_missing=True, current_terms=tuple(terms),
                      upcoming_terms=upcoming)
    if not terms:
        return Powers(upcoming_terms=upcoming)

    posts = [term.post for term in terms]
    is_executive = any(post.kind == Post.Kind.EXECUTIVE and post.scope == Post.Scope.NATIONAL for post in posts)
    # A post's place matches its scope (a database constraint): block posts have a block, chapter posts a chapter.
    blocks = frozenset(post.block_id for post in posts if post.block_id is not None)
    chapters = frozenset(post.chapter_id for post in posts if post.chapter_id is not None)
    # Only chapter posts lead (a database constraint), so each has a chapter.
    led_chapters = frozenset(post.chapter_id for post in posts if post.leads_chapter)
    positions = frozenset(
        post.constituency_position for post in posts
        if post.scope == Post.Scope.NATIONAL and post.constituency_position
    )
    post_ids = frozenset(post.id for post in posts)
    initiatives = frozenset(Initiative.objects.filter(supervising_post_id__in=post_ids).values_list("id", flat=True))

    prefectures = set()
    if blocks:
        prefectures |= {code for code, number in block_map_on(day).items() if number in blocks}
    if chapters:
        prefectures |= set(
            Chapter.prefectures.through.objects.filter(chapter_id__in=chapters).values_list("prefecture_id", flat=True)
        )
    return Powers(
        is_executive=is_executive,
        represented_blocks=blocks,
        officer_chapters=chapters,
        led_chapters=led_chapters,
        constituency_positions=positions,
        supervised_initiatives=initiatives,
        held_posts=post_ids,
        managed_prefectures=frozenset(prefectures),
        holds_office=True,
        current_terms=tuple(terms),
        upcoming_terms=upcoming,
    )
