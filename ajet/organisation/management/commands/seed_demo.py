"""`python manage.py seed_demo`: build the deterministic demo world and print the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ajet.core.demo import DemoContext, build_demo_parts
from ajet.organisation.demo import (
    DEFAULT_CHAPTERS,
    DEFAULT_MEMBERS,
    DEFAULT_SEED,
    build_demo_world,
    demo_accounts_text,
    demo_members_by_role,
)
from ajet.people.models import Member


class Command(BaseCommand):
    help = "Fill an empty database with a realistic demo AJET: members, chapters, this year's and last year's council."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing (but print the demo accounts) when there are members already.")
        parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS, help="How many members (default 300).")
        parser.add_argument("--chapters", type=int, default=DEFAULT_CHAPTERS, help="How many chapters (default 24).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed: the same seed gives the same people.")

    def handle(self, *args, if_empty, members, chapters, seed, **options):
        if settings.PRODUCTION:
            # The demo officers share a published password and TOTP secret: anyone could act as them.
            raise CommandError("seed_demo is for demo sites only, never production: its accounts have a public "
                               "password and two-factor secret.")
        if members < 0 or chapters < 0:
            raise CommandError("--members and --chapters cannot be negative.")
        if Member.objects.exists():
            if not if_empty:
                raise CommandError("The database already has members; seed_demo only fills an empty database.")
            self.stdout.write("The database already has members; no demo data added.")
        else:
            with transaction.atomic():  # the organisation's world first, then every app's part on top of it
                summary = build_demo_world(members=members, chapters=chapters, seed=seed)
                parts = build_demo_parts(DemoContext(today=timezone.localdate(), seed=seed,
                                                     accounts=demo_members_by_role()))
            positions = ", ".join(f"{count} {position}" for position, count in sorted(summary.by_position.items()))
            self.stdout.write(self.style.SUCCESS(
                f"Demo data: {summary.members} members ({positions}; {summary.pending} waiting for confirmation) "
                f"in {summary.prefectures} prefectures, {summary.chapters} chapters, {summary.terms} terms of office."
            ))
            for note in parts.notes:
                self.stdout.write(note)
        self.stdout.write(demo_accounts_text())
