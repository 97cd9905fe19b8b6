import re

import pytest

from commissioning.themes.masking import EMAIL_MASK, PHONE_MASK, mask_contact_details


@pytest.mark.parametrize(
    "text",
    [
        "Ring me on 07700 900123 please",
        "Call 020 7946 0018 any time",
        "My number is +44 7700 900123.",
        "Office: (01632) 960 001",
        "text 07700900123",
    ],
)
def test_phone_numbers_are_masked(text):
    masked = mask_contact_details(text)
    assert PHONE_MASK in masked
    assert not re.search(r"\d", masked)


def test_emails_are_masked_and_the_rest_kept():
    masked = mask_contact_details("Email jo.bloggs+council@example.co.uk about the bins")
    assert masked == f"Email {EMAIL_MASK} about the bins"


@pytest.mark.parametrize(
    "text", ["Budget 2026 to 2027", "Cut £1,500,000 from roads", "Open 9 to 5, 6 days"]
)
def test_years_and_money_are_not_phone_numbers(text):
    assert mask_contact_details(text) == text
