"""The row-by-row budget results the site computed before tallies by value.

Kept only as the tests' reference: `budget.tallies` must give exactly these
figures. Quartiles from every allocation numbered in order (window
functions), counts with filtered aggregates, histogram bins in SQL.
"""

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from budget.models import Allocation, BudgetResponse, ProposalAnswer, pounds

HISTOGRAM_BINS = 8
QUARTILES = (1, 2, 3)


def participant_count(*, conversation):
    return BudgetResponse.objects.filter(conversation=conversation).count()


def proposal_results(*, conversation, proposals):
    """Per proposal: counts and shares of support / oppose / unsure (one query)."""
    rows = (
        ProposalAnswer.objects.filter(response__conversation=conversation)
        .values("proposal_id")
        .annotate(
            support=Count("id", filter=Q(stance=ProposalAnswer.SUPPORT)),
            oppose=Count("id", filter=Q(stance=ProposalAnswer.OPPOSE)),
            unsure=Count("id", filter=Q(stance=ProposalAnswer.UNSURE)),
        )
    )
    by_id = {row["proposal_id"]: row for row in rows}
    results = []
    for proposal in proposals:
        row = by_id.get(proposal.pk, {})
        counts = {s: row.get(s, 0) for s, _ in ProposalAnswer.STANCES}
        total = sum(counts.values())
        shares = {s: round(100 * n / total) if total else 0 for s, n in counts.items()}
        results.append({"proposal": proposal, "counts": counts, "shares": shares, "total": total})
    return results


def _quantile_rows(conversation):
    """The amounts at the positions each quartile interpolates between, per line.

    With n amounts in order (1-based), quartile k/4 lies at position
    1 + (n-1)k/4: between rows floor and ceil of that. Integer division in
    SQL gives the floor on both SQLite and PostgreSQL.
    """
    numbered = Allocation.objects.filter(line__page=conversation).annotate(
        position=Window(RowNumber(), partition_by=F("line_id"), order_by=F("amount").asc()),
        n=Window(Count("id"), partition_by=F("line_id")),
    )
    wanted = Q()
    for k in QUARTILES:
        low = (F("n") - 1) * Value(k) / Value(4) + 1
        high = ((F("n") - 1) * Value(k) + 3) / Value(4) + 1
        numbered = numbered.annotate(
            **{
                f"low{k}": _int(low),
                f"high{k}": _int(high),
            }
        )
        wanted |= Q(position=F(f"low{k}")) | Q(position=F(f"high{k}"))
    return numbered.filter(wanted).values_list("line_id", "position", "n", "amount")


def _int(expression):

    return ExpressionWrapper(expression, output_field=IntegerField())


def _quantiles(rows):
    """{line_id: (q1, median, q3)} from the rows `_quantile_rows` returns."""
    by_line = {}
    sizes = {}
    for line_id, position, n, amount in rows:
        by_line.setdefault(line_id, {})[position] = amount
        sizes[line_id] = n
    result = {}
    for line_id, positions in by_line.items():
        n = sizes[line_id]
        values = []
        for k in QUARTILES:
            exact = (n - 1) * k / 4
            low = int(exact)
            fraction = exact - low
            a = positions[low + 1]
            b = positions.get(low + 2, a) if fraction else a
            values.append(a + (b - a) * fraction)
        result[line_id] = tuple(values)
    return result


def line_results(*, conversation, lines):
    """Per simulator line: residents' median and interquartile range, mean,
    range, and how many chose less than, the same as, or more than the
    council's proposal (three queries)."""
    quantiles = _quantiles(_quantile_rows(conversation))
    aggregates = {
        row["line_id"]: row
        for row in Allocation.objects.filter(line__page=conversation)
        .values("line_id")
        .annotate(
            n=Count("id"),
            mean=Avg("amount"),
            low=Min("amount"),
            high=Max("amount"),
            below=Count("id", filter=Q(amount__lt=F("line__proposed"))),
            same=Count("id", filter=Q(amount=F("line__proposed"))),
            above=Count("id", filter=Q(amount__gt=F("line__proposed"))),
        )
    }
    histograms = _histograms(conversation, lines)
    results = []
    for line in lines:
        row = aggregates.get(line.pk, {})
        q1, median, q3 = quantiles.get(line.pk, (None, None, None))
        results.append(
            {
                "line": line,
                "n": row.get("n", 0),
                "mean": row.get("mean"),
                "low": row.get("low"),
                "high": row.get("high"),
                "q1": q1,
                "median": median,
                "q3": q3,
                "below": row.get("below", 0),
                "same": row.get("same", 0),
                "above": row.get("above", 0),
                "histogram": histograms.get(line.pk, []),
            }
        )
    return results


def _bin_width(line):
    span = line.maximum - line.minimum
    steps = span // line.step + 1
    per_bin = -(-steps // HISTOGRAM_BINS)  # ceiling: whole steps per bin
    return per_bin * line.step


def _histograms(conversation, lines):
    """{line_id: [(label, count)]}: residents' choices in up to HISTOGRAM_BINS bins."""
    if not lines:
        return {}
    widths = {line.pk: _bin_width(line) for line in lines}

    width = Case(
        *[When(line_id=pk, then=Value(w)) for pk, w in widths.items()],
        output_field=IntegerField(),
    )
    rows = (
        Allocation.objects.filter(line__page=conversation)
        .annotate(bin=_int((F("amount") - F("line__minimum")) / width))
        .values("line_id", "bin")
        .annotate(n=Count("id"))
    )
    counts = {}
    for row in rows:
        counts[(row["line_id"], row["bin"])] = row["n"]
    result = {}
    for line in lines:
        w = widths[line.pk]
        bins = []
        start = line.minimum
        index = 0
        while start <= line.maximum:
            end = min(start + w - line.step, line.maximum)
            label = pounds(start) if end == start else f"{pounds(start)}–{pounds(end)}"
            bins.append((label, counts.get((line.pk, index), 0)))
            start += w
            index += 1
        result[line.pk] = bins
    return result
