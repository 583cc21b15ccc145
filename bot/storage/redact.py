"""Contact details removed from what users type before it is stored (kept questions).

A question such as "je suis Paul, rappelez-moi au 06 12 34 56 78" is useful to improve the
answers; the phone number is not, and must not sit in the database or in `/inconnues`.
"""

from __future__ import annotations

import re

PHONE = "[téléphone]"
EMAIL = "[e-mail]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# International (+33 6 12 34 56 78, 0033612345678, +44 (0)20 7946 0958) or national
# (06 12 34 56 78, 06.12.34.56.78, 0612345678): 8 to 14 digits with spaces, dots or dashes.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?|0)\d(?:[\s.-]?\d){7,12}(?!\w)"
)


def without_contacts(text: str) -> str:
    """`text` with e-mail addresses and phone numbers replaced by a neutral mark."""
    return _PHONE.sub(PHONE, _EMAIL.sub(EMAIL, text))
