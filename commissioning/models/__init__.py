"""The commissioning spine's models.

Snippets (`snippets.py`) are reusable editorial objects shared by every
programme; programmes and the engagement base are pages; participations are
plain records.
"""

from .audit import AuditEntry
from .decisions import DecisionItem, DecisionNotification, DecisionPage
from .engagement import EngagementPage, EngagementQuerySet, EngagementResponse, Participation
from .heard import DemographicProfile, HeardSummary
from .programmes import ProgrammeIndexPage, ProgrammePage, ProgrammeStage
from .snippets import AssetCategory, Outcome, SocialValueCriterion, Ward
from .stored import StoredResult

__all__ = [
    "AssetCategory",
    "AuditEntry",
    "DecisionItem",
    "DecisionNotification",
    "DecisionPage",
    "DemographicProfile",
    "EngagementPage",
    "EngagementQuerySet",
    "EngagementResponse",
    "HeardSummary",
    "Outcome",
    "Participation",
    "ProgrammeIndexPage",
    "ProgrammePage",
    "ProgrammeStage",
    "SocialValueCriterion",
    "StoredResult",
    "Ward",
]
