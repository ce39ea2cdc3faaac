"""Second factor per sign-in, not per account.

allauth signals when a session passes the second factor (signing in, re-authenticating) and when an
authenticator is added or removed. This module records the first in the session, and on the others ends
every other session of the account: switching TOTP on must not leave behind sessions that signed in with
a password alone. Sessions end by changing the value their authentication hash is computed from
(`User.session_epoch`), which every worker checks on every request; the session that made the change is
kept with `update_session_auth_hash`.
"""

from allauth.mfa import signals
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db.models import F

SESSION_KEY = "ajet_mfa_passed_by"  # the pk of the user who passed the second factor in this session


def mark_session_passed_mfa(session, user) -> None:
    session[SESSION_KEY] = str(user.pk)


def session_passed_mfa(session, user) -> bool:
    return session.get(SESSION_KEY) == str(user.pk)  # an anonymous user's pk (None) is never stored


def end_other_sessions(request, user) -> None:
    """Every session of `user` but this request's stops being signed in, on every worker."""
    get_user_model().objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if request is not None:
        update_session_auth_hash(request, user)  # keeps this session only if it is `user`'s own


def _on_authenticator_used(sender, request, user, **kwargs) -> None:
    if request is not None:
        mark_session_passed_mfa(request.session, user)


def _on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    end_other_sessions(request, user)
    if request is not None:
        # Activating TOTP asks for a valid code: this session has just proved the second factor.
        mark_session_passed_mfa(request.session, user)


def _on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    end_other_sessions(request, user)


def connect() -> None:
    signals.authenticator_used.connect(_on_authenticator_used, dispatch_uid="ajet-mfa-used")
    signals.authenticator_added.connect(_on_authenticator_added, dispatch_uid="ajet-mfa-added")
    signals.authenticator_removed.connect(_on_authenticator_removed, dispatch_uid="ajet-mfa-removed")
