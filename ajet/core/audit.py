"""The audit log: every officer action that changes someone else's data is recorded here."""

from django.db import models

from ajet.core.models import AuditEntry

# What each action code means to a reader of the log, registered by the app that writes it.
_action_labels: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    """Give action codes a translatable label (call from AppConfig.ready())."""
    _action_labels.update(labels)


def action_label(code: str) -> str:
    return str(_action_labels.get(code, code))


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
