"""Who grants a permission: officer powers come from terms alone, never from account flags or groups.

Django grants an active superuser every permission, and its ModelBackend grants whatever Permission rows a
user or their groups hold. AJET's officer powers are the permissions declared with `rules.add_perm` (each
app's rules.py, computed from current terms by `powers_of`). Staff superusers exist only for the Django
admin, so neither shortcut may reach those powers:

- `user_has_perm` (used by `User.has_perm`) keeps the superuser shortcut for everything except the powers;
- `ModelBackend` and allauth's `AuthenticationBackend` (a ModelBackend too) answer False for the powers,
  so a Permission row that happens to share a power's name (such as `organisation.change_chapter`)
  grants nothing.

The admin's own pages check staff-superuser status in their ModelAdmins (ajet/core/admin.py).
"""

import rules
from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_backends
from django.core.exceptions import PermissionDenied


def is_officer_power(perm: str) -> bool:
    """A permission declared in some app's rules.py: granted by terms held today, and by nothing else."""
    return rules.perm_exists(perm)


def user_has_perm(user, perm: str, obj=None) -> bool:
    """`user.has_perm(perm, obj)`: inactive (closed) accounts have no permissions; superusers have every
    permission of the Django admin but no officer power they do not hold through a term."""
    if not user.is_active:
        return False
    if user.is_superuser and not is_officer_power(perm):
        return True
    for backend in get_backends():
        if not hasattr(backend, "has_perm"):
            continue
        try:
            if backend.has_perm(user, perm, obj):
                return True
        except PermissionDenied:
            return False
    return False


class NoOfficerPowersMixin:
    """For backends built on Django's ModelBackend: never grant an officer power (rules owns those)."""

    def has_perm(self, user_obj, perm, obj=None):
        if is_officer_power(perm):
            return False
        return super().has_perm(user_obj, perm, obj)


class LoadsMemberMixin:
    """Load the signed-in user with their member profile in one query, or none while the shared cache holds
    the current version of both (ajet/people/user_cache.py): every page asks for the member."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        from ajet.people.user_cache import cached_user

        def load():
            try:
                return get_user_model()._default_manager.select_related("member").get(pk=user_id)
            except get_user_model().DoesNotExist:
                return None

        user = cached_user(user_id, load)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(LoadsMemberMixin, NoOfficerPowersMixin, backends.ModelBackend):
    """Django's ModelBackend without officer powers."""


class AuthenticationBackend(LoadsMemberMixin, NoOfficerPowersMixin, allauth_backends.AuthenticationBackend):
    """allauth's sign-in by e-mail (a ModelBackend) without officer powers."""
