"""Budget conversation factories: a conversation under a programme, with
proposals and simulator lines, and residents' responses."""

from django.utils.text import slugify

from budget.models import (
    Allocation,
    BudgetResponse,
    Comment,
    Proposal,
    ProposalAnswer,
    SimulatorLine,
)
from tests.pages import BudgetConversationPageFactory, programme_under, published


def programme_for(home_page):
    return programme_under(
        home_page, title="Day opportunities for disabled adults", slug="day-opportunities"
    )


def conversation_factory(home_page, *, title="Kelderby budget 2027/28", lines=True, **kwargs):
    """A published conversation, open now, with two proposals and two lines.

    Lines: Libraries (spending, now £1,000,000, £400,000–£1,200,000 in £50,000
    steps) and Council tax (income, now £0, £0–£4,990,000 in £10,000 steps).
    Target: find £500,000 of savings.
    """
    proposals = [
        Proposal(
            sort_order=0,
            reference="LIB-01",
            title="Close two branch libraries",
            service_area="Libraries",
            current_budget=3_100_000,
            change=-420_000,
            rationale="Visits have fallen.",
            who_is_affected="Library users in Fernhill and Dunmere.",
            equality_impact="Older and disabled residents are most affected.",
        ),
        Proposal(
            sort_order=1,
            reference="ASC-03",
            title="Review day centre transport",
            service_area="Adult social care",
            current_budget=1_400_000,
            change=-250_000,
            rationale="Shared routes.",
        ),
    ]
    simulator = [
        SimulatorLine(
            sort_order=0,
            name="Libraries",
            kind=SimulatorLine.SPENDING,
            unit="£50,000 = one mobile library day a week",
            current=1_000_000,
            minimum=400_000,
            maximum=1_200_000,
            step=50_000,
            proposed=800_000,
        ),
        SimulatorLine(
            sort_order=1,
            name="Council tax rise",
            kind=SimulatorLine.REVENUE,
            unit="£1,000,000 = a 1% rise",
            current=0,
            minimum=0,
            maximum=4_990_000,
            step=10_000,
            proposed=2_990_000,
        ),
    ]
    fields = {"title": title, "slug": slugify(title), **kwargs}
    page = BudgetConversationPageFactory(
        parent=programme_for(home_page),
        proposals=proposals,
        lines=simulator if lines else [],
        **fields,
    )
    return published(page)


def valid_choices(conversation):
    """(answers, allocations) that meet the target: libraries down £500,000."""
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    answers = {p.pk: ProposalAnswer.SUPPORT for p in proposals}
    allocations = {line.pk: line.current for line in lines}
    if lines:
        allocations[lines[0].pk] = lines[0].current - 500_000
    return answers, allocations


def make_responses(conversation, count, *, user_factory):
    """`count` responses with answers, allocations and an approved comment each,
    created in bulk (as the demo and benchmark do)."""
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    users = [
        user_factory.build(email=f"bulk{conversation.pk}-{i}@example.org") for i in range(count)
    ]
    from accounts.models import User

    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__startswith=f"bulk{conversation.pk}-").order_by("pk"))
    responses = BudgetResponse.objects.bulk_create(
        BudgetResponse(conversation=conversation, user=u) for u in users
    )
    responses = list(
        BudgetResponse.objects.filter(conversation=conversation, user__in=users).order_by("pk")
    )
    stances = [s for s, _ in ProposalAnswer.STANCES]
    ProposalAnswer.objects.bulk_create(
        ProposalAnswer(response=r, proposal=p, stance=stances[(i + j) % 3])
        for i, r in enumerate(responses)
        for j, p in enumerate(proposals)
    )
    Allocation.objects.bulk_create(
        Allocation(
            response=r,
            line=line,
            amount=line.minimum
            + ((i * 7 + j) % ((line.maximum - line.minimum) // line.step + 1)) * line.step,
        )
        for i, r in enumerate(responses)
        for j, line in enumerate(lines)
    )
    Comment.objects.bulk_create(
        Comment(
            response=r,
            conversation=conversation,
            proposal=proposals[i % len(proposals)],
            text=f"Comment {i}",
            status=Comment.APPROVED,
        )
        for i, r in enumerate(responses)
    )
    return responses
