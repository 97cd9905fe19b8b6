"""What delivery holds about a person: review responses and commitment emails."""

from .models import CommitmentNotice, DeliveryDigest, ReviewResponse
from .services import review_responses_anonymise


def review_responses_export(user):
    responses = (
        ReviewResponse.objects.filter(user=user)
        .select_related("review")
        .prefetch_related("scores__outcome")
        .order_by("created_at", "pk")
    )
    return [
        {
            "review": response.review.title,
            "relationship": response.get_relationship_display(),
            "comment": response.comment,
            "scores": [
                {"outcome": s.outcome.title, "score": s.score, "reason": s.reason}
                for s in sorted(response.scores.all(), key=lambda s: (s.outcome.title, s.pk))
            ],
            "created_at": response.created_at.isoformat(),
        }
        for response in responses
    ]


def commitment_emails_export(user):
    return [
        {
            "email": digest.email,
            "created_at": digest.created_at.isoformat(),
            "sent_at": digest.sent_at().isoformat() if digest.sent_at() else None,
        }
        for digest in DeliveryDigest.objects.filter(user=user)
        .select_related("message")
        .order_by("created_at", "pk")
    ]


def commitment_emails_anonymise(user):
    """Forget where commitment emails went, and the emails; nothing pending is sent any more."""
    from coproduce.messaging import message_links_delete

    digests = DeliveryDigest.objects.filter(user=user)
    emails = set(CommitmentNotice.objects.filter(user=user).values_list("email", flat=True)) | set(
        digests.values_list("email", flat=True)
    )
    CommitmentNotice.objects.filter(user=user).delete()
    message_links_delete(digests)
    if emails:
        from .models import DeliveryRecipient

        DeliveryRecipient.objects.filter(email__in=emails).delete()


__all__ = [
    "commitment_emails_anonymise",
    "commitment_emails_export",
    "review_responses_anonymise",
    "review_responses_export",
]
