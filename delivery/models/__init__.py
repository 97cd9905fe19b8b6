"""Delivery and review: what a decision commissions, what the council committed
to, how it is measured, and how residents judge the result.

Arrangements, commitments and indicators are plain models with revisions
(officers' records, not editorial pages; every change is a revision in
Wagtail's history). The review engagement is a page under a programme, like
every other engagement; what residents answer in it is citizen data, kept in
plain models.
"""

from .arrangements import DeliveryArrangement
from .commitments import Commitment, CommitmentUpdate
from .indicators import Indicator, Reading
from .notifications import CommitmentNotice, DeliveryDigest, DeliveryRecipient
from .reviews import ReviewDecision, ReviewResponse, ReviewScore, ServiceReviewPage

__all__ = [
    "Commitment",
    "CommitmentNotice",
    "CommitmentUpdate",
    "DeliveryArrangement",
    "DeliveryDigest",
    "DeliveryRecipient",
    "Indicator",
    "Reading",
    "ReviewDecision",
    "ReviewResponse",
    "ReviewScore",
    "ServiceReviewPage",
]
