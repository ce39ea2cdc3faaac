"""`python manage.py migrate` brings every database of settings.DATABASES up to date, not only the default:
the Peer Support Group's confidential records live in a database of their own (ajet/support/routers.py), and
a deployment that forgot it would fail at the first chat. `--database NAME` migrates that one only, as in
Django (and as the test runner asks when it creates each test database)."""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Without --database: every configured database in turn."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database=None)

    def execute(self, *args, **options):
        if options.get("database") is not None:
            return super().execute(*args, **options)
        for alias in settings.DATABASES:
            if options.get("verbosity", 1) >= 1:
                self.stdout.write(self.style.MIGRATE_HEADING(f"Database {alias!r}:"))
            super().execute(*args, **{**options, "database": alias})
        return None
