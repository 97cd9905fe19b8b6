"""The commissioning spine's models.

Snippets (`snippets.py`) are reusable editorial objects shared by every
programme; programmes and the engagement base are pages; participations are
plain records.
"""

from .engagement import EngagementPage, EngagementQuerySet, Participation
from .programmes import ProgrammeIndexPage, ProgrammePage
from .snippets import AssetCategory, Outcome, SocialValueCriterion, Ward

__all__ = [
    "AssetCategory",
    "EngagementPage",
    "EngagementQuerySet",
    "Outcome",
    "Participation",
    "ProgrammeIndexPage",
    "ProgrammePage",
    "SocialValueCriterion",
    "Ward",
]
