"""Budget conversations' part of "download my data" and account deletion.

Registered with the spine's registry in `apps.py`. Deletion keeps responses
and comments for the results (a budget decision cites them) but unlinks them
from the person, so the author shows as "Resident" and the respondent id in
exports no longer derives from the account. Flags are the person's own
reports, not contributions: they go.

Comments are the person's words in public: kept, they lose the contact
details and names typed into them; with `remove_contributions` they go.
"""

from commissioning.personal_data import person_names, redact_personal_details

from .models import BudgetResponse, Comment, CommentFlag


def _iso(value):
    return value.isoformat() if value else None


def budget_export(user):
    responses = (
        BudgetResponse.objects.filter(user=user)
        .select_related("conversation", "ward")
        .prefetch_related("answers__proposal", "allocations__line", "comments__proposal")
        .order_by("created_at", "pk")
    )
    records = [
        {
            "conversation": r.conversation.title,
            "channel": r.get_channel_display(),
            "ward": r.ward.name if r.ward else None,
            "wants_feedback": r.wants_feedback,
            "created_at": _iso(r.created_at),
            "updated_at": _iso(r.updated_at),
            "proposals": {a.proposal.reference: a.get_stance_display() for a in r.answers.all()},
            "budget": {a.line.name: a.amount for a in r.allocations.all()},
            "comments": [
                {
                    "about": c.proposal.reference if c.proposal else "Alternative suggestion",
                    "text": c.text,
                    "status": c.get_status_display(),
                    "reason": c.rejection_reason,
                }
                for c in r.comments.all()
            ],
        }
        for r in responses
    ]
    records.extend(
        {"reported_comment": f.comment.text, "reported_at": _iso(f.created_at)}
        for f in CommentFlag.objects.filter(user=user).select_related("comment")
    )
    return records


def budget_anonymise(user, *, remove_contributions=False):
    comments = Comment.objects.filter(response__user=user)
    if remove_contributions:
        comments.delete()
    else:
        names = person_names(user)
        for comment in comments.only("pk", "text"):
            text = redact_personal_details(comment.text, names=names)
            if text != comment.text:
                Comment.objects.filter(pk=comment.pk).update(text=text)
    BudgetResponse.objects.filter(user=user).update(user=None, wants_feedback=False)
    CommentFlag.objects.filter(user=user).delete()
