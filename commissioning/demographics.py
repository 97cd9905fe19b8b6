"""The demographic attributes the borough compares reach against.

One vocabulary for ward population shares, consultation equality monitoring,
panel stratification and reach reports, so they can be compared. Values follow
the ONS census groupings (ethnicity at its five high-level groups).
"""

AGE_BANDS = [
    ("16-24", "16 to 24"),
    ("25-34", "25 to 34"),
    ("35-49", "35 to 49"),
    ("50-64", "50 to 64"),
    ("65-74", "65 to 74"),
    ("75+", "75 or over"),
]
GENDERS = [
    ("woman", "Woman"),
    ("man", "Man"),
    ("non-binary", "Non-binary"),
    ("another", "Another gender"),
]
ETHNICITIES = [
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("white", "White"),
    ("other", "Another ethnic group"),
]
DISABILITY = [
    ("yes", "Disabled (day-to-day activities limited)"),
    ("no", "Not disabled"),
]
CARER = [
    ("yes", "Provides unpaid care"),
    ("no", "Does not provide unpaid care"),
]
PREFER_NOT_TO_SAY = ("prefer-not", "Prefer not to say")

# attribute key -> (label, choices)
ATTRIBUTES = {
    "age_band": ("Age band", AGE_BANDS),
    "gender": ("Gender", GENDERS),
    "ethnicity": ("Ethnicity", ETHNICITIES),
    "disability": ("Disability", DISABILITY),
}

# What a resident may tell us in their profile, for reach by group: the
# attributes above (which wards carry population shares for) and unpaid care,
# counted but with no ward share to compare against.
PROFILE_ATTRIBUTES = {
    **ATTRIBUTES,
    "carer": ("Unpaid carer", CARER),
}

# Shares entered for a ward may round; anything within this of 1 is accepted.
SHARE_TOLERANCE = 0.02


def attribute_label(attribute, value):
    label, choices = PROFILE_ATTRIBUTES[attribute]
    return dict([*choices, PREFER_NOT_TO_SAY]).get(value, value)


def validate_shares(shares):
    """Return a list of plain-words problems with a ward's population shares.

    `shares` maps attribute -> {value: share between 0 and 1}. An attribute may
    be left out, but one that is given must name known values and add up to 1.
    """
    problems = []
    if not isinstance(shares, dict):
        return ["Population shares must map each attribute to its values' shares."]
    for attribute, values in shares.items():
        if attribute not in ATTRIBUTES:
            problems.append(f"“{attribute}” is not a known attribute.")
            continue
        label, choices = ATTRIBUTES[attribute]
        known = {value for value, _ in choices}
        if not isinstance(values, dict):
            problems.append(f"{label}: give a share for each value.")
            continue
        for value, share in values.items():
            if value not in known:
                problems.append(f"{label}: “{value}” is not one of {', '.join(sorted(known))}.")
            elif not isinstance(share, int | float) or not 0 <= share <= 1:
                problems.append(f"{label}: the share for “{value}” must be between 0 and 1.")
        if not problems:
            total = sum(values.values())
            if abs(total - 1) > SHARE_TOLERANCE:
                problems.append(f"{label}: shares add up to {total:.2f}, not 1.")
    return problems
