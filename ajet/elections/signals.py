"""Drop the cached elections (queries.get_election) when an election, a contest, a candidate or a post's name
changes.

Cache invalidation only, not business logic: the services stay the only writers. Saves and deletes bump the
elections' data version (ajet.core.cache) now and again after the transaction commits, as the organisation's
signals do; the models' querysets bump on writes that send no signals (update, bulk_create, bulk_update).
"""

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from ajet.core.cache import bump

ELECTIONS_DATA = "elections"


def data_changed(**kwargs) -> None:
    bump(ELECTIONS_DATA)
    transaction.on_commit(lambda: bump(ELECTIONS_DATA))


class ElectionDataQuerySet(models.QuerySet):
    """Writes that send no signals drop the cached elections themselves."""

    def update(self, **kwargs):
        changed = super().update(**kwargs)
        data_changed()
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        data_changed()
        return created

    def bulk_update(self, objs, fields, batch_size=None):
        changed = super().bulk_update(objs, fields, batch_size=batch_size)
        data_changed()
        return changed


def connect() -> None:
    from ajet.elections.models import Candidate, Contest, Election
    from ajet.organisation.models import Post

    for model in (Election, Contest, Candidate, Post):  # a post's name is its contest's name on the ballot
        label = model._meta.label
        post_save.connect(data_changed, sender=model, dispatch_uid=f"ajet-elections-version-save-{label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"ajet-elections-version-delete-{label}")
