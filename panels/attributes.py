"""The attributes a panel can be stratified on.

The four demographic attributes come from the spine's shared vocabulary
(`commissioning.demographics`) so that panel quotas, ward population shares
and reach reports speak the same language; the panel adds the ward and
whether the applicant uses the service (or cares for someone who does).
"""

from commissioning.demographics import ATTRIBUTES as DEMOGRAPHIC_ATTRIBUTES
from commissioning.demographics import PREFER_NOT_TO_SAY

WARD = "ward"
SERVICE_USER = "service_user"

SERVICE_USER_CHOICES = [
    ("user", "I use the service"),
    ("carer", "I care for someone who uses it"),
    ("both", "Both"),
    ("neither", "Neither"),
]

# Order in forms, quota tables and reports.
ATTRIBUTE_KEYS = [WARD, "age_band", "gender", "ethnicity", "disability", SERVICE_USER]
ATTRIBUTE_LABELS = {
    WARD: "Ward",
    **{key: label for key, (label, _) in DEMOGRAPHIC_ATTRIBUTES.items()},
    SERVICE_USER: "Service user or carer",
}
ATTRIBUTE_CHOICES = [(key, ATTRIBUTE_LABELS[key]) for key in ATTRIBUTE_KEYS]
DEFAULT_ATTRIBUTES = list(ATTRIBUTE_KEYS)

# Demographic attributes let applicants decline to answer; the lottery then
# treats "prefer not to say" as a value of its own (with a 0..seats quota
# unless an officer sets one).
DECLINABLE = set(DEMOGRAPHIC_ATTRIBUTES)


def default_attributes():
    return list(DEFAULT_ATTRIBUTES)


def attribute_choices(key, wards=()):
    """(value, label) pairs for an attribute; wards come from the database."""
    if key == WARD:
        return [(ward.slug, ward.name) for ward in wards]
    if key == SERVICE_USER:
        return list(SERVICE_USER_CHOICES)
    choices = list(DEMOGRAPHIC_ATTRIBUTES[key][1])
    return [*choices, PREFER_NOT_TO_SAY]


# The lottery's values for "no answer": a ward outside the borough, a question declined.
OUTSIDE = "outside"
OTHER_VALUES = {
    OUTSIDE: "Outside the borough or not given",
    PREFER_NOT_TO_SAY[0]: PREFER_NOT_TO_SAY[1],
}


def value_label(key, value, wards=()):
    """The label people chose from, for a stored value (the value itself if unknown)."""
    return dict(attribute_choices(key, wards)).get(value) or OTHER_VALUES.get(value, value)


def labelled_answers(attributes, wards=()):
    """[(question label, answer label)] for a lottery entry's {attribute: value}."""
    return [
        (ATTRIBUTE_LABELS.get(key, key), value_label(key, value, wards))
        for key, value in attributes.items()
    ]
