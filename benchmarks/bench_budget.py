"""Budget results for 100,000 responses: time to aggregate, and the queries it takes.

Run with `python -m benchmarks budget` (a fresh migrated SQLite database). The
conversation has the demo's six proposals and seven simulator lines, so the
data set is 100,000 responses, 600,000 stances and 700,000 allocations.
"""

import random
import statistics
import time

RESPONSES = 100_000
BATCH = 5_000
RUNS = 3


def _conversation():
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page

    from budget.demo import LINES, PROPOSALS
    from budget.models import BudgetConversationPage, Proposal, SimulatorLine

    root = Page.get_first_root_node()
    now = timezone.now()
    page = BudgetConversationPage(
        title="Benchmark budget",
        slug="benchmark-budget",
        stage="plan",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
        net_budget=212_000_000,
        gap=9_800_000,
        target_amount=7_500_000,
    )
    for proposal in PROPOSALS:
        page.proposals.add(Proposal(**proposal))
    for line in LINES:
        page.lines.add(SimulatorLine(**line))
    root.add_child(instance=page)
    return BudgetConversationPage.objects.get(pk=page.pk)


def _data(conversation):
    """Responses in bulk (paper-style, no accounts: the aggregation does not look at users)."""
    from budget.demo import _choices
    from budget.models import Allocation, BudgetResponse, ProposalAnswer

    rng = random.Random(100_000)
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    stances = ["support", "oppose", "unsure"]
    for start in range(0, RESPONSES, BATCH):
        responses = BudgetResponse.objects.bulk_create(
            [
                BudgetResponse(conversation=conversation, channel="paper")
                for _ in range(start, min(start + BATCH, RESPONSES))
            ]
        )
        if responses[0].pk is None:  # backends that do not return ids
            responses = list(BudgetResponse.objects.order_by("-pk")[: len(responses)])
        ProposalAnswer.objects.bulk_create(
            [
                ProposalAnswer(response=r, proposal=p, stance=rng.choice(stances))
                for r in responses
                for p in proposals
            ]
        )
        Allocation.objects.bulk_create(
            [
                Allocation(response=r, line_id=line_id, amount=amount)
                for r in responses
                for line_id, amount in _choices(rng, lines, conversation.target_amount).items()
            ]
        )


def run() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from budget.models import Allocation, BudgetResponse, ProposalAnswer
    from budget.selectors import conversation_results

    conversation = _conversation()
    start = time.perf_counter()
    _data(conversation)
    build_seconds = time.perf_counter() - start

    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            results = conversation_results(conversation=conversation)
        timings.append(time.perf_counter() - start)
    median_line = results["line_rows"][0]
    return {
        "responses": BudgetResponse.objects.count(),
        "proposal_answers": ProposalAnswer.objects.count(),
        "allocations": Allocation.objects.count(),
        "proposals": len(results["proposal_rows"]),
        "lines": len(results["line_rows"]),
        "build_seconds": round(build_seconds, 1),
        "aggregate_runs": RUNS,
        "aggregate_seconds_median": round(statistics.median(timings), 3),
        "aggregate_seconds_max": round(max(timings), 3),
        "aggregate_queries": len(queries),
        "participants_counted": results["participants"],
        "first_line_median": median_line["median"],
        "first_line_iqr": [median_line["q1"], median_line["q3"]],
    }
