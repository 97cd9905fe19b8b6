"""Citizen commissioner panels.

The panel itself is a page (editorial content with a URL); everything
residents give — applications, scores — and the lottery's records are plain
models, shown to officers through the admin viewsets in `viewsets.py`.
"""

from .appraisal import Criterion, Option, Recommendation, Score
from .invitations import Invitation, InvitationAddress, InvitationDraw, PrintBatch
from .lottery import LotteryEntry, LotteryRun
from .page import PanelPage
from .recruitment import Application, Quota
from .space import Meeting, MeetingPaper

__all__ = [
    "Application",
    "Criterion",
    "Invitation",
    "InvitationAddress",
    "InvitationDraw",
    "LotteryEntry",
    "LotteryRun",
    "Meeting",
    "MeetingPaper",
    "Option",
    "PanelPage",
    "PrintBatch",
    "Quota",
    "Recommendation",
    "Score",
]
