"""`python manage.py migrate` brings every database of settings.DATABASES up to date, not only the default:
the Peer Support Group's confidential records live in a database of their own (ajet/support/routers.py), and
a deployment that forgot it would fail at the first chat. `--database NAME` migrates that one only, as in
Django (and as the test runner asks when it creates each test database)."""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import OperationalError, connections


def create_missing_database(alias: str) -> bool:
    """On PostgreSQL, create the database of `alias` when it does not exist yet (the PSG's `<name>_psg` on a
    fresh server), if the role may; elsewhere, or when it exists, do nothing. Returns whether it created one."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    try:
        connection.ensure_connection()
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])}")
        return True
    return False


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Without --database: every configured database in turn."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database=None)

    def execute(self, *args, **options):
        if options.get("database") is not None:
            return super().execute(*args, **options)
        for alias in settings.DATABASES:
            created = create_missing_database(alias)
            if options.get("verbosity", 1) >= 1:
                self.stdout.write(self.style.MIGRATE_HEADING(f"Database {alias!r}{' (created)' if created else ''}:"))
            super().execute(*args, **{**options, "database": alias})
        return None
