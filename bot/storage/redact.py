"""Contact details and personal numbers removed from what users type before it is stored
(kept questions).

A question such as "je suis Paul, rappelez-moi au 06 12 34 56 78" is useful to improve the
answers; the phone number is not, and must not sit in the database or in `/inconnues`. Nor
must a social security number, an IBAN or any long number (a card, an account, a file): an
operator tester found them kept in full. Names cannot be told from words here: the privacy
notice asks not to write them.
"""

from __future__ import annotations

import re

PHONE = "[téléphone]"
EMAIL = "[e-mail]"
IBAN = "[IBAN]"
NUMBER = "[numéro]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# International (+33 6 12 34 56 78, 0033612345678, +44 (0)20 7946 0958) or national
# (06 12 34 56 78, 06.12.34.56.78, 0612345678): 8 to 14 digits with spaces, dots or dashes.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?|0)\d(?:[\s.-]?\d){7,12}(?!\w)"
)


# FR76 3000 6000 0112 3456 7890 189: two capitals, two digits, then groups of capitals or digits
_IBAN = re.compile(r"(?<!\w)[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?!\w)")
# A social security number, spaced as on the card or not: 1 85 05 78 006 084 (36)
_NIR = re.compile(r"(?<![\w.])[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2A|2B)[\s.]?\d{3}"
                  r"[\s.]?\d{3}(?:[\s.]?\d{2})?(?![\w.])", re.IGNORECASE)  # fmt: skip
_CARD = re.compile(r"(?<!\w)\d{4}(?:[ -]?\d{4}){3}(?!\w)")  # 4970 1012 3456 7890
# Any other unbroken run of 9 digits or more (an account, a file): dates have 8 at most.
_LONG_NUMBER = re.compile(r"(?<!\w)\d{9,}(?!\w)")


def without_contacts(text: str) -> str:
    """`text` with e-mail addresses, phone numbers, IBANs and other personal numbers
    replaced by a neutral mark (the shaped ones first: a phone pattern would cut them)."""
    text = _EMAIL.sub(EMAIL, text)
    text = _CARD.sub(NUMBER, _NIR.sub(NUMBER, _IBAN.sub(IBAN, text)))
    return _LONG_NUMBER.sub(NUMBER, _PHONE.sub(PHONE, text))
