"""Demo borough: wards, outcomes, criteria, categories, and two programmes.

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
    load_programmes(stdout=stdout)


# Programmes, their stages and a published decision.

ANALYSE_DAY_OPS = [
    (
        "p",
        "We are finding out what disabled adults in Kelderby want from their days, and what the "
        "borough already offers: the three council day centres, the Brookside allotment project, "
        "supported employment with local firms, arts groups and sports clubs that welcome "
        "everyone.",
    ),
    (
        "p",
        "Tell us what a good day looks like for you or the person you care for, and put the "
        "places and groups you use on the community map, so we build on what already works.",
    ),
]
PLAN_DAY_OPS = [
    (
        "p",
        "Keep the day centres in-house and modernise them; commission a range of providers "
        "through a framework with personal budgets; support the centres' staff to form a "
        "staff-led public service mutual that spins out of the council, owned by its employees "
        "with people who use the service on its board; or a mix, with smaller community hubs run "
        "with local groups.",
    ),
    (
        "p",
        "No model is presumed. A citizen commissioner panel of residents, people who use day "
        "services and carers scores each option against cost, quality and social value.",
    ),
]
DO_DAY_OPS = [
    (
        "p",
        "We write the service specification with the panel, including the social value we "
        "expect (real living wage, jobs for disabled people, volunteering hours), and run the "
        "procurement or transfer.",
    ),
]
REVIEW_DAY_OPS = [
    (
        "p",
        "A year in, people who use the service, carers and staff tell us whether days are "
        "better. We publish the results and what we change.",
    ),
]

ANALYSE_LIBRARIES = [
    (
        "p",
        "We counted visits, loans and computer sessions at all eight libraries and the borough "
        "archive, and mapped the reading groups, homework clubs and local history societies "
        "that use them.",
    ),
]
PLAN_LIBRARIES = [
    (
        "p",
        "Keep every library council-run with shorter hours; share three buildings with other "
        "services; transfer the service to a new community benefit society owned by residents "
        "and staff, with a ten-year council grant; or combine a core council service with "
        "community-run branch libraries.",
    ),
]
DO_LIBRARIES = [
    (
        "p",
        "Cabinet chose the community benefit society. Kelderby Libraries and Archives Ltd took "
        "over on 1 April with a ten-year grant agreement, a residents' share offer and a duty to "
        "keep every library open at least five days a week.",
    ),
]
REVIEW_LIBRARIES = [
    (
        "p",
        "We are reviewing the society's first year against the grant agreement: opening hours, "
        "visits, digital help sessions, the archive's conservation work and the social value it "
        "promised. Tell us what has changed at your library.",
    ),
]

PROGRAMMES = [
    {
        "slug": "day-opportunities",
        "title": "Day opportunities for disabled adults",
        "introduction": (
            "How adults with learning disabilities, autism or physical disabilities spend their "
            "days: centres, work, learning, friendships and activities across Kelderby."
        ),
        "summary": (
            "About 420 adults use day services funded by the council, most of them at three "
            "council-run day centres built in the 1980s. People have told us they want more "
            "choice, more time in the community and more chances to work.\n\n"
            "This programme decides how day opportunities are provided from 2028, and who "
            "provides them."
        ),
        "budget_envelope": 6_800_000,
        "outcomes": [
            "Disabled adults live the lives they choose",
            "Fewer people socially isolated",
            "Good local jobs",
        ],
        "wards": None,  # the whole borough
        "lead": ("Priya Raman", "Commissioning Manager, Adult Social Care", "01632 960 412"),
        "email": "day.opportunities@kelderby.example",
        # stage, start and end relative to today (days), explainer
        "stages": [
            ("analyse", -200, -40, ANALYSE_DAY_OPS),
            ("plan", -39, 90, PLAN_DAY_OPS),
            ("do", 91, 270, DO_DAY_OPS),
            ("review", 271, 640, REVIEW_DAY_OPS),
        ],
    },
    {
        "slug": "libraries-and-archives",
        "title": "Libraries and archives",
        "introduction": (
            "Kelderby's eight libraries and the borough archive, now run by a community benefit "
            "society. We are reviewing its first year."
        ),
        "summary": (
            "In 2025 residents helped us appraise four ways of running the library service. "
            "The council chose to transfer it to a community benefit society owned by residents "
            "and staff, with a ten-year grant.\n\n"
            "We are now reviewing the first year: what works, what does not, and what should "
            "change in the grant agreement."
        ),
        "budget_envelope": 3_150_000,
        "outcomes": ["Everyone can read, learn and get online", "Fewer people socially isolated"],
        "wards": ["Abbeyfield", "Brookside", "Castlegate", "Eastholme", "Greywell", "Harbourside"],
        "lead": ("Tom Okafor", "Head of Culture and Libraries", "01632 960 388"),
        "email": "libraries@kelderby.example",
        "stages": [
            ("analyse", -690, -560, ANALYSE_LIBRARIES),
            ("plan", -559, -380, PLAN_LIBRARIES),
            ("do", -379, -150, DO_LIBRARIES),
            ("review", -149, 200, REVIEW_LIBRARIES),
        ],
    },
]

DECISION_ITEMS = [
    (
        "Keep the day centres as a base",
        "Many people, and most carers, said a safe building with staff who know them matters, "
        "especially for people with complex needs and on cold days.",
        "Every option we appraise keeps at least two accessible building bases, with changing "
        "places toilets.",
        "People with the highest needs rely on them, and carers' breaks depend on them.",
        "what-matters-in-day-opportunities",
    ),
    (
        "More time out in the community",
        "People want to spend more of the week at the allotments, the gym, college and cafés "
        "rather than in one room.",
        "Options must show how at least half of each person's week can be spent in community "
        "places, with travel support.",
        "It was the strongest theme, and the asset map shows 60 groups ready to welcome people.",
        "share-your-community-assets",
    ),
    (
        "Chances to work",
        "Younger adults asked for work experience and paid jobs, not only activities.",
        "We will ask providers to deliver supported internships with Kelderby employers, scored "
        "as social value.",
        "Few disabled adults in Kelderby are in paid work; local firms offered placements.",
        "what-matters-in-day-opportunities",
    ),
    (
        "A staff-led mutual",
        "Staff and some families asked whether day centre staff could run the service "
        "themselves; others worried about losing council protections.",
        "A staff-led public service mutual is one of the options the citizen panel will "
        "appraise, on equal terms with the others.",
        "No model is presumed: each is appraised on evidence, cost and social value.",
        "what-matters-in-day-opportunities",
    ),
]


def _rich_text(pairs):
    from django.utils.html import format_html

    return "".join(
        format_html("<h2>{}</h2>", text) if tag == "h2" else format_html("<p>{}</p>", text)
        for tag, text in pairs
    )


def _programmes_index(home, stdout):
    from .models import ProgrammeIndexPage

    index = ProgrammeIndexPage.objects.child_of(home).filter(slug="programmes").first()
    if index:
        return index
    index = ProgrammeIndexPage(
        title="What we are commissioning",
        slug="programmes",
        introduction=(
            "Each programme is one area of the council's services going round the "
            "commissioning cycle. See where each one is, and how you can take part."
        ),
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    stdout.write("Created the programmes index.\n")
    return index


def _programme(index, spec, today):
    from datetime import timedelta

    from .models import ProgrammePage, ProgrammeStage

    programme = ProgrammePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if programme:
        return programme, False
    name, role, phone = spec["lead"]
    programme = ProgrammePage(
        title=spec["title"],
        slug=spec["slug"],
        introduction=spec["introduction"],
        summary=spec["summary"],
        budget_envelope=spec["budget_envelope"],
        lead_officer_name=name,
        lead_officer_role=role,
        lead_officer_email=spec["email"],
        lead_officer_phone=phone,
    )
    programme.outcomes = list(Outcome.objects.filter(title__in=spec["outcomes"]))
    programme.wards = list(Ward.objects.filter(name__in=spec["wards"] or []))
    programme.stages = [
        ProgrammeStage(
            stage=stage,
            starts_on=today + timedelta(days=start),
            ends_on=today + timedelta(days=end),
            explainer=[("text", _rich_text(pairs))],
        )
        for stage, start, end, pairs in spec["stages"]
    ]
    index.add_child(instance=programme)
    programme.save_revision().publish()
    return programme, True


def _decision(programme, today):
    from datetime import timedelta

    from .models import DecisionItem, DecisionPage, EngagementPage

    slug = "what-we-heard-about-day-opportunities"
    if DecisionPage.objects.child_of(programme).filter(slug=slug).exists():
        return False
    engagements = {e.slug: e for e in EngagementPage.objects.child_of(programme)}
    decision = DecisionPage(
        title="What we heard about day opportunities, and what we decided",
        slug=slug,
        introduction=(
            "Over the summer more than 300 people told us what a good day looks like. This is "
            "what we heard and how it shapes the options we are now appraising."
        ),
        stage="analyse",
        decision_maker="Cabinet Member for Adult Social Care and Health",
        decided_on=today - timedelta(days=25),
        record_url="https://democracy.kelderby.example/ieDecisionDetails.aspx?ID=2417",
        summary=(
            "<p>The needs and assets assessment is agreed. Four options go forward to appraisal "
            "by a citizen commissioner panel, each required to keep a building base, offer "
            "community activity for at least half the week and create paid work.</p>"
        ),
    )
    decision.items = [
        DecisionItem(
            theme=theme,
            people_said=said,
            decided=decided,
            reason=reason,
            engagement=engagements.get(engagement_slug),
        )
        for theme, said, decided, reason, engagement_slug in DECISION_ITEMS
    ]
    programme.add_child(instance=decision)
    decision.save_revision().publish()
    return True


def _site_links(home, index):
    from django.urls import reverse
    from wagtail.models import Site

    from coproduce.models import HomePageFeatured, NavigationSettings

    # Straight to the table: the page's cluster manager would not save.
    featured = HomePageFeatured.objects.filter(home=home)
    if not featured.filter(page=index).exists():
        HomePageFeatured.objects.create(home=home, page=index, sort_order=featured.count())
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return
    navigation = NavigationSettings.for_site(site)
    texts = {block.value["text"] for block in navigation.links}
    changed = False
    if "Programmes" not in texts:
        navigation.links.append(
            ("link", {"text": "Programmes", "page": index, "external_url": ""})
        )
        changed = True
    if "Take part now" not in texts:
        navigation.links.append(
            (
                "link",
                {
                    "text": "Take part now",
                    "page": None,
                    "external_url": reverse("commissioning:take_part"),
                },
            )
        )
        changed = True
    if changed:
        navigation.save()


def load_programmes(*, stdout):
    from django.utils import timezone

    from coproduce.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        stdout.write("No home page: skipping the commissioning programmes.\n")
        return
    today = timezone.localdate()
    index = _programmes_index(home, stdout)
    for spec in PROGRAMMES:
        programme, created = _programme(index, spec, today)
        if created:
            stdout.write(f"Created the programme “{programme.title}”.\n")
    _site_links(home, index)


def finish(*, stdout):
    """After every app's demo: the decision cites the engagements they made."""
    from django.utils import timezone

    from .models import ProgrammePage

    programme = ProgrammePage.objects.filter(slug="day-opportunities").first()
    if programme and _decision(programme, timezone.localdate()):
        stdout.write("Published the day opportunities decision.\n")
    _close_the_loop(stdout=stdout)


# After every app has loaded (and the themes are named): closing the loop on
# the closed budget conversation.

DEMO_HEARD_SLUG = "budget-2026-27"
# Who, of the people who took part, told us about themselves: older residents
# far more than young ones, and few Asian residents, so the brief flags them.
DEMO_AGE_WEIGHTS = [
    ("16-24", 1),
    ("25-34", 4),
    ("35-49", 10),
    ("50-64", 16),
    ("65-74", 14),
    ("75+", 6),
]
DEMO_ETHNICITY_WEIGHTS = [("asian", 1), ("black", 4), ("mixed", 2), ("white", 24), ("other", 1)]


def _demo_profiles(engagement):
    import random

    from .models import DemographicProfile, Participation

    taking_part = Participation.objects.filter(engagement=engagement, user__isnull=False)
    if DemographicProfile.objects.filter(user__participations__in=taking_part).exists():
        return  # loaded before: some chose not to say, and stay so
    users = list(
        Participation.objects.filter(engagement=engagement, user__isnull=False)
        .filter(user__demographic_profile__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    rng = random.Random(2026)

    def pick(weights):
        return rng.choices([v for v, _ in weights], weights=[w for _, w in weights])[0]

    DemographicProfile.objects.bulk_create(
        [
            DemographicProfile(
                user_id=user_id,
                age_band=pick(DEMO_AGE_WEIGHTS),
                gender=pick([("woman", 6), ("man", 5), ("non-binary", 1)]),
                ethnicity=pick(DEMO_ETHNICITY_WEIGHTS),
                disability=pick([("yes", 1), ("no", 4)]),
                carer=pick([("yes", 1), ("no", 5), ("prefer-not", 1)]),
            )
            for user_id in users
            if rng.random() < 0.8  # some choose not to say
        ],
        ignore_conflicts=True,
    )


def _close_the_loop(*, stdout):
    from django.contrib.auth import get_user_model

    from .models import DecisionPage, EngagementPage, HeardSummary
    from .services import decision_draft_from_brief, heard_summary_publish

    User = get_user_model()

    engagement = EngagementPage.objects.filter(slug=DEMO_HEARD_SLUG).first()
    officer = User.objects.filter(email="officer@example.org").first()
    if engagement is None or officer is None:
        return
    _demo_profiles(engagement)
    if (
        engagement.state() == "closed"
        and not HeardSummary.objects.published().filter(engagement=engagement).exists()
    ):
        heard_summary_publish(engagement=engagement.specific, user=officer)
        stdout.write(f"commissioning: what we heard published on “{engagement.title}”.\n")
    programme = engagement.get_parent().specific
    if not DecisionPage.objects.child_of(programme).filter(stage=engagement.stage).exists():
        page, _ = decision_draft_from_brief(
            programme=programme, stage=engagement.stage, user=officer
        )
        stdout.write(f"commissioning: draft decision “{page.title}” from the brief.\n")
