import pytest

from budget.masking import mask_contact_details


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on 01632 960412.", "Call me on [phone number removed]."),
        ("Ring 07700-900-123 any time", "Ring [phone number removed] any time"),
        ("+44 7700 900123 or (01632) 960 412", "[phone number removed] or [phone number removed]"),
        ("+44 (0)1632 960412", "[phone number removed]"),
        (
            "Write to sam.jones+budget@example.org please",
            "Write to [email address removed] please",
        ),
        ("£2,150,000 saved and 31 drivers, 0.5% of 12345678", None),
        ("Band D homes pay £1,900 in 2026/27", None),
        ("", None),
    ],
)
def test_contact_details_are_masked_and_nothing_else(text, expected):
    assert mask_contact_details(text) == (text if expected is None else expected)
