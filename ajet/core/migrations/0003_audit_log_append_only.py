"""The database itself refuses to change or delete audit entries, so that neither raw SQL nor a manager
that skips AuditEntryQuerySet can rewrite the log. Two changes stay possible:

- the link to a deleted account is cut (actor set to NULL, nothing else changed: ON DELETE SET NULL);
- closing an account replaces the person's identifiers by a pseudonym (actor, actor_label, target_label,
  before, after), only in a transaction that asked for it (ajet.core.audit.pseudonymise): on PostgreSQL
  with `SET LOCAL ajet.audit_erasure = 'on'`, on SQLite with a row in core_audit_erasure.

On SQLite only updates are refused here: Django's test runner empties tables with DELETE there, so
deletion is refused by the application (AuditEntry, AuditEntryQuerySet) alone.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE FUNCTION core_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW."at" = OLD."at" AND NEW.action = OLD.action
       AND NEW.target_type = OLD.target_type AND NEW.target_id = OLD.target_id THEN
        IF NEW.actor_id IS NULL AND NEW.actor_label = OLD.actor_label AND NEW.target_label = OLD.target_label
           AND NEW."before" = OLD."before" AND NEW."after" = OLD."after" THEN
            RETURN NEW;  -- the account it pointed at was deleted
        END IF;
        IF current_setting('ajet.audit_erasure', true) = 'on'
           AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id) THEN
            RETURN NEW;  -- a closed account's identifiers replaced by its pseudonym
        END IF;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'audit entries cannot be changed or deleted: ' || TG_OP;
END;
$$;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER core_auditentry_append_only ON core_auditentry;
DROP FUNCTION core_auditentry_append_only();
"""

SQLITE_FORWARD = [
    "CREATE TABLE core_audit_erasure (allowed integer NOT NULL)",
    """
    CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE ON core_auditentry
    WHEN NOT (
        NEW.id = OLD.id AND NEW."at" = OLD."at" AND NEW.action = OLD.action
        AND NEW.target_type = OLD.target_type AND NEW.target_id = OLD.target_id
        AND (
            (NEW.actor_id IS NULL AND NEW.actor_label = OLD.actor_label AND NEW.target_label = OLD.target_label
             AND NEW."before" = OLD."before" AND NEW."after" = OLD."after")
            OR (EXISTS (SELECT 1 FROM core_audit_erasure)
                AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id))
        )
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit entries cannot be changed');
    END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER core_auditentry_append_only", "DROP TABLE core_audit_erasure"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
