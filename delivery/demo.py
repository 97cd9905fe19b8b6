"""Demo borough: the libraries programme a year after its decision.

Cabinet transferred the libraries and the archive to a community benefit
society with a grant, and the home library, mobile library and digital help
team spun out as a staff-led mutual under a contract with social value
promises. Commitments in every status with backdated timelines, indicators
with readings, and an open service review with responses.

Idempotent: the decision and the review are looked up by slug, arrangements
by service, commitments by title, indicators by reference, readings by date.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.models import (
    DecisionItem,
    DecisionPage,
    EngagementPage,
    Outcome,
    ProgrammePage,
    SocialValueCriterion,
)

from . import services
from .models import Commitment, DeliveryArrangement, Indicator, Reading, ServiceReviewPage

PROGRAMME_SLUG = "libraries-and-archives"
DECISION_SLUG = "how-kelderbys-libraries-will-be-run"
REVIEW_SLUG = "review-the-home-library-and-digital-help"
DECIDED_DAYS_AGO = 380
SEED = 4242

READ = "Everyone can read, learn and get online"
ISOLATED = "Fewer people socially isolated"

ITEMS = [
    (
        "Keep every library open",
        "Residents told the panel that losing a branch library would cut villages off, and that "
        "the libraries are often the only warm, free place to go.",
        "Whoever runs the service must keep all eight libraries open at least five days a week.",
        "It was the panel's first condition, and every option could meet it within the budget.",
    ),
    (
        "A real say for the people who use libraries",
        "Panel members and library users wanted residents to shape the service, not only be "
        "asked about it.",
        "The libraries and the archive go to a community benefit society owned by residents and "
        "staff, with library users on its board and a residents' share offer.",
        "It scored highest in the panel's appraisal, above all on residents in governance.",
    ),
    (
        "Help to get online",
        "Many people, especially older residents, said they struggle with forms that are only "
        "online now.",
        "Weekly digital help sessions in every library, and the home library service keeps "
        "visiting people who cannot get out.",
        "Digital exclusion was the need the panel heard most about from older residents.",
    ),
    (
        "The home library, mobile library and digital help team",
        "The outreach staff proposed running their services as a mutual; the panel placed a "
        "staff-led mutual second overall.",
        "The outreach services spin out as a staff-led public service mutual, contracted for "
        "five years, paying the real living wage and training local apprentices.",
        "It keeps the team's skills and gives the council a contract with social value it can "
        "check.",
    ),
    (
        "Look after the borough archive",
        "Local history groups asked for the archive to stay accredited and open to the public.",
        "The society keeps the archive's accreditation and looks for a better building for it.",
        "The collections are irreplaceable and accreditation keeps them eligible for grants.",
    ),
]

CBS = "Libraries and the borough archive"
MUTUAL = "Home library, mobile library and digital help"

ARRANGEMENTS = [
    {
        "service": CBS,
        "chosen_option": "Community benefit society",
        "delivery_model": DeliveryArrangement.COOPERATIVE,
        "provider_name": "Kelderby Libraries and Archives Ltd",
        "agreement": DeliveryArrangement.GRANT_AGREEMENT,
        "starts": -365,
        "ends": 3285,
        "annual_value": 2_650_000,
        "social_value_promised": "Library users hold two of the nine seats on the society's "
        "board; staff give volunteering time to reading groups and local history societies.",
        "criteria": ["Residents in governance", "Staff volunteering hours"],
    },
    {
        "service": MUTUAL,
        "chosen_option": "Staff-led mutual",
        "delivery_model": DeliveryArrangement.MUTUAL,
        "provider_name": "Kelderby Reading Partners",
        "agreement": DeliveryArrangement.CONTRACT,
        "starts": -330,
        "ends": 1495,
        "annual_value": 500_000,
        "social_value_promised": "Every member of staff on the real living wage within a year; "
        "four apprenticeships for Kelderby residents; 1,200 hours a year of staff volunteering "
        "with community groups.",
        "criteria": [
            "Pays the real living wage",
            "Local apprenticeships",
            "Staff volunteering hours",
        ],
    },
]

# title, item index, arrangement, responsible, due (days from today), outcomes, criteria,
# history: [(days ago, status, progress, note or reason)]
COMMITMENTS = [
    (
        "Open every library at least five days a week",
        0, CBS, "Kelderby Libraries and Archives Ltd", -200, [ISOLATED], [],
        [(360, "in_progress", 40, "Six of the eight libraries open five days a week from the transfer."),
         (240, "done", 100, "Abbeyfield and Harbourside added their fifth day in the spring.")],
    ),
    (
        "Longer Saturday opening at Fernhill and Greywell",
        0, CBS, "Kelderby Libraries and Archives Ltd", 60, [ISOLATED], [],
        [(300, "in_progress", 20, "Volunteers recruited for Saturday afternoons at Greywell."),
         (90, "in_progress", 60, "Greywell now open until 4pm; Fernhill starts after its roof repair.")],
    ),
    (
        "Library users on the society's board",
        1, CBS, "Kelderby Libraries and Archives Ltd", -300, [], ["Residents in governance"],
        [(320, "done", 100, "Two library users elected to the board at the first members' meeting.")],
    ),
    (
        "A residents' share offer",
        1, CBS, "Kelderby Libraries and Archives Ltd", -150, [], ["Residents in governance"],
        [(280, "changed", 30, "The share offer moved from April to September: the Financial "
          "Conduct Authority registration took longer than planned, and the society wanted "
          "to run it after the summer reading challenge."),
         (120, "changed", 80, "412 residents bought shares in the first month.")],
    ),
    (
        "Weekly digital help sessions in every library",
        2, MUTUAL, "Kelderby Reading Partners", 90, [READ], [],
        [(300, "in_progress", 25, "Sessions running at Central, Brookside and Eastholme."),
         (150, "in_progress", 60, "Five libraries now; volunteers trained for the other three."),
         (30, "in_progress", 75, "Six libraries; Castlegate and Fernhill start next term.")],
    ),
    (
        "Home library visits for everyone who cannot get out",
        2, MUTUAL, "Kelderby Reading Partners", 200, [READ, ISOLATED], [],
        [(200, "in_progress", 50, "Waiting list cleared; referrals now come from GPs too.")],
    ),
    (
        "Outreach services run by a staff-led mutual under a five-year contract",
        3, MUTUAL, "Head of Culture and Libraries", -330, [], [],
        [(330, "done", 100, "Kelderby Reading Partners took over on 1 June with 23 staff.")],
    ),
    (
        "Every member of the mutual's staff on the real living wage",
        3, MUTUAL, "Kelderby Reading Partners", -10, [], ["Pays the real living wage"],
        [(270, "in_progress", 50, "Pay review agreed with staff."),
         (20, "done", 100, "All 23 staff paid at least the real living wage since the April pay round.")],
    ),
    (
        "Four apprenticeships for Kelderby residents",
        3, MUTUAL, "Kelderby Reading Partners", 130, [READ], ["Local apprenticeships"],
        [(200, "in_progress", 25, "First library apprentice started."),
         (60, "in_progress", 75, "Three apprentices in post.")],
    ),
    (
        "Keep the archive's accreditation",
        4, CBS, "Kelderby Libraries and Archives Ltd", 240, [], [],
        [],
    ),
    (
        "Move the archive to the old county court",
        4, CBS, "Kelderby Libraries and Archives Ltd", -60, [], [],
        [(100, "dropped", 0, "The building survey found damp in the basement strongrooms that "
          "would cost more to fix than a new store. The society is looking at space in the "
          "Civic Centre instead, and will report to the review.")],
    ),
]  # fmt: skip

# reference, commitment title, outcome, criterion, measure, unit, baseline, target,
# readings [(days ago, value)]
INDICATORS = [
    ("mutual-living-wage", "Every member of the mutual's staff on the real living wage", None,
     "Pays the real living wage", "Staff paid at least the real living wage", "%", 72, 100,
     [(300, 78), (210, 85), (120, 94), (20, 100)]),
    ("mutual-apprentices", "Four apprenticeships for Kelderby residents", None,
     "Local apprenticeships", "Apprenticeship starts for Kelderby residents", "apprentices", 0, 4,
     [(200, 1), (120, 2), (60, 3)]),
    ("mutual-volunteering", "Outreach services run by a staff-led mutual under a five-year contract",
     None, "Staff volunteering hours", "Staff volunteering hours with community groups", "hours",
     0, 1200, [(270, 210), (180, 480), (90, 790), (20, 1010)]),
    ("home-library-visits", "Home library visits for everyone who cannot get out", ISOLATED, None,
     "Housebound residents visited each month", "people", 310, 400,
     [(300, 318), (210, 341), (120, 362), (30, 377)]),
    ("digital-help-sessions", "Weekly digital help sessions in every library", READ, None,
     "Digital help sessions a month", "sessions", 40, 120,
     [(300, 56), (210, 80), (120, 98), (30, 104)]),
    ("library-visits", "Open every library at least five days a week", ISOLATED, None,
     "Library visits a month", "visits", 61000, 65000,
     [(300, 58900), (210, 60400), (120, 62800), (30, 63500)]),
]  # fmt: skip

REASONS = {
    READ: [
        "The digital help session sorted out my pension credit claim in half an hour.",
        "My dad gets large print books every fortnight now; before there was a waiting list.",
        "The volunteer was patient but the sessions are always full by ten.",
        "I still cannot get help on a Saturday, when I am not at work.",
        "The home library brought audiobooks after my eyesight went. It has made a huge difference.",
    ],
    ISOLATED: [
        "The visit is the only conversation my mother has some weeks.",
        "The mobile library stop at our estate was cut to once a month.",
        "I have met people at the digital café I now see every week.",
        "Same driver every time, she knows my name and what I like.",
    ],
}
COMMENTS = [
    "Please bring back the Thursday mobile library stop in Fernhill.",
    "Much better than before the change. The staff seem happier too.",
    "",
    "More sessions in the evening, please.",
]


def _criteria(titles):
    return list(SocialValueCriterion.objects.filter(title__in=titles))


def _decision(programme, engagement, today, stdout):
    decision = DecisionPage.objects.child_of(programme).filter(slug=DECISION_SLUG).first()
    if decision is not None:
        return decision
    decision = DecisionPage(
        title="How Kelderby's libraries will be run",
        slug=DECISION_SLUG,
        introduction="Cabinet's decision on the libraries, the archive and the outreach "
        "services, after the citizen commissioner panel's appraisal.",
        stage="plan",
        decision_maker="Cabinet",
        decided_on=today - timedelta(days=DECIDED_DAYS_AGO),
        record_url="https://democracy.kelderby.example/ieDecisionDetails.aspx?ID=2291",
        summary="<p>Cabinet accepted the panel's recommendation: the libraries and the archive "
        "transfer to a community benefit society with a ten-year grant, and the outreach "
        "services to a staff-led mutual under a five-year contract.</p>",
    )
    decision.items = [
        DecisionItem(theme=t, people_said=s, decided=d, reason=r, engagement=engagement)
        for t, s, d, r in ITEMS
    ]
    programme.add_child(instance=decision)
    decision.save_revision().publish()
    stdout.write("delivery: published the libraries decision.\n")
    return DecisionPage.objects.get(pk=decision.pk)


def _arrangements(programme, decision, officer, today):
    found = {}
    for spec in ARRANGEMENTS:
        arrangement = DeliveryArrangement.objects.filter(
            programme=programme, service=spec["service"]
        ).first()
        if arrangement is None:
            arrangement = services.arrangement_save(
                arrangement=DeliveryArrangement(
                    decision=decision,
                    service=spec["service"],
                    chosen_option=spec["chosen_option"],
                    delivery_model=spec["delivery_model"],
                    provider_name=spec["provider_name"],
                    agreement=spec["agreement"],
                    starts_on=today + timedelta(days=spec["starts"]),
                    ends_on=today + timedelta(days=spec["ends"]),
                    annual_value=spec["annual_value"],
                    social_value_promised=spec["social_value_promised"],
                ),
                user=officer,
                social_value_criteria=_criteria(spec["criteria"]),
            )
        found[spec["service"]] = arrangement
    return found


def _commitments(programme, decision, arrangements, officer, today):
    items = list(decision.items.order_by("sort_order", "pk"))
    outcomes = {o.title: o for o in Outcome.objects.all()}
    created = 0
    for title, item, service, responsible, due, outcome_titles, criteria, history in COMMITMENTS:
        if Commitment.objects.filter(programme=programme, title=title).exists():
            continue
        commitment = services.commitment_create(
            decision_item=items[item],
            user=officer,
            happened_on=today - timedelta(days=DECIDED_DAYS_AGO - 10),
            title=title,
            responsible=responsible,
            due_on=today + timedelta(days=due),
            arrangement=arrangements[service],
            m2m={
                "outcomes": [outcomes[t] for t in outcome_titles if t in outcomes],
                "social_value_criteria": _criteria(criteria),
            },
        )
        for days_ago, status, progress, text in history:
            reason = text if status in ("changed", "dropped") else ""
            services.commitment_change(
                commitment=commitment,
                user=officer,
                happened_on=today - timedelta(days=days_ago),
                note=text,
                status=status,
                status_reason=reason,
                progress=progress,
                notify=False,  # a backdated history: nobody is emailed
            )
        created += 1
    return created


def _indicators(programme, officer, today):
    commitments = {c.title: c for c in Commitment.objects.filter(programme=programme)}
    outcomes = {o.title: o for o in Outcome.objects.all()}
    criteria = {c.title: c for c in SocialValueCriterion.objects.all()}
    for (
        reference,
        title,
        outcome,
        criterion,
        measure,
        unit,
        baseline,
        target,
        readings,
    ) in INDICATORS:
        if title not in commitments:
            continue
        indicator = Indicator.objects.filter(reference=reference).first()
        if indicator is None:
            indicator = services.indicator_save(
                indicator=Indicator(
                    commitment=commitments[title],
                    reference=reference,
                    outcome=outcomes.get(outcome),
                    social_value_criterion=criteria.get(criterion),
                    measure=measure,
                    unit=unit,
                    baseline=Decimal(baseline),
                    baseline_on=today - timedelta(days=DECIDED_DAYS_AGO - 30),
                    target=Decimal(target),
                    target_on=today + timedelta(days=200),
                ),
                user=officer,
            )
        have = set(
            Reading.objects.filter(indicator=indicator).values_list("measured_on", flat=True)
        )
        for days_ago, value in readings:
            measured_on = today - timedelta(days=days_ago)
            if measured_on not in have:
                services.reading_record(
                    indicator=indicator,
                    measured_on=measured_on,
                    value=Decimal(value),
                    user=officer,
                )


def _review(programme, arrangement, now, stdout):
    review = ServiceReviewPage.objects.child_of(programme).filter(slug=REVIEW_SLUG).first()
    if review is not None:
        return review
    review = ServiceReviewPage(
        title="Review the home library and digital help service",
        slug=REVIEW_SLUG,
        introduction="A year after Kelderby Reading Partners took over the home library, the "
        "mobile library and digital help, tell us how well they work for you.",
        stage="review",
        opens_at=(now - timedelta(days=14)).replace(hour=9, minute=0, second=0, microsecond=0),
        closes_at=(now + timedelta(days=30)).replace(hour=17, minute=0, second=0, microsecond=0),
        audience=ServiceReviewPage.ANYONE,
        arrangement=arrangement,
        users_only=True,
        about="<p>Your scores go to the officers reviewing the contract, beside the figures "
        "the mutual reports. The council then decides whether to continue, change, "
        "re-commission or stop the service, and publishes why on the programme page.</p>",
    )
    programme.add_child(instance=review)
    review.save_revision().publish()
    stdout.write("delivery: opened the home library service review.\n")
    return ServiceReviewPage.objects.get(pk=review.pk)


def _responses(review, now):
    from accounts.models import User

    if review.review_responses.exists():
        return 0
    rng = random.Random(SEED)
    outcomes = services.review_outcomes(review)
    alex = User.objects.filter(email="panel@example.org").first()
    count = 0
    for n in range(36):
        scores = {}
        for outcome in outcomes:
            score = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 8, 6])[0]
            reason = rng.choice(REASONS.get(outcome.title, [""])) if rng.random() < 0.5 else ""
            scores[outcome.pk] = (score, reason)
        services.review_response_submit(
            review=review,
            user=alex if n == 0 else None,
            relationship=rng.choice(["uses", "uses", "carer"]),
            scores=scores,
            comment=rng.choice(COMMENTS),
            now=now - timedelta(days=13) + timedelta(hours=9 * n),
        )
        count += 1
    return count


def _site_links():
    from django.urls import reverse
    from wagtail.models import Site

    from coproduce.models import FooterSettings, NavigationSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    url = reverse("delivery:progress")
    for settings_model in (NavigationSettings, FooterSettings):
        links = settings_model.for_site(site)
        if any(block.value["external_url"] == url for block in links.links):
            continue
        links.links.append(
            ("link", {"text": "What we said we would do", "page": None, "external_url": url})
        )
        links.save()


def load(*, stdout):
    from accounts.models import User

    programme = ProgrammePage.objects.filter(slug=PROGRAMME_SLUG).first()
    officer = User.objects.filter(email="officer@example.org").first()
    if programme is None or officer is None:
        stdout.write("delivery demo: skipped (no libraries programme or officer).\n")
        return
    now = timezone.now()
    today = timezone.localdate(now)
    engagement = (
        EngagementPage.objects.child_of(programme).filter(stage="plan").order_by("pk").first()
    )
    decision = _decision(programme, engagement, today, stdout)
    arrangements = _arrangements(programme, decision, officer, today)
    created = _commitments(programme, decision, arrangements, officer, today)
    if created:
        stdout.write(f"delivery: {created} commitments with their timelines.\n")
    _indicators(programme, officer, today)
    review = _review(programme, arrangements[MUTUAL], now, stdout)
    responses = _responses(review, now)
    if responses:
        stdout.write(f"delivery: {responses} reviews of the home library service.\n")
    _site_links()
