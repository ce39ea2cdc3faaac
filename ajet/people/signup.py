"""allauth's sign-up form, made one transaction (kept apart from forms.py: allauth's forms module imports
ACCOUNT_SIGNUP_FORM_CLASS from there when it loads)."""

from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ajet.people.models import User


def _say_e_mail_address(field) -> None:
    """The site says "e-mail address" everywhere; allauth says "Email"."""
    field.label = _("E-mail address")
    field.widget.attrs.pop("placeholder", None)


class AtomicSignupForm(SignupForm):
    """The account, its member profile and its e-mail address are written together or not at all.

    Two sign-ups racing with the same new address: the one that commits second answers exactly as a
    sign-up with a registered address does (allauth tells the owner by e-mail and the page reveals
    nothing), instead of failing halfway with an account and no profile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            _say_e_mail_address(self.fields["email"])

    def try_save(self, request):
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            email = self.cleaned_data.get("email")
            if not email or not User.objects.filter(email__iexact=email).exists():
                raise
            self.account_already_exists = True
            return super().try_save(request)


class SignInForm(LoginForm):
    """allauth's sign-in form in the site's words ("E-mail address", not "Remember Me")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "login" in self.fields:
            _say_e_mail_address(self.fields["login"])
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")


class ForgotPasswordForm(ResetPasswordForm):
    """allauth's "forgot your password?" form, with the site's "E-mail address"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_e_mail_address(self.fields["email"])
