"""Reads of budget conversations: page context, results and export tables.

Results come from tallies counted by value in the database (`tallies`): a
fixed number of queries, and a few hundred rows, whatever the number of
responses; once a conversation has closed they are stored and read back.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from commissioning.charts import bar_chart, stacked_share_chart
from commissioning.summaries import Table
from coproduce.cache import GENERATION_KEY, remembered

from .models import (
    Allocation,
    BudgetResponse,
    Comment,
    ProposalAnswer,
    pounds,
)
from .tallies import conversation_tallies, results_from_tallies

COMMENTS_PREVIEW = 3
# Exports are read by people: the labels they chose from, not stored codes.
CHANNEL_LABELS = dict(BudgetResponse.CHANNELS)
STANCE_LABELS = dict(ProposalAnswer.STANCES)


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


@dataclass(frozen=True)
class ShownComment:
    """A published comment as the conversation page shows it to everyone."""

    pk: int
    public_text: str
    author_name: str
    author_id: int | None
    created_at: datetime


def comments_preview(*, conversation, limit=COMMENTS_PREVIEW):
    """{proposal_id: [latest visible comments]}, at most `limit` each.

    The same for everyone who opens the page, so it is read in one query once
    per content generation (a new, approved, hidden or reported comment starts
    one) and kept as plain values: names and masked text, nothing else of the
    person who wrote it. A changed display name shows with the next
    generation, as on the page the anonymous cache keeps.
    """

    def read():
        return _comments_preview(conversation=conversation, limit=limit)

    return remembered(GENERATION_KEY, f"budget-comments:{conversation.pk}:{limit}", read)


def _comments_preview(*, conversation, limit):
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
        shown = ShownComment(
            pk=comment.pk,
            public_text=comment.public_text,
            author_name=comment.author_name,
            author_id=comment.response.user_id if comment.response_id else None,
            created_at=comment.created_at,
        )
        preview.setdefault(comment.proposal_id, []).append(shown)
    return preview


def comment_counts(*, conversation):
    """{proposal_id: number of visible comments}, one query a content generation."""

    def read():
        rows = (
            Comment.objects.visible()
            .filter(conversation=conversation)
            .values("proposal_id")
            .annotate(n=Count("id"))
        )
        return {row["proposal_id"]: row["n"] for row in rows}

    return remembered(GENERATION_KEY, f"budget-comment-counts:{conversation.pk}", read)


# Results ------------------------------------------------------------------


def _short(proposal, length=26):
    label = f"{proposal.reference} {proposal.title}"
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def conversation_results(*, conversation):
    """Everything the results page and the officer summary show."""
    proposals = list(conversation.proposals.all())
    lines = list(conversation.lines.all())
    participants, tallies = conversation_tallies(conversation=conversation)
    proposal_rows, line_rows = results_from_tallies(
        tallies=tallies, proposals=proposals, lines=lines
    )
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
        "channels": dict(tallies["channels"]),
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
