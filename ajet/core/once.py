"""One-time form tokens: a creation form is carried out once, whatever a double click or the back button resends.

A view that creates something is wrapped in `@creates_once` and gives its form a hidden, signed token with
`protect(form)`. The first send that the view answers with a redirect (it was carried out) records the token
and that redirect, in the same transaction as what the view created; a later send of the same token creates
nothing and is sent to the same place with a message. A send without a valid token (missing, forged or
expired) is refused by the form with a clear message and shown again with a fresh token.

Tokens are signed but not stored until used, so pages with forms write nothing when they are shown. A used
token is stored without the time it was used (see SpentFormToken), only with the day it may be forgotten.
"""

import datetime
import secrets
from functools import wraps

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ajet.core.models import SpentFormToken

FIELD = "once_token"
MAX_AGE = datetime.timedelta(days=2)  # a form left open longer is sent again with a fresh token
_signer = signing.TimestampSigner(salt="ajet.core.once")


def issue() -> str:
    """A new token for a form about to be shown."""
    return _signer.sign(secrets.token_urlsafe(18))


def forget_on(spent_at: datetime.datetime) -> datetime.date:
    """The first day in Japan on which a token used at `spent_at` can no longer be valid (it was issued before
    it was used, and is refused MAX_AGE after it was issued): until then its record must stay."""
    return timezone.localdate(spent_at + MAX_AGE) + datetime.timedelta(days=1)


def _nonce_of(token) -> str | None:
    """The random part of a valid token; None if it is missing, forged or expired."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        return _signer.unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None


class OnceTokenField(forms.CharField):
    widget = forms.HiddenInput
    default_error_messages = {
        "once": gettext_lazy("This form has expired or was not sent from its page. Check it and send it again."),
    }

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=issue, **kwargs)

    def bound_data(self, data, initial):
        return data if _nonce_of(data) is not None else initial  # a refused send is shown with a fresh token

    def clean(self, value):
        if _nonce_of(value) is None:
            raise ValidationError(self.error_messages["once"], code="once")
        return value


def protect(form: forms.BaseForm) -> forms.BaseForm:
    """Give `form` the hidden one-time token (kept out of its cleaned data). Returns the form."""
    form.fields[FIELD] = OnceTokenField()
    original_clean = form.clean

    def clean():
        cleaned = original_clean()
        (cleaned if cleaned is not None else form.cleaned_data).pop(FIELD, None)
        return cleaned

    form.clean = clean
    return form


def _already_sent(request, spent: SpentFormToken):
    messages.info(request, _("This form was already sent; nothing was done a second time."))
    return HttpResponseRedirect(spent.redirect_to)


def creates_once(view):
    """Carry out a POST with a given token once: later sends of it are redirected where the first one led."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        nonce = _nonce_of(request.POST.get(FIELD)) if request.method == "POST" else None
        if nonce is None:
            return view(request, *args, **kwargs)  # a GET; or a send the protected form refuses
        spent = SpentFormToken.objects.filter(nonce=nonce).first()
        if spent is not None:
            return _already_sent(request, spent)
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if response.status_code in (301, 302, 303):  # carried out: the token is used up with it
                    SpentFormToken.objects.filter(forget_on__lte=timezone.localdate()).delete()
                    SpentFormToken.objects.create(nonce=nonce, redirect_to=response["Location"],
                                                  forget_on=forget_on(timezone.now()))
        except IntegrityError:
            spent = SpentFormToken.objects.filter(nonce=nonce).first()
            if spent is None:
                raise
            return _already_sent(request, spent)  # a simultaneous send of the same token won; this one undone
        return response

    return wrapper
