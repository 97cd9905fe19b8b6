"""Demo: Kelderby's budget conversations, one open and one closed with results.

Responses are generated from a seeded random source, so every run makes the
same borough; they are bulk-created (with their participations) for speed.
Idempotent: conversations are looked up by slug under the programme, and
responses are generated only for a conversation that has none.
"""

import random
from datetime import timedelta

from django.utils import timezone

PROGRAMME_SLUGS = ("day-opportunities", "libraries-and-archives")
OPEN_SLUG = "budget-2027-28"
CLOSED_SLUG = "budget-2026-27"
RESIDENT_EMAIL = "resident@example.org"

PROPOSALS = [
    {
        "reference": "ASC-04",
        "title": "Share day-centre transport routes and bring the fleet in house",
        "service_area": "Adult social care",
        "current_budget": 2_150_000,
        "change": -310_000,
        "rationale": "Three contractors now run separate minibuses to the four day centres, "
        "often half empty. One council-run fleet with shared routes planned each week would "
        "carry the same people with nine fewer vehicles.",
        "who_is_affected": "About 240 disabled adults who use day-centre transport, their "
        "carers, and 31 drivers and escorts employed by the contractors.",
        "equality_impact": "Disabled people and older carers are directly affected. Journeys "
        "may be up to 15 minutes longer. Mitigation: no journey over 45 minutes, the same "
        "escort where a person needs one, and a review after six months with service users.",
    },
    {
        "reference": "ASC-07",
        "title": "Grow Shared Lives instead of buying new residential places",
        "service_area": "Adult social care",
        "current_budget": 6_400_000,
        "change": -850_000,
        "rationale": "Shared Lives carers offer disabled adults a home or day support in "
        "their own family. It costs about £420 a week against £1,350 for a residential "
        "place, and people tell us they prefer it. We would recruit 25 more carers.",
        "who_is_affected": "Disabled adults who would otherwise move into residential care, "
        "and their families.",
        "equality_impact": "Positive for most people; a residential place stays available "
        "for anyone whose needs or wishes call for one. Every move is a choice, never a "
        "condition of support.",
    },
    {
        "reference": "LIB-02",
        "title": "Replace two part-time branch libraries with a second mobile library",
        "service_area": "Libraries and archives",
        "current_budget": 3_480_000,
        "change": -420_000,
        "rationale": "Fernhill and Dunmere branches open 16 hours a week and have lost half "
        "their visits since 2019. A second mobile library would stop in eight villages and "
        "estates each week, and community groups would run book points in the two buildings.",
        "who_is_affected": "Regular users of the two branches (about 1,900 people), "
        "especially older residents and families without a car.",
        "equality_impact": "Older and disabled residents are the heaviest users. The mobile "
        "library has a wheelchair lift; home delivery would be offered to anyone who cannot "
        "reach a stop.",
    },
    {
        "reference": "NHD-01",
        "title": "Charge £52 a year for garden waste collection",
        "service_area": "Neighbourhoods",
        "current_budget": 1_900_000,
        "change": -1_100_000,
        "rationale": "Most councils nearby already charge. Collection would stay fortnightly "
        "from March to November for households who subscribe; composting bins would be "
        "sold at cost.",
        "who_is_affected": "Households with gardens; about 28,000 use the service now.",
        "equality_impact": "A 50% concession for households on council tax support; "
        "assisted collections continue for those who need them.",
    },
    {
        "reference": "CHI-03",
        "title": "Open two more family hubs for early help",
        "service_area": "Children's services",
        "current_budget": 4_200_000,
        "change": 600_000,
        "rationale": "Early help keeps children safely at home and avoids far costlier care "
        "later. Hubs in Castlegate and Brookside would bring health visitors, parenting "
        "support and debt advice under one roof.",
        "who_is_affected": "Families with children under 19 in the east of the borough.",
        "equality_impact": "Positive for families on low incomes, lone parents and "
        "families from minority ethnic groups, who are over-represented in those wards.",
    },
    {
        "reference": "CORP-02",
        "title": "Close the Dunmere customer service desk; help by phone, online or appointment",
        "service_area": "Customer services",
        "current_budget": 780_000,
        "change": -190_000,
        "rationale": "Four in five contacts are now online or by phone. Staff would offer "
        "booked face-to-face appointments at the Civic Centre and in libraries.",
        "who_is_affected": "People who drop in to Dunmere now, about 60 a day.",
        "equality_impact": "People without internet access, disabled people and people "
        "whose first language is not English. Assisted digital help in every library and "
        "interpreters on request.",
    },
]

LINES = [
    {
        "name": "Day opportunities for disabled adults",
        "kind": "spending",
        "unit": "£100,000 = about nine people's day-centre places for a year",
        "current": 8_200_000,
        "minimum": 7_000_000,
        "maximum": 9_000_000,
        "step": 100_000,
        "proposed": 7_700_000,
    },
    {
        "name": "Libraries",
        "kind": "spending",
        "unit": "£50,000 = one mobile library day a week",
        "current": 3_500_000,
        "minimum": 2_600_000,
        "maximum": 3_800_000,
        "step": 50_000,
        "proposed": 3_100_000,
    },
    {
        "name": "Parks and open spaces",
        "kind": "spending",
        "unit": "£50,000 = fortnightly grass cutting, instead of every three weeks, in one ward",
        "current": 2_900_000,
        "minimum": 2_300_000,
        "maximum": 3_300_000,
        "step": 50_000,
        "proposed": 2_700_000,
    },
    {
        "name": "Early help and family hubs",
        "kind": "spending",
        "unit": "£100,000 = two family support workers",
        "current": 4_200_000,
        "minimum": 3_600_000,
        "maximum": 5_000_000,
        "step": 100_000,
        "proposed": 4_800_000,
    },
    {
        "name": "Waste and recycling",
        "kind": "spending",
        "unit": "£100,000 = one bulky-waste crew for a year",
        "current": 11_600_000,
        "minimum": 10_400_000,
        "maximum": 12_000_000,
        "step": 100_000,
        "proposed": 10_500_000,
    },
    {
        "name": "Council tax rise",
        "kind": "revenue",
        "unit": "£1,000,000 = a 1% rise, about £19 a year for a Band D home. "
        "The legal cap without a local referendum is 4.99% (£4,990,000)",
        "current": 0,
        "minimum": 0,
        "maximum": 4_990_000,
        "step": 10_000,
        "proposed": 4_990_000,
    },
    {
        "name": "Fees and charges",
        "kind": "revenue",
        "unit": "£50,000 = 10p more an hour at council car parks",
        "current": 0,
        "minimum": 0,
        "maximum": 1_500_000,
        "step": 50_000,
        "proposed": 1_100_000,
    },
]

COMMENTS = {
    "ASC-04": [
        "My son already spends an hour on the bus. Longer journeys would wear him out.",
        "Sharing routes makes sense as long as the escorts stay the same people.",
        "Half-empty minibuses passing each other on the ring road is a waste. Do it.",
        "Please ask the drivers — they know the routes better than any planner.",
    ],
    "ASC-07": [
        "Shared Lives changed my sister's life. More carers, please.",
        "Good idea, but carers need proper training and respite or they will leave.",
        "Do not let this become a way to close residential places people need.",
    ],
    "LIB-02": [
        "Fernhill library is the only warm place my mum goes to in winter.",
        "The mobile library comes to our estate and my children love it.",
        "Keep the buildings as community spaces even if the council cannot staff them.",
        "Opening hours were cut so much nobody could use it. Of course visits fell.",
    ],
    "NHD-01": [
        "I already pay council tax for bin collections. This is a stealth tax.",
        "£52 is reasonable. I would rather pay that than lose libraries.",
        "Many pensioners have gardens and small incomes. Please extend the concession.",
    ],
    "CHI-03": [
        "Early help saved our family. It is worth every penny.",
        "Put the new hub somewhere on a bus route, not out by the retail park.",
        "Growth is right here; spending now avoids care costs later.",
    ],
    "CORP-02": [
        "Not everyone can use a website. My dad needs to talk to someone in person.",
        "Appointments in libraries would actually be more convenient for me.",
        "Fine, but the phone line must answer within minutes, not an hour.",
    ],
}
ALTERNATIVES = [
    "Share back-office services with the neighbouring council.",
    "Sell the empty depot on Mill Lane instead of cutting services.",
    "Ask local businesses to sponsor the parks and the mobile library.",
    "Cut councillors' allowances before cutting day centres.",
    "Switch all street lights to LED faster and save on energy.",
]
REJECTED = [
    ("Whoever wrote this proposal should be sacked, they are an idiot.", "Personal abuse."),
    ("Visit my website for cheap loans www.example.com", "Advertising."),
]

FINANCIAL_CONTEXT = (
    "<p>Kelderby spends £212 million a year on services, after schools. Costs of adult and "
    "children's social care are rising faster than our income, and government funding has "
    "not kept pace with inflation.</p>"
    "<p>To set a balanced budget for {year}, as the law requires, we must close a gap of "
    "<b>{gap}</b>. Back-office savings already agreed cover {agreed}. The "
    "simulator asks you to find the other <b>{target}</b>.</p>"
)


def _programme(stdout):
    from commissioning.models import ProgrammePage

    for slug in PROGRAMME_SLUGS:
        programme = ProgrammePage.objects.filter(slug=slug).first()
        if programme is not None:
            return programme
    stdout.write("budget: no demo programme (day-opportunities) yet; skipped.")
    return None


def _conversation(programme, *, slug, title, introduction, opens_at, closes_at, year, gap, target):
    from .models import BudgetConversationPage, Proposal, SimulatorLine, pounds

    existing = BudgetConversationPage.objects.child_of(programme).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = BudgetConversationPage(
        title=title,
        slug=slug,
        introduction=introduction,
        stage="plan",
        opens_at=opens_at,
        closes_at=closes_at,
        audience=BudgetConversationPage.SIGNED_IN,
        financial_context=FINANCIAL_CONTEXT.format(
            year=year, gap=pounds(gap), agreed=pounds(gap - target), target=pounds(target)
        ),
        net_budget=212_000_000,
        gap=gap,
        simulator_introduction="Move each line up or down within its limits. Lowering a "
        "spending line saves money; raising an income line brings more in. You need to find "
        f"{pounds(target)} in total.",
        target_kind=BudgetConversationPage.SAVINGS,
        target_amount=target,
    )
    for order, proposal in enumerate(PROPOSALS):
        page.proposals.add(Proposal(sort_order=order, **proposal))
    for order, line in enumerate(LINES):
        page.lines.add(SimulatorLine(sort_order=order, **line))
    programme.add_child(instance=page)
    page.save_revision().publish()
    return BudgetConversationPage.objects.get(pk=page.pk), True


def _choices(rng, lines, target):
    """One resident's valid allocations: near the council's proposal, nudged
    step by step until the target is met."""
    chosen = {}
    for line in lines:
        steps = rng.choice([-3, -2, -1, 0, 0, 1, 1, 2, 3, 4])
        amount = line.proposed + steps * line.step
        chosen[line.pk] = min(max(amount, line.minimum), line.maximum)
    saving = sum(line.saving(chosen[line.pk]) for line in lines)
    while saving < target:
        movable = [
            line
            for line in lines
            if line.minimum
            <= chosen[line.pk] + (line.step if line.kind == "revenue" else -line.step)
            <= line.maximum
        ]
        if not movable:
            break
        line = rng.choice(movable)
        delta = line.step if line.kind == "revenue" else -line.step
        chosen[line.pk] += delta
        saving += line.step
    return chosen


# Each proposal has its own lean (support, oppose): growth is popular, charges are not.
LEANING = {
    "ASC-04": (0.45, 0.35),
    "ASC-07": (0.6, 0.2),
    "LIB-02": (0.3, 0.55),
    "NHD-01": (0.35, 0.5),
    "CHI-03": (0.7, 0.12),
    "CORP-02": (0.4, 0.4),
}
DISPLAY_NAMES = ["", "", "Sam", "Priya", "Tom", "Aisha", "Bev", "Kwame"]


def _residents(conversation, *, count, rng):
    """`count` demo residents for the conversation (unusable passwords), by email."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from commissioning.models import Ward

    wards = list(Ward.objects.all())
    prefix = f"budget-demo-{conversation.slug}-"
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{i:04d}@example.org",
                display_name=rng.choice(DISPLAY_NAMES),
                password=unusable,
                ward=rng.choice(wards) if wards else None,
            )
            for i in range(count)
        ],
        ignore_conflicts=True,
    )
    return list(User.objects.filter(email__startswith=prefix).order_by("email"))


def _responses(conversation, users, *, rng, since, until):
    """One response (with its participation) per user, at random times in the window."""
    from commissioning.models import Participation

    from .models import BudgetResponse

    span = (until - since).total_seconds()
    stamps = sorted(since + timedelta(seconds=rng.random() * span) for _ in users)
    feedback = [rng.random() < 0.4 for _ in users]
    participations = Participation.objects.bulk_create(
        Participation(
            engagement=conversation,
            user=user,
            ward_id=user.ward_id,
            channel=Participation.WEB,
            wants_feedback=wants,
            created_at=stamp,
        )
        for user, stamp, wants in zip(users, stamps, feedback, strict=True)
    )
    BudgetResponse.objects.bulk_create(
        BudgetResponse(
            conversation=conversation,
            user=p.user,
            participation=p,
            ward_id=p.ward_id,
            wants_feedback=p.wants_feedback,
            created_at=p.created_at,
        )
        for p in participations
    )
    return list(
        BudgetResponse.objects.filter(conversation=conversation, user__in=users)
        .select_related("user")
        .order_by("user__email")
    )


def _stance(rng, proposal):
    """One resident's stance on a proposal, drawn by the proposal's lean."""
    support, oppose = LEANING.get(proposal.reference, (0.4, 0.4))
    draw = rng.random()
    if draw < support:
        return "support"
    if draw < support + oppose:
        return "oppose"
    return "unsure"


class _Comments:
    """The comments residents leave: some on a proposal (each proposal cycles
    through its texts), a few alternatives, and two rejected for moderation."""

    def __init__(self, conversation, proposals, *, rng):
        self.conversation = conversation
        self.proposals = proposals
        self.rng = rng
        self.made = []
        self.said = {}  # how many comments each proposal has had

    def _comment(self, response, **fields):
        from .models import Comment

        return Comment(
            response=response,
            conversation=self.conversation,
            created_at=response.created_at,
            **fields,
        )

    def leave(self, response):
        """Perhaps a comment on a proposal, and perhaps an alternative, from `response`."""
        if self.rng.random() < 0.3:
            self.made.append(self._on_proposal(response))
        if self.rng.random() < 0.08:
            self.made.append(
                self._comment(
                    response, proposal=None, text=self.rng.choice(ALTERNATIVES), status="approved"
                )
            )

    def _on_proposal(self, response):
        proposal = self.rng.choice(self.proposals)
        status = self.rng.choice(["approved"] * 6 + ["pending"])
        texts = COMMENTS.get(proposal.reference, ["Please think again."])
        self.said[proposal.pk] = self.said.get(proposal.pk, -1) + 1
        return self._comment(
            response,
            proposal=proposal,
            text=texts[self.said[proposal.pk] % len(texts)],
            status=status,
        )

    def reject(self, responses):
        """The REJECTED comments, from `responses` that left no alternative."""
        for (text, reason), response in zip(REJECTED, responses, strict=False):
            if not any(c.response is response and c.proposal is None for c in self.made):
                self.made.append(
                    self._comment(
                        response,
                        proposal=None,
                        text=text,
                        status="rejected",
                        rejection_reason=reason,
                    )
                )


def _generate(conversation, *, count, seed, since, until, stdout):
    from .models import Allocation, Comment, ProposalAnswer

    rng = random.Random(seed)
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    users = _residents(conversation, count=count, rng=rng)
    responses = _responses(conversation, users, rng=rng, since=since, until=until)
    answers, allocations = [], []
    comments = _Comments(conversation, proposals, rng=rng)
    for response in responses:
        answers.extend(
            ProposalAnswer(response=response, proposal=proposal, stance=_stance(rng, proposal))
            for proposal in proposals
        )
        allocations.extend(
            Allocation(response=response, line_id=line_id, amount=amount)
            for line_id, amount in _choices(rng, lines, conversation.target_amount).items()
        )
        comments.leave(response)
    comments.reject(responses[-2:])
    ProposalAnswer.objects.bulk_create(answers, batch_size=2000)
    Allocation.objects.bulk_create(allocations, batch_size=2000)
    Comment.objects.bulk_create(comments.made, batch_size=1000)
    stdout.write(
        f"budget: {len(responses)} responses and {len(comments.made)} comments "
        f"for “{conversation.title}”."
    )


def load(*, stdout):
    programme = _programme(stdout)
    if programme is None:
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    open_page, _ = _conversation(
        programme,
        slug=OPEN_SLUG,
        title="Kelderby budget 2027/28: closing a £9.8m gap",
        introduction="Tell us what you think of our savings proposals, and try balancing "
        "the budget yourself.",
        opens_at=now - timedelta(days=12),
        closes_at=(now + timedelta(days=30)).replace(hour=23, minute=59),
        year="2027/28",
        gap=9_800_000,
        target=7_500_000,
    )
    closed_page, _ = _conversation(
        programme,
        slug=CLOSED_SLUG,
        title="Kelderby budget 2026/27: what you told us",
        introduction="Last year's conversation on closing an £8.1m gap. See the results.",
        opens_at=now - timedelta(days=240),
        closes_at=now - timedelta(days=190),
        year="2026/27",
        gap=8_100_000,
        target=6_000_000,
    )
    from .models import BudgetResponse

    for page, count, seed in ((open_page, 320, 2027), (closed_page, 480, 2026)):
        if not BudgetResponse.objects.filter(conversation=page).exists():
            until = min(page.closes_at, timezone.now())
            _generate(
                page, count=count, seed=seed, since=page.opens_at, until=until, stdout=stdout
            )
