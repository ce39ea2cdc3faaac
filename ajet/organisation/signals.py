"""Drop cached powers, dashboard data and public page fragments when the data they are derived from changes.

This is cache invalidation only, not business logic: the services stay the only writers. Saves and
deletes of these models, and changes to which prefectures a chapter covers, bump the organisation's
data version (ajet.core.cache); writes that bypass signals (queryset.update, bulk_create) call
`data_changed()` themselves.
"""

from allauth.mfa.models import Authenticator
from django.db.models.signals import m2m_changed, post_delete, post_save

from ajet.core.cache import changed
from ajet.organisation.models import BlockAssignment, Chapter, ChapterMembership, Initiative, Post, Prefecture, Term
from ajet.organisation.powers import ORGANISATION_DATA
from ajet.people.models import Member

WATCHED = (Authenticator, BlockAssignment, Chapter, ChapterMembership, Initiative, Member, Post, Term,
           Prefecture)  # names shown in cached fragments (home page's block diagram)


def data_changed(**kwargs) -> None:
    changed(ORGANISATION_DATA)  # now, and again after commit (see ajet.core.cache.changed)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(data_changed, sender=model, dispatch_uid=f"ajet-version-save-{model._meta.label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"ajet-version-delete-{model._meta.label}")
    m2m_changed.connect(data_changed, sender=Chapter.prefectures.through, dispatch_uid="ajet-version-prefectures")
