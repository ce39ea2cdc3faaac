from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open to all; officers confirm each new member afterwards."""

    def is_open_for_signup(self, request):
        return True
