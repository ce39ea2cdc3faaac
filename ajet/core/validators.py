"""What the platform accepts from people, in one place: the dates it takes and the characters text may hold."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Every date a person enters (a term, a post's life, a block move, a JET start date) lies in this range.
# The JET Programme began in 1987; nothing the platform records is older, and nothing is planned past 2100.
EARLIEST_DATE = datetime.date(1987, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

# The bidirectional embedding, override and isolate controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they
# reorder the text drawn after them. The marks LRM/RLM/ALM stay allowed: they are needed in some names.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\t\n\r")


def validate_date_in_range(value: datetime.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": date_format(EARLIEST_DATE), "latest": date_format(LATEST_DATE)},
        )


@deconstructible
class PlainTextValidator:
    """Refuse control characters and bidirectional controls, which can hide or reverse what others read.

    Short text (names, titles) may not hold line breaks either; `multiline` text (descriptions) may.
    """

    code = "control_characters"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def refuses(self, character: str) -> bool:
        if character in BIDI_CONTROLS:
            return True
        if self.multiline and character in LINE_BREAKS:
            return False
        return unicodedata.category(character) in {"Cc", "Zl", "Zp"}

    def __call__(self, value) -> None:
        found = sorted({character for character in str(value) if self.refuses(character)})
        if found:
            raise ValidationError(
                _("Remove the invisible control characters from this text (%(characters)s): they can hide "
                  "or reverse what others read."),
                code=self.code,
                params={"characters": ", ".join(f"U+{ord(character):04X}" for character in found)},
            )

    def __eq__(self, other):
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self):
        return hash((PlainTextValidator, self.multiline))


validate_plain_text = PlainTextValidator()
validate_plain_multiline_text = PlainTextValidator(multiline=True)
