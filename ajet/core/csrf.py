"""Django's CSRF token for a form, masked with one call to the system's random source instead of 32.

`django.middleware.csrf.get_token` masks the session's CSRF secret with 32 characters drawn one by one
from `secrets.choice`, each a system call: ~0.1 ms of a page that is otherwise served from the cache in
about a millisecond. `get_token` here returns a token of the same form (a 32-character mask, then the
secret ciphered with it), drawn from 32 uniform characters of one `os.urandom` read, and checked by
Django's middleware as any other. A request without a CSRF cookie gets a new secret drawn the same way
(Django's takes 32 more calls).
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_COUNT = len(CSRF_ALLOWED_CHARS)
_UNBIASED_BELOW = 256 - 256 % _COUNT  # bytes at or above it would favour the first characters


def _random_chars(length: int) -> str:
    chars = []
    while len(chars) < length:
        chars += [CSRF_ALLOWED_CHARS[byte % _COUNT] for byte in os.urandom(length + 8) if byte < _UNBIASED_BELOW]
    return "".join(chars[:length])


def mask_cipher_secret(secret: str) -> str:
    """What django.middleware.csrf._mask_cipher_secret gives: a fresh mask and the secret ciphered with it."""
    mask = _random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(CSRF_ALLOWED_CHARS[(_INDEX[x] + _INDEX[y]) % _COUNT] for x, y in zip(secret, mask, strict=True))
    return mask + cipher


def get_token(request) -> str:
    """As django.middleware.csrf.get_token: the secret from the request's cookie (read by the CSRF middleware),
    or a new one for a visitor without it; either way the middleware sends the cookie with the response (for
    a kept secret Django does so to renew its expiry)."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_chars(CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask_cipher_secret(secret)
