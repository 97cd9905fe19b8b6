"""Mask contact details in residents' text before anyone quotes it."""

import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits, spaces, dots, dashes and brackets, optionally after "+":
# a phone number when it holds 10 to 13 digits (UK numbers have 10 or 11,
# 12 or 13 with the country code). Years and sums of money hold fewer.
PHONE_CANDIDATE = re.compile(r"\+?\(?\d[\d\s().-]{7,}\d")
EMAIL_MASK = "[email removed]"
PHONE_MASK = "[phone number removed]"


def _phone(match):
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE_MASK if 10 <= digits <= 13 else match.group(0)


def mask_contact_details(text):
    """`text` with email addresses and phone numbers replaced by a notice."""
    return PHONE_CANDIDATE.sub(_phone, EMAIL.sub(EMAIL_MASK, text or ""))
