"""The audit log: every officer action that changes someone else's data is recorded here."""

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from ajet.core.models import AuditEntry

# What each action code means to a reader of the log, registered by the app that writes it.
_action_labels: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    """Give action codes a translatable label (call from AppConfig.ready())."""
    _action_labels.update(labels)


def action_label(code: str) -> str:
    return str(_action_labels.get(code, code))


# What the keys of before/after mean that are not a field of the target's model (e.g. "reason"), registered
# by the app that writes them. Model fields are named by their own verbose_name.
_field_labels: dict[str, str] = {}


def register_field_labels(labels: dict[str, str]) -> None:
    """Give before/after keys that are not model fields a translatable name (call from AppConfig.ready())."""
    _field_labels.update(labels)


@dataclass(frozen=True)
class Change:
    field: str  # translated
    before: str | None  # None: the value did not exist before (a creation)
    after: str | None  # None: the value is gone (a deletion)


def _model_field(target_type: str, name: str):
    try:
        return apps.get_model(target_type)._meta.get_field(name) if target_type else None
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _field_label(target_type: str, name: str) -> str:
    if name in _field_labels:
        return str(_field_labels[name])
    field = _model_field(target_type, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return name.replace("_", " ")


def _display(target_type: str, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_display(target_type, name, item) for item in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    field = _model_field(target_type, name)
    choices = dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else {}
    return str(choices.get(value, value))


def changes_of(entry: AuditEntry) -> list[Change]:
    """Only what the entry changed, field by field (by key: PostgreSQL's JSON keeps no order), with translated
    field names and readable values: a key with the same value before and after is left out."""
    changes = []
    for name in sorted({*entry.before, *entry.after}):
        had, has = name in entry.before, name in entry.after
        if had and has and entry.before[name] == entry.after[name]:
            continue
        changes.append(Change(
            field=_field_label(entry.target_type, name),
            before=_display(entry.target_type, name, entry.before[name]) if had else None,
            after=_display(entry.target_type, name, entry.after[name]) if has else None,
        ))
    return changes


def changes_text(entry: AuditEntry) -> str:
    """The entry's changes on one line: "field: before → after; field: value" (for CSV exports)."""
    parts = []
    for change in changes_of(entry):
        if change.before is None:
            parts.append(f"{change.field}: {change.after}")
        elif change.after is None:
            parts.append(f"{change.field}: {change.before} → —")
        else:
            parts.append(f"{change.field}: {change.before} → {change.after}")
    return "; ".join(parts)


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The named fields of an instance as JSON-safe values, for the before/after of an audit entry."""
    values = {}
    for name in fields:
        value = getattr(instance, name)
        if value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)  # model instances, dates, decimals
        values[name] = value
    return values


def record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=target_label or (str(target) if target is not None else ""),
        before=before or {},
        after=after or {},
    )


# --- Erasure: the one change the log allows -----------------------------------------------------

@contextmanager
def _erasure_allowed():
    """Lift the database's refusal to change audit entries for the rest of this transaction only (see
    migration core 0003): PostgreSQL reads a transaction-local setting, SQLite a flag row removed again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ajet.audit_erasure = 'on'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL ajet.audit_erasure = 'off'")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_audit_erasure (allowed) VALUES (1)")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM core_audit_erasure")
    else:
        yield


def _replace_in(value, identifiers: list[str], pseudonym: str):
    """`value` (a label or a before/after value) with every identifier replaced by the pseudonym."""
    if isinstance(value, str):
        for identifier in identifiers:
            value = re.sub(re.escape(identifier), pseudonym.replace("\\", r"\\"), value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_replace_in(item, identifiers, pseudonym) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, identifiers, pseudonym) for key, item in value.items()}
    return value


def pseudonymise(*, user, identifiers: list[str], pseudonym: str) -> int:
    """Replace a closed account's identifiers (name, e-mail addresses, JET number) by `pseudonym` wherever
    they appear in the log: who acted, the record's label, and the before/after values. Cuts the link to
    the account. The entries otherwise stay as written. Must run inside the closing transaction; returns
    the number of entries changed."""
    identifiers = sorted({identifier for identifier in identifiers if identifier}, key=len, reverse=True)
    if not identifiers:
        return 0
    mentions = models.Q(actor=user)
    for identifier in identifiers:
        for text in {identifier, json.dumps(identifier)[1:-1]}:  # JSON may store non-ASCII escaped
            mentions |= (models.Q(actor_label__icontains=text) | models.Q(target_label__icontains=text)
                         | models.Q(before_text__icontains=text) | models.Q(after_text__icontains=text))
    entries = list(
        AuditEntry._base_manager.annotate(before_text=Cast("before", models.TextField()),
                                          after_text=Cast("after", models.TextField()))
        .filter(mentions).only("actor", "actor_label", "target_label", "before", "after")
    )
    for entry in entries:
        if entry.actor_id == user.pk:
            entry.actor, entry.actor_label = None, pseudonym
        for name in ("actor_label", "target_label", "before", "after"):
            setattr(entry, name, _replace_in(getattr(entry, name), identifiers, pseudonym))
    with _erasure_allowed():
        AuditEntry._base_manager.bulk_update(
            entries, ["actor", "actor_label", "target_label", "before", "after"], batch_size=500)
    return len(entries)


def record_many(*, actor, entries: list[dict]) -> None:
    """Write many audit entries by one actor in bulk (e.g. one per member of a roster import); each dict
    holds `action`, `target` and optionally `target_label`, `before`, `after`, as for `record`."""
    AuditEntry.objects.bulk_create([
        AuditEntry(
            actor=actor if actor is not None and actor.pk else None,
            actor_label=str(actor) if actor is not None else "system",
            action=entry["action"],
            target_type=entry["target"]._meta.label,
            target_id=str(entry["target"].pk),
            target_label=entry.get("target_label") or str(entry["target"]),
            before=entry.get("before") or {},
            after=entry.get("after") or {},
        )
        for entry in entries
    ], batch_size=500)
