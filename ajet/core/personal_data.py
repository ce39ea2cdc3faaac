"""What the platform holds about a person, gathered from every app, and how each app erases it.

Core knows no domain, so each app registers in its AppConfig.ready():

- an exporter (user → JSON-safe dict: str, numbers, bools, lists, dicts, dates and datetimes) — never
  secrets such as password hashes or MFA keys;
- optionally an eraser (user → None) that removes or anonymises that app's personal data of the user;
- optionally `subjects` (user → the records that stand for the person, e.g. their member profile), so the
  audit log can list the entries about them;
- optionally `identifiers` (user → strings that identify the person: name, e-mail addresses, JET number),
  which closing replaces by the account's pseudonym wherever the audit log recorded them.

Erasers run inside one transaction, in registration order reversed: apps register in INSTALLED_APPS order,
so the apps that build on `people` erase first (while the member profile still exists) and `people`, which
owns the account itself, erases last. If one eraser fails, nothing is erased.
After the erasers, the audit log keeps every entry but names the person only by `pseudonym_of(user)`.
"""

from collections.abc import Callable, Iterable

from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

_exporters: dict[str, Callable] = {}
_erasers: dict[str, Callable] = {}
_subjects: dict[str, Callable] = {}
_identifiers: dict[str, Callable] = {}


def register(
    *,
    name: str,
    export: Callable,
    erase: Callable | None = None,
    subjects: Callable[..., Iterable[models.Model]] | None = None,
    identifiers: Callable[..., Iterable[str]] | None = None,
) -> None:
    """Register one app's part of a person's data under `name` (the section of the export)."""
    _exporters[name] = export
    if identifiers is not None:
        _identifiers[name] = identifiers
    if erase is not None:
        _erasers[name] = erase
    if subjects is not None:
        _subjects[name] = subjects


def subjects_of(user) -> list[models.Model]:
    """The account and every record that the apps say stands for the same person."""
    found = [user]
    for subjects in _subjects.values():
        found.extend(subjects(user))
    return found


def export_personal_data(user) -> dict:
    """Everything the platform holds about `user`, one section per app. Reads only."""
    return {
        "exported_at": timezone.now(),
        **{name: export(user) for name, export in _exporters.items()},
    }


def pseudonym_of(user) -> str:
    """How records that must stay (the audit log, handbook revisions) name a closed account: the same for
    the same account every time, and no way back to the person."""
    digest = salted_hmac("ajet.closed-account", str(user.pk), algorithm="sha256").hexdigest()
    return f"closed account #{digest[:10]}"


@transaction.atomic
def erase_personal_data(user) -> None:
    """Run every app's eraser for `user`, all or nothing, then replace the person's name, e-mail addresses
    and JET number by their pseudonym in the audit log. The account itself is closed by `people`."""
    from ajet.core import audit

    identifiers = [identifier for found in _identifiers.values() for identifier in found(user)]
    for erase in reversed(list(_erasers.values())):
        erase(user)
    audit.pseudonymise(user=user, identifiers=identifiers, pseudonym=pseudonym_of(user))


def export_audit_entries(user) -> dict:
    """Core's own section: audit entries where the person acted, and entries about them."""
    from ajet.core.models import AuditEntry

    about = models.Q()
    for subject in subjects_of(user):
        about |= models.Q(target_type=subject._meta.label, target_id=str(subject.pk))

    def listed(entries):
        return [
            {
                "at": entry.at,
                "by": entry.actor_label,
                "action": entry.action,
                "record": entry.target_label,
                "before": entry.before,
                "after": entry.after,
            }
            for entry in entries
        ]

    return {
        "actions_by_you": listed(AuditEntry.objects.filter(actor=user)),
        "actions_about_you": listed(AuditEntry.objects.filter(about)),
    }
