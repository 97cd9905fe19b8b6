"""Masking contact details that people type into free text.

A pure function with no Django imports, so it can move to the spine when
other apps need it. Published comments are shown publicly and exported with
phone numbers and email addresses masked: deleting an account unlinks the
comment from the person, but what they typed about themselves stays in the
text.
"""

import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# UK numbers: 0 or +44 then 9 or 10 more digits, with spaces, dots, dashes or brackets.
PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?44[\s.()-]*(?:\(0\)[\s.-]*)?|\(?0)(?:[\s.()-]*\d){9,10}(?!\d)"
)

EMAIL_MASK = "[email address removed]"
PHONE_MASK = "[phone number removed]"


def mask_contact_details(text):
    """`text` with email addresses and phone numbers replaced by a mask."""
    if not text:
        return text
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, text))
