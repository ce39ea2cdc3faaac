"""The one shape of every fetch-and-authorize helper (STYLE.md): hidden objects are 404, forbidden ones 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def authorize(user, obj, *, see: str, do: str | None = None):
    """Return `obj` if `user` may `see` it (else 404) and, when given, may `do` the action (else 403)."""
    if not user.has_perm(see, obj):
        raise Http404
    if do is not None and do != see and not user.has_perm(do, obj):
        raise PermissionDenied
    return obj
