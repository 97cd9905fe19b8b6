"""Reads of budget conversations: page context, results and export tables.

Results are aggregated in the database, a fixed number of queries whatever
the number of responses. SQLite has no percentile function, so quantiles are
read with window functions (each line's amounts numbered in order) and only
the few rows around each quantile leave the database.
"""

import hashlib
import hmac

from django.conf import settings
from django.db.models import Avg, Count, F, IntegerField, Max, Min, Q, Value, Window
from django.db.models.functions import RowNumber

from commissioning.charts import bar_chart, stacked_share_chart
from commissioning.summaries import Table

from .models import (
    Allocation,
    BudgetResponse,
    Comment,
    ProposalAnswer,
    pounds,
)

COMMENTS_PREVIEW = 3
# Exports are read by people: the labels they chose from, not stored codes.
CHANNEL_LABELS = dict(BudgetResponse.CHANNELS)
STANCE_LABELS = dict(ProposalAnswer.STANCES)
HISTOGRAM_BINS = 8
QUARTILES = (1, 2, 3)  # in quarters: Q1, median, Q3


def respondent_id(conversation_id, user_id, response_id):
    """A pseudonymous id, stable per person and conversation, not reversible without the key.

    Officers can link one person's rows across exports of a conversation
    without seeing who they are.
    """
    subject = f"user:{user_id}" if user_id else f"response:{response_id}"
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"budget:{conversation_id}:{subject}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return "R-" + digest[:10].upper()


def conversation_has_responses(*, conversation_id):
    return BudgetResponse.objects.filter(conversation_id=conversation_id).exists()


def response_for_user(*, conversation, user):
    """The person's response with its answers, allocations and comments (4 queries), or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        BudgetResponse.objects.filter(conversation=conversation, user=user)
        .prefetch_related("answers", "allocations", "comments")
        .first()
    )


def comments_preview(*, conversation, limit=COMMENTS_PREVIEW):
    """{proposal_id: [latest visible comments]} in one query, at most `limit` each."""
    ranked = (
        Comment.objects.visible()
        .filter(conversation=conversation, proposal__isnull=False)
        .select_related("response__user")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("proposal_id"),
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by("proposal_id", "-created_at", "-pk")
    )
    preview = {}
    for comment in ranked:
        preview.setdefault(comment.proposal_id, []).append(comment)
    return preview


def comment_counts(*, conversation):
    """{proposal_id: number of visible comments}, one query."""
    rows = (
        Comment.objects.visible()
        .filter(conversation=conversation)
        .values("proposal_id")
        .annotate(n=Count("id"))
    )
    return {row["proposal_id"]: row["n"] for row in rows}


# Results ------------------------------------------------------------------


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
    from django.db.models import ExpressionWrapper

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
    from django.db.models import Case, When

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


def _short(proposal, length=26):
    label = f"{proposal.reference} {proposal.title}"
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def conversation_results(*, conversation):
    """Everything the results page and the officer summary show."""
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    proposal_rows = proposal_results(conversation=conversation, proposals=proposals)
    line_rows = line_results(conversation=conversation, lines=lines)
    participants = participant_count(conversation=conversation)
    charts = []
    if proposals:
        chart = stacked_share_chart(
            "What residents said about each proposal",
            [(_short(r["proposal"]), r["counts"]) for r in proposal_rows],
            ProposalAnswer.STANCES,
            description="Share of residents supporting, opposing or unsure about each proposal.",
        )
        # The chart's labels are short to fit; the table names each proposal in full.
        chart.table.columns[0] = "Proposal"
        for row, result in zip(chart.table.rows, proposal_rows, strict=True):
            row[0] = f"{result['proposal'].reference}: {result['proposal'].title}"
        charts.append(chart)
    if lines:
        chart = stacked_share_chart(
            "Residents' choices against the council's proposal",
            [
                (r["line"].name, {"below": r["below"], "same": r["same"], "above": r["above"]})
                for r in line_rows
            ],
            [
                ("below", "Less than proposed"),
                ("same", "As proposed"),
                ("above", "More than proposed"),
            ],
            description="For each budget line, how many residents chose less than, "
            "the same as, or more than the council proposes.",
        )
        chart.table.columns[0] = "Budget line"
        charts.append(chart)
    line_table = Table(
        caption="Residents' choices for each budget line (£)",
        columns=[
            "Line",
            "Current",
            "Council's proposal",
            "Lower quartile",
            "Median",
            "Upper quartile",
            "Responses",
        ],
        rows=[
            [
                r["line"].name,
                pounds(r["line"].current),
                pounds(r["line"].proposed),
                pounds(round(r["q1"])) if r["q1"] is not None else "–",
                pounds(round(r["median"])) if r["median"] is not None else "–",
                pounds(round(r["q3"])) if r["q3"] is not None else "–",
                r["n"],
            ]
            for r in line_rows
        ],
    )
    line_charts = [
        bar_chart(
            f"{r['line'].name}: how many residents chose each amount",
            r["histogram"],
            columns=["Amount", "Residents"],
            description=f"The council proposes {pounds(r['line'].proposed)}; "
            f"residents' median is "
            f"{pounds(round(r['median'])) if r['median'] is not None else 'not yet known'}.",
        )
        for r in line_rows
    ]
    return {
        "participants": participants,
        "proposal_rows": proposal_rows,
        "line_rows": line_rows,
        "charts": charts,
        "line_table": line_table,
        "line_charts": line_charts,
    }


# Exports --------------------------------------------------------------------


def responses_table(*, conversation):
    """One row per response: pseudonymous id, channel, ward, stance per proposal,
    amount per line (three queries)."""
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    stances = {}
    for response_id, proposal_id, stance in ProposalAnswer.objects.filter(
        response__conversation=conversation
    ).values_list("response_id", "proposal_id", "stance"):
        stances[(response_id, proposal_id)] = stance
    amounts = {}
    for response_id, line_id, amount in Allocation.objects.filter(
        response__conversation=conversation
    ).values_list("response_id", "line_id", "amount"):
        amounts[(response_id, line_id)] = amount
    rows = []
    for pk, user_id, channel, ward, created, updated in (
        BudgetResponse.objects.filter(conversation=conversation)
        .order_by("created_at", "pk")
        .values_list("pk", "user_id", "channel", "ward__name", "created_at", "updated_at")
    ):
        rows.append(
            [
                respondent_id(conversation.pk, user_id, pk),
                CHANNEL_LABELS.get(channel, channel),
                ward or "",
                created.isoformat(timespec="seconds"),
                updated.isoformat(timespec="seconds"),
                *[STANCE_LABELS.get(stances.get((pk, p.pk)), "") for p in proposals],
                *[amounts.get((pk, line.pk), "") for line in lines],
            ]
        )
    return Table(
        caption="Responses",
        columns=[
            "Respondent",
            "Channel",
            "Ward",
            "Created",
            "Updated",
            *[f"{p.reference} stance" for p in proposals],
            *[f"{line.name} (£)" for line in lines],
        ],
        rows=rows,
    )


def comments_table(*, conversation):
    rows = []
    for comment in (
        Comment.objects.filter(conversation=conversation)
        .select_related("proposal", "response")
        .annotate(flag_count=Count("flags"))
        .order_by("created_at", "pk")
    ):
        rows.append(
            [
                respondent_id(conversation.pk, comment.response.user_id, comment.response_id),
                comment.proposal.reference if comment.proposal else "Alternative suggestion",
                comment.public_text,
                comment.get_status_display(),
                comment.rejection_reason,
                comment.get_hidden_by_flags_display(),
                comment.flag_count,
                comment.created_at.isoformat(timespec="seconds"),
            ]
        )
    return Table(
        caption="Comments",
        columns=[
            "Respondent",
            "About",
            "Comment",
            "Status",
            "Reason for rejection",
            "Hidden after reports",
            "Reports",
            "Created",
        ],
        rows=rows,
    )


def allocations_table(*, conversation):
    rows = [
        [respondent_id(conversation.pk, user_id, response_id), name, amount, current, proposed]
        for response_id, user_id, name, amount, current, proposed in Allocation.objects.filter(
            response__conversation=conversation
        )
        .order_by("response_id", "line__sort_order", "line_id")
        .values_list(
            "response_id",
            "response__user_id",
            "line__name",
            "amount",
            "line__current",
            "line__proposed",
        )
    ]
    return Table(
        caption="Allocations",
        columns=["Respondent", "Line", "Amount (£)", "Current (£)", "Council's proposal (£)"],
        rows=rows,
    )


EXPORTS = {
    "responses": responses_table,
    "comments": comments_table,
    "allocations": allocations_table,
}
