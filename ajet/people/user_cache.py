"""The signed-in user (with their member profile) from the shared cache, read from the database once per
change instead of once per request.

Every page loads the signed-in user; building that query costs more than the rest of a request's
middleware together. The user is cached under a version of its own (`ajet.core.cache`): any write to the
account or its member profile bumps that version, now and again after the transaction commits, so a
request that read the old row in between cannot store it for the new version, and no worker is ever served
an account older than the last write (a closed account, a changed password or a new second factor end the
old sessions at once). Writes that send no signals go through the querysets below, which bump too; the
cache timeout bounds anything else (a database restored under a running Redis: flush the cache then).
"""

from django.db import models

from ajet.core.cache import changed, current_or


def user_namespace(user_id: int) -> str:
    """The version namespace of the account and its member profile: data cached per member (dashboard
    panels) that shows their own data names it."""
    return f"user:{user_id}"


def _key(user_id: int) -> str:
    return f"ajet:user:{user_id}"


def prefetch_items(user_id: int) -> list[tuple[str, str]]:
    """What `cached_user` reads, for the session engine to read with the session (ajet/core/sessions.py)."""
    return [(user_namespace(user_id), _key(user_id))]


def cached_user(user_id, load):
    """The user `user_id`, from the cache when it holds the current version, else `load()` (then cached)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return load()
    return current_or(user_namespace(user_id), _key(user_id), load)


# The version of every account and member profile at once: lists of members cached for officers (the
# pending list) are dropped by any change to any of them, as are e-mail verifications (apps.py).
PEOPLE_DATA = "people"


def user_changed(user_id, *, shown_to_others: bool = True) -> None:
    """The account `user_id` or its member changed: drop the cached account, and (unless the change is of
    nothing shown to anyone else) everything cached about all accounts."""
    if user_id is None:
        return
    changed(user_namespace(user_id))
    if shown_to_others:
        changed(PEOPLE_DATA)


# Fields that no list of members shows: a sign-in writes last_login, and on an election night members sign
# in all the time, which must not drop every officer's cached lists.
_PRIVATE_FIELDS = frozenset({"last_login"})


def _on_save_or_delete(sender, instance, update_fields=None, **kwargs) -> None:
    private = update_fields is not None and set(update_fields) <= _PRIVATE_FIELDS
    user_changed(getattr(instance, sender.objects.get_queryset().user_field), shown_to_others=not private)


def connect(*models_) -> None:
    from django.db.models.signals import post_delete, post_save

    for model in models_:
        post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=f"ajet-user-cache-save-{model.__name__}")
        post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=f"ajet-user-cache-del-{model.__name__}")


class ChangesUsersQuerySet(models.QuerySet):
    """`update`, `bulk_update` and `bulk_create` send no signals: they drop the cached users themselves."""

    user_field = "pk"  # the field naming the account a row belongs to

    def update(self, **kwargs):
        users = list(self.values_list(self.user_field, flat=True))
        changed = super().update(**kwargs)
        for user_id in users:
            user_changed(user_id)
        return changed

    def bulk_update(self, objs, fields, batch_size=None):
        changed = super().bulk_update(objs, fields, batch_size=batch_size)
        for obj in objs:
            user_changed(getattr(obj, self.user_field))
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        for obj in created:
            user_changed(getattr(obj, self.user_field))
        return created


class UsersQuerySet(ChangesUsersQuerySet):
    user_field = "pk"


class MembersQuerySet(ChangesUsersQuerySet):
    user_field = "user_id"
