"""One e-mail built once and sent to many recipients over SMTP: each recipient's address, Message-ID, Date and
personal values (an unsubscribe link) are put into the serialized bytes instead of building a MIME message per
recipient. Building and serializing a multipart e-mail with Django cost as much CPU as sending it to a local
server (bench/hub.py); a substitution in the bytes costs next to nothing.

The bytes are exactly what Django would have sent: `PreparedEmail.of` lets Django build the e-mail once with
placeholders and then checks that every placeholder came out of the encoding as it went in (a part Django had
to encode as quoted-printable or base64, a placeholder split by a folded header, or a line that a long value
could push past SMTP's 998 characters: no preparation, and the caller builds each e-mail as before). A value
that could not go into a header or a line as it is (a non-ASCII address, a line break) is refused the same way.
"""

import re
import smtplib
from collections.abc import Mapping
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME

RECIPIENT_PLACEHOLDER = "ajet-recipient-placeholder@placeholder.invalid"
MESSAGE_ID_PLACEHOLDER = "<ajet-message-id-placeholder@placeholder.invalid>"
DATE_PLACEHOLDER = "ajet-date-placeholder"

# An address that sanitize_address leaves as it is and that no header folds: ASCII, no display name, no
# quoting, no spaces or commas, at most MAX_VALUE_LENGTH long (the line check of PreparedEmail.of counts on
# it, as on the values'). Anything else is sent the ordinary way.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+'=-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A personal value goes into the bytes as it is: printable ASCII without spaces (a link, a token), and short
# enough that no line can pass SMTP's limit (checked against the prepared lines).
MAX_VALUE_LENGTH = 256
PLAIN_VALUE = re.compile(rf"[\x21-\x7e]{{1,{MAX_VALUE_LENGTH}}}")
MAX_LINE_LENGTH = 998


class PreparedEmail:
    """A serialized e-mail with placeholders for its recipient, Message-ID, Date and personal values."""

    def __init__(self, envelope_from: str, head: list[bytes], folding: list[int], body: bytes,
                 personal: tuple[str, ...]):
        self.envelope_from = envelope_from
        self.head = head  # the header lines, unfolded where they hold a placeholder: at `folding` (see _fold)
        self.folding = folding
        self.body = body
        self.personal = personal

    @classmethod
    def of(cls, message: EmailMessage, personal: tuple[str, ...]) -> "PreparedEmail | None":
        """Prepare `message`, addressed to RECIPIENT_PLACEHOLDER alone, whose subject, body, alternatives and
        headers may hold the `personal` placeholders; None if its bytes cannot take substitutions safely.
        Sets the message's Date and Message-ID to placeholders (where Django would put its own)."""
        if message.to != [RECIPIENT_PLACEHOLDER] or message.cc or message.bcc or message.attachments:
            return None
        message.extra_headers = {"Date": DATE_PLACEHOLDER, "Message-ID": MESSAGE_ID_PLACEHOLDER,
                                 **message.extra_headers}
        built = message.message()
        if any(part.get("Content-Transfer-Encoding", "7bit") not in ("7bit", "8bit") for part in built.walk()
               if not part.is_multipart()):
            return None  # quoted-printable or base64 would hide or split a placeholder
        template = built.as_bytes(linesep="\r\n")
        texts = [message.subject, message.body, *(content for content, _type in getattr(message, "alternatives", [])),
                 *(str(value) for value in message.extra_headers.values())]
        expected = {placeholder: sum(text.count(placeholder) for text in texts) for placeholder in personal}
        expected |= {RECIPIENT_PLACEHOLDER: 1, MESSAGE_ID_PLACEHOLDER: 1, DATE_PLACEHOLDER: 1}
        if any(template.count(placeholder.encode()) != count for placeholder, count in expected.items()):
            return None  # a placeholder was encoded or split on its way into the bytes
        for line in template.split(b"\r\n"):
            grows = sum(line.count(placeholder.encode()) for placeholder in expected) * MAX_VALUE_LENGTH
            if grows and len(line) + grows > MAX_LINE_LENGTH:
                return None
        head, _blank, body = template.partition(b"\r\n\r\n")
        placeholders = [placeholder.encode() for placeholder in expected]
        head = _unfold(head.split(b"\r\n"), placeholders)
        if head is None:
            return None
        folding = [index for index, line in enumerate(head) if any(p in line for p in placeholders)]
        encoding = message.encoding or settings.DEFAULT_CHARSET
        return cls(sanitize_address(message.from_email, encoding), head, folding, body, tuple(personal))

    def for_recipient(self, address: str, values: Mapping[str, str]) -> bytes | None:
        """The bytes of the e-mail to `address`, with `values` (placeholder → value) put in and a Message-ID
        and Date of its own; None if the address or a value cannot go in as it is."""
        if (len(address) > MAX_VALUE_LENGTH or not PLAIN_ADDRESS.fullmatch(address)
                or not all(PLAIN_VALUE.fullmatch(values[p]) for p in self.personal)):
            return None
        values = {RECIPIENT_PLACEHOLDER: address, MESSAGE_ID_PLACEHOLDER: make_msgid(domain=DNS_NAME),
                  DATE_PLACEHOLDER: formatdate(localtime=settings.EMAIL_USE_LOCALTIME), **values}
        head = [_substitute(line, values) for line in self.head]
        for index in self.folding:
            head[index] = _fold(head[index])
        return b"\r\n".join(head) + b"\r\n\r\n" + _substitute(self.body, values)

    def send(self, smtp: smtplib.SMTP, address: str, data: bytes) -> None:
        """Hand the bytes to the server (raises as Django's SMTP backend would, fail_silently off)."""
        smtp.sendmail(self.envelope_from, [address], data)


def _substitute(data: bytes, values: Mapping[str, str]) -> bytes:
    for placeholder, value in values.items():
        data = data.replace(placeholder.encode(), value.encode())
    return data


# Django's e-mail (the compat32 policy) folds a header whose value is one word, with no space to fold at, by
# putting the value on a line of its own when "Name: value" passes 78 characters. Header lines with a
# placeholder are kept unfolded and folded per recipient by the same rule; a header whose value has spaces
# besides the placeholder would fold elsewhere: not prepared.
FOLD_AFTER = 78


def _unfold(lines: list[bytes], placeholders: list[bytes]) -> list[bytes] | None:
    """The header lines, each header with a placeholder on one line; None if such a header is not one word."""
    def holds(line: bytes) -> bool:
        return any(placeholder in line for placeholder in placeholders)

    unfolded: list[bytes] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and unfolded:
            previous = unfolded[-1]
            if not holds(line) and not holds(previous):
                unfolded.append(line)  # another header's folded line: as Django wrote it
                continue
            if holds(previous) or previous.count(b" ") != 1 or not previous.endswith(b": ") or b" " in line[1:]:
                return None  # a value of several words, folded where a longer or shorter one would not be
            unfolded[-1] = previous + line[1:]  # "Name: " and the one-word value on its own line: joined
        elif holds(line) and b" " in line.partition(b": ")[2]:
            return None
        else:
            unfolded.append(line)
    return unfolded


def _fold(line: bytes) -> bytes:
    name, _separator, value = line.partition(b": ")
    return name + b": \r\n " + value if len(line) > FOLD_AFTER and b" " not in value else line


def open_smtp_of(connection) -> smtplib.SMTP | None:
    """The open smtplib connection of Django's own SMTP backend, to send prepared bytes on; None for any other
    backend (console, locmem, a subclass that signs or rewrites e-mails), which gets whole EmailMessages."""
    if type(connection) is not EmailBackend:
        return None
    return connection.connection
