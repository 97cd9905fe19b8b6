"""Demo borough: the wards of Kelderby, outcomes, social value criteria, categories.

Kelderby is fictional; its postcode area KX does not exist in the UK.
"""

from .models import AssetCategory, Outcome, SocialValueCriterion, Ward


def _shares(young, old, women, asian, black, mixed, other, disabled):
    white = round(1 - asian - black - mixed - other, 3)
    middle = 1 - young - old
    return {
        "age_band": {
            "16-24": young,
            "25-34": round(middle * 0.36, 3),
            "35-49": round(middle * 0.38, 3),
            "50-64": round(middle * 0.26, 3),
            "65-74": round(old * 0.6, 3),
            "75+": round(old * 0.4, 3),
        },
        "gender": {
            "woman": women,
            "man": round(0.99 - women, 3),
            "non-binary": 0.005,
            "another": 0.005,
        },
        "ethnicity": {
            "asian": asian,
            "black": black,
            "mixed": mixed,
            "white": white,
            "other": other,
        },
        "disability": {"yes": disabled, "no": round(1 - disabled, 3)},
    }


WARDS = [
    ("Abbeyfield", "KX1", 11840, _shares(0.12, 0.24, 0.52, 0.04, 0.02, 0.02, 0.01, 0.21)),
    ("Brookside", "KX2", 13210, _shares(0.18, 0.14, 0.51, 0.22, 0.08, 0.04, 0.02, 0.17)),
    ("Castlegate", "KX3 1\nKX3 2", 9650, _shares(0.26, 0.09, 0.49, 0.11, 0.12, 0.05, 0.03, 0.14)),
    (
        "Dunmere",
        "KX3 3\nKX3 4\nKX3 5",
        10480,
        _shares(0.13, 0.21, 0.52, 0.06, 0.03, 0.03, 0.01, 0.24),
    ),
    ("Eastholme", "KX4", 12730, _shares(0.15, 0.17, 0.51, 0.31, 0.05, 0.03, 0.02, 0.19)),
    ("Fernhill", "KX5", 8920, _shares(0.11, 0.27, 0.53, 0.02, 0.01, 0.02, 0.01, 0.23)),
    ("Greywell", "KX6", 11390, _shares(0.16, 0.16, 0.51, 0.09, 0.15, 0.05, 0.02, 0.20)),
    ("Harbourside", "KX7", 10160, _shares(0.21, 0.12, 0.50, 0.07, 0.06, 0.04, 0.03, 0.18)),
]

OUTCOMES = [
    (
        "Fewer people socially isolated",
        "Residents of every age have people to talk to and places to go.",
    ),
    (
        "Disabled adults live the lives they choose",
        "Day opportunities, work and friendships on people's own terms.",
    ),
    (
        "Everyone can read, learn and get online",
        "Free access to books, information, digital skills and study space.",
    ),
    ("Children get the best start in life", "Families find support early, close to home."),
    ("Green, safe neighbourhoods", "Parks, streets and open spaces people use and look after."),
    ("Good local jobs", "Residents find fair work, training and apprenticeships in the borough."),
    ("Older people stay well at home", "Support that keeps people independent and connected."),
]

CRITERIA = [
    ("Pays the real living wage", "jobs", "Share of staff on the Living Wage Foundation rate"),
    ("Local apprenticeships", "jobs", "Apprenticeship starts for Kelderby residents per year"),
    (
        "Jobs for people furthest from work",
        "jobs",
        "Jobs filled by disabled people, care leavers or long-term unemployed",
    ),
    (
        "Local supply chain",
        "growth",
        "Share of spend with Kelderby suppliers and social enterprises",
    ),
    ("Staff volunteering hours", "social", "Hours given to Kelderby community groups per year"),
    (
        "Residents in governance",
        "social",
        "Places for service users on the board or steering group",
    ),
    ("Carbon reduction", "environment", "Tonnes of CO₂e saved per year"),
]

CATEGORIES = [
    ("Community spaces", "Halls, centres and rooms people can use."),
    ("Green spaces", "Parks, allotments, gardens and nature reserves."),
    ("Health and care", "Support for wellbeing, care and recovery."),
    ("Learning and skills", "Classes, clubs, libraries and mentoring."),
    ("Arts, culture and heritage", "Venues, groups, archives and events."),
    ("Food", "Food banks, community kitchens and growing projects."),
    ("Sport and activity", "Clubs, pitches and activity for all abilities."),
    ("Advice and support", "Money, housing, legal and employment advice."),
    ("Children and young people", "Youth clubs, play and family support."),
]


def load(*, stdout):
    from django.utils.text import slugify

    for name, prefixes, population, shares in WARDS:
        Ward.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "postcode_prefixes": prefixes,
                "population": population,
                "demographics": shares,
            },
        )
    for title, description in OUTCOMES:
        Outcome.objects.get_or_create(title=title, defaults={"description": description})
    for title, theme, measure in CRITERIA:
        SocialValueCriterion.objects.get_or_create(
            title=title, defaults={"theme": theme, "measure": measure}
        )
    for name, description in CATEGORIES:
        AssetCategory.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
