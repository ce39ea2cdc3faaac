from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


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
