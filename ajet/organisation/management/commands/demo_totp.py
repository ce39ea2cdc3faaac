"""`python manage.py demo_totp EMAIL`: today's two-factor code of a demo officer (never in production)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ajet.organisation.demo import DEMO_DOMAIN, DEMO_TOTP_SECRET


def current_demo_code() -> str:
    import time

    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // app_settings.TOTP_PERIOD))


class Command(BaseCommand):
    help = "Print the current 6-digit sign-in code of a demo officer account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp is for demo sites only, not production.")
        email = email.strip().lower()
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first() if email.endswith(f"@{DEMO_DOMAIN}") else None
        # Only an authenticator that holds the public demo secret: a real officer's code is never shown.
        if authenticator is None or decrypt(authenticator.data.get("secret", "")) != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} is not a demo officer account.")
        self.stdout.write(current_demo_code())
