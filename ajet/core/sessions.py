"""The session engine: Django's cached_db sessions, read together with what the signed-in user needs.

A signed-in request reads the session from the shared cache, then the user and their powers, each
checked against its data version (ajet/core/cache.py): three round trips to Redis before any page, and
under load each costs far more than its CPU time. A session belongs to one account for its whole life
(Django gives a new session key at every sign-in and sign-out), so each worker remembers which account a
session key was last seen with, and reads the session, that account's versions and its cached values in one
round trip (`prefetch`). The remembered account is only a guess of what to read: the session read in the
same round trip still says who is signed in, and a value is only used for the current versions, so a
wrong or stale guess costs an extra round trip, never a wrong answer.

What to read for an account is registered by the apps that read it (`register_user_prefetch`): core knows no
domain.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from ajet.core import cache as versions

_prefetchers: list[Callable[[int], Iterable[tuple]]] = []
_session_prefetchers: list[Callable[[str], Iterable[tuple]]] = []
_accounts_of_sessions: dict[str, int] = {}  # per process: session key → the account it was last seen with
_MAX_REMEMBERED_SESSIONS = 50_000  # then start again: a guess costs one round trip, never a wrong answer


def register_user_prefetch(items_for: Callable[[int], Iterable[tuple]]) -> None:
    """`items_for(user_id)` gives the (namespace, key) pairs (see `ajet.core.cache.prefetch`) that every
    signed-in request of that account will ask `get_current` for."""
    if items_for not in _prefetchers:
        _prefetchers.append(items_for)


def register_session_prefetch(items_for: Callable[[str], Iterable[tuple]]) -> None:
    """`items_for(session_key)` gives (namespace, key) pairs to read with a known session (e.g. the page that
    session asked for last time at this path: ajet/core/page_cache.py)."""
    if items_for not in _session_prefetchers:
        _session_prefetchers.append(items_for)


class SessionStore(cached_db.SessionStore):
    def load(self):
        account = _accounts_of_sessions.get(self.session_key) if self.session_key else None
        data = None
        if account is not None and settings.SESSION_CACHE_ALIAS == "default":
            items = [item for items_for in _prefetchers for item in items_for(account)]
            items += [item for items_for in _session_prefetchers for item in items_for(self.session_key)]
            try:
                data = versions.prefetch(items, extra_keys=[self.cache_key])[self.cache_key]
            except Exception:  # as cached_db does: a cache that is down falls back to the database
                data = None
        if data is None:
            data = super().load()
        self._remember_account(data)
        return data

    def _remember_account(self, data) -> None:
        try:
            account = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            return
        if len(_accounts_of_sessions) >= _MAX_REMEMBERED_SESSIONS:
            _accounts_of_sessions.clear()
        _accounts_of_sessions[self.session_key] = account
