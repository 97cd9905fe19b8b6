"""Budget results from counts by value, stored once a conversation closes.

A conversation's results follow from two tallies: for each proposal, how
many residents chose each stance; for each simulator line, how many chose
each amount. Amounts move in whole steps between a line's minimum and
maximum, so a line has a few dozen distinct amounts however many people
respond: the database groups 700,000 allocations into a few hundred
(line, amount, count) rows, and the median, quartiles, mean, range,
histogram and the counts against the council's proposal all follow exactly
from those rows, without numbering every allocation. Responses by channel
(online, paper) are tallied the same way.

While a conversation is open the tallies are counted on each read (three
grouped queries and the responses' fingerprint). Once it has closed they are
computed once and stored (`commissioning.stored`), so its results page and
the officer brief read one row.
"""

from django.db.models import Count, Max

from commissioning.stored import stored_result

from .models import Allocation, BudgetResponse, ProposalAnswer, pounds

TALLIES = "budget.tallies"
# Raise when the payload's shape or meaning changes: stored tallies are then counted again.
TALLIES_VERSION = 1
HISTOGRAM_BINS = 8
QUARTILES = (1, 2, 3)  # in quarters: Q1, median, Q3


def responses_state(*, conversation):
    """(how many responses, their fingerprint: count, last id, last change), one query."""
    state = BudgetResponse.objects.filter(conversation=conversation).aggregate(
        n=Count("pk"), top=Max("pk"), last=Max("updated_at")
    )
    last = state["last"].isoformat() if state["last"] else ""
    return state["n"], f"{state['n']}:{state['top'] or 0}:{last}"


def count_tallies(*, conversation):
    """{"stances": [[proposal_id, stance, n]], "amounts": [[line_id, amount, n]],
    "channels": [[channel, n]]} (three queries)."""
    stances = (
        ProposalAnswer.objects.filter(proposal__page=conversation)
        .values_list("proposal_id", "stance")
        .annotate(n=Count("pk"))
        .order_by("proposal_id", "stance")
    )
    amounts = (
        Allocation.objects.filter(line__page=conversation)
        .values_list("line_id", "amount")
        .annotate(n=Count("pk"))
        .order_by("line_id", "amount")
    )
    channels = (
        BudgetResponse.objects.filter(conversation=conversation)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by("channel")
    )
    return {
        "stances": [list(row) for row in stances],
        "amounts": [list(row) for row in amounts],
        "channels": [list(row) for row in channels],
    }


def conversation_tallies(*, conversation):
    """(participants, tallies): counted while open, stored once closed (see the module)."""
    participants, fingerprint = responses_state(conversation=conversation)
    tallies = stored_result(
        engagement=conversation,
        name=TALLIES,
        version=TALLIES_VERSION,
        fingerprint=fingerprint,
        compute=lambda: count_tallies(conversation=conversation),
    )
    return participants, tallies


# From the tallies to the figures ---------------------------------------------


def proposal_figures(proposal, counts):
    """Counts and whole-number shares of each stance for one proposal ({stance: n} given)."""
    counts = {stance: counts.get(stance, 0) for stance, _ in ProposalAnswer.STANCES}
    total = sum(counts.values())
    shares = {s: round(100 * n / total) if total else 0 for s, n in counts.items()}
    return {"proposal": proposal, "counts": counts, "shares": shares, "total": total}


def quantile(counts, n, k):
    """The k-th quartile of the amounts in `counts` [(amount, how many)], ascending.

    With n amounts in order (1-based), quartile k/4 lies at position
    1 + (n-1)k/4, interpolated linearly between the amounts at the positions
    either side (the "linear" method, numpy's default and Excel's QUARTILE.INC).
    """
    exact = (n - 1) * k / 4
    low = int(exact)
    fraction = exact - low
    a = _amount_at(counts, low + 1)
    b = _amount_at(counts, low + 2) if fraction else a
    return a + (b - a) * fraction


def _amount_at(counts, position):
    seen = 0
    for amount, many in counts:
        seen += many
        if seen >= position:
            return amount
    raise IndexError(position)


def _bin_width(line):
    span = line.maximum - line.minimum
    steps = span // line.step + 1
    per_bin = -(-steps // HISTOGRAM_BINS)  # ceiling: whole steps per bin
    return per_bin * line.step


def _truncated(numerator, denominator):
    """Integer division rounding towards zero, as SQL does."""
    quotient = abs(numerator) // denominator
    return quotient if numerator >= 0 else -quotient


def histogram(line, counts):
    """[(label, residents)] in up to HISTOGRAM_BINS bins of whole steps."""
    width = _bin_width(line)
    per_bin = {}
    for amount, many in counts:
        index = _truncated(amount - line.minimum, width)
        per_bin[index] = per_bin.get(index, 0) + many
    bins = []
    start, index = line.minimum, 0
    while start <= line.maximum:
        end = min(start + width - line.step, line.maximum)
        label = pounds(start) if end == start else f"{pounds(start)}–{pounds(end)}"
        bins.append((label, per_bin.get(index, 0)))
        start += width
        index += 1
    return bins


def line_figures(line, counts):
    """Residents' choices for one line from [(amount, how many)] in ascending amounts."""
    n = sum(many for _, many in counts)
    figures = {
        "line": line,
        "n": n,
        "mean": None,
        "low": None,
        "high": None,
        "q1": None,
        "median": None,
        "q3": None,
        "below": sum(many for amount, many in counts if amount < line.proposed),
        "same": sum(many for amount, many in counts if amount == line.proposed),
        "above": sum(many for amount, many in counts if amount > line.proposed),
        "histogram": histogram(line, counts),
    }
    if n:
        figures["mean"] = sum(amount * many for amount, many in counts) / n
        figures["low"], figures["high"] = counts[0][0], counts[-1][0]
        figures["q1"], figures["median"], figures["q3"] = (
            quantile(counts, n, k) for k in QUARTILES
        )
    return figures


def results_from_tallies(*, tallies, proposals, lines):
    """(proposal rows, line rows) in the order of `proposals` and `lines`."""
    stances, amounts = {}, {}
    for proposal_id, stance, many in tallies["stances"]:
        stances.setdefault(proposal_id, {})[stance] = many
    for line_id, amount, many in tallies["amounts"]:
        amounts.setdefault(line_id, []).append((amount, many))
    proposal_rows = [proposal_figures(p, stances.get(p.pk, {})) for p in proposals]
    line_rows = [line_figures(line, sorted(amounts.get(line.pk, []))) for line in lines]
    return proposal_rows, line_rows
