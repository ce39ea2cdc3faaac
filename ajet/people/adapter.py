from dataclasses import dataclass
from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SiteForEmails:
    """What allauth's e-mails say as `current_site`: without django.contrib.sites it would be the request's
    host and port ("Hello from 127.0.0.1:8000!"); the site's name and its public address instead."""

    name: str
    domain: str


def site_for_emails() -> SiteForEmails:
    return SiteForEmails(name=settings.SITE_NAME, domain=urlparse(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open to all; officers confirm each new member afterwards."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Also answered per account (settings.ACCOUNT_RATE_LIMITS): the owner, signing in from anywhere, must
        # learn that a password reset lets them in at once (a successful reset clears the account's limit).
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts for this account or from your network. Wait a few minutes and "
            "try again, or reset your password (“Forgot your password?”) to sign in now."
        ),
    }

    def is_open_for_signup(self, request):
        return True

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {"current_site": site_for_emails(), **context})
