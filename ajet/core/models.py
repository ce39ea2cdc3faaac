from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    """Bulk writes cannot edit or delete entries either; only the link to a deleted account may be cut
    (the actor's recorded label stays)."""

    def update(self, **kwargs):
        if kwargs != {"actor": None}:
            raise PermissionDenied("Audit entries cannot be changed.")
        return super().update(**kwargs)

    def delete(self):
        raise PermissionDenied("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One officer action that changed someone else's data. Written once, never edited or deleted."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200)
    action = models.CharField(_("what"), max_length=100, db_index=True)
    target_type = models.CharField(_("kind of record"), max_length=100)
    target_id = models.CharField(_("record"), max_length=64, blank=True)
    target_label = models.CharField(_("record (as recorded)"), max_length=300, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries cannot be deleted.")


class SpentFormToken(models.Model):
    """A one-time form token that was used (ajet/core/once.py), and where the send that used it led.

    It keeps no time of the send: an anonymous concern is sent with a token, and an exact time (or a sequential
    id placing the send among others whose times are known) could be matched against sign-in records. Only the
    day in Japan from which the row may be forgotten is kept; the random nonce is the key.
    """

    nonce = models.CharField(max_length=64, primary_key=True)
    redirect_to = models.CharField(max_length=2000)
    forget_on = models.DateField(db_index=True)

    def __str__(self):
        return f"{self.nonce} → {self.redirect_to}"
