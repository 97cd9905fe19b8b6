"""Every page type of the site, made one way: wagtail-factories page factories.

Give each factory its `parent=`; the page is added under it with `add_child`,
as the admin does, so paths, depths and URLs are real. Engagement pages are
open now unless given another window (`open_window`, `closed_window`,
`upcoming_window`). Factories make the page live; `published(page)` also
publishes a revision, for what listens to `page_published` or reads revisions.

App test factories build their richer pages (a conversation with proposals, a
panel with officers) on these, so a page type is set up in one place.
"""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from assetmap.models import AssetCallPage, AssetMapPage
from budget.models import BudgetConversationPage
from commissioning.models import (
    DecisionPage,
    EngagementPage,
    ProgrammeIndexPage,
    ProgrammePage,
)
from consultations.models import ConsultationPage
from coproduce.models import StandardPage
from delivery.models import ServiceReviewPage
from panels.models import PanelPage

# Windows ---------------------------------------------------------------------


def open_window(days_open=14):
    """opens_at/closes_at for an engagement open now."""
    now = timezone.now()
    return {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=days_open)}


def closed_window(days_ago=1):
    now = timezone.now()
    return {"opens_at": now - timedelta(days=30), "closes_at": now - timedelta(days=days_ago)}


def upcoming_window(days_ahead=5):
    now = timezone.now()
    return {
        "opens_at": now + timedelta(days=days_ahead),
        "closes_at": now + timedelta(days=days_ahead + 14),
    }


def published(page):
    """Publish a revision of `page` (signals fire) and return it fresh from the database."""
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


# The spine -------------------------------------------------------------------


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Guidance page {n}")
    slug = factory.Sequence(lambda n: f"guidance-{n}")
    introduction = "What this page is about."


class ProgrammeIndexPageFactory(wagtail_factories.PageFactory):
    """The programmes index; asking again under the same parent returns the same page."""

    class Meta:
        model = ProgrammeIndexPage
        django_get_or_create = ("parent", "slug")

    title = "Programmes"
    slug = "programmes"


class ProgrammePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")


def programme_under(home, **fields):
    """A programme under the site's programmes index (made if missing).

    With a `slug` that already names a programme there, that programme.
    """
    index = ProgrammeIndexPageFactory(parent=home)
    slug = fields.get("slug")
    if slug:
        existing = ProgrammePage.objects.child_of(index).filter(slug=slug).first()
        if existing is not None:
            return existing
    return ProgrammePageFactory(parent=index, **fields)


class EngagementPageFactory(wagtail_factories.PageFactory):
    """A bare engagement page (enough for the spine); every engagement page type's base."""

    class Meta:
        model = EngagementPage

    title = factory.Sequence(lambda n: f"Engagement {n}")
    slug = factory.Sequence(lambda n: f"engagement-{n}")
    stage = "analyse"
    opens_at = factory.LazyFunction(lambda: open_window()["opens_at"])
    closes_at = factory.LazyFunction(lambda: open_window()["closes_at"])


class DecisionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DecisionPage

    title = "What we decided"
    slug = factory.Sequence(lambda n: f"what-we-decided-{n}")
    stage = "analyse"
    decision_maker = "Cabinet"
    decided_on = factory.LazyFunction(timezone.localdate)


# Engagement apps -------------------------------------------------------------


class BudgetConversationPageFactory(EngagementPageFactory):
    class Meta:
        model = BudgetConversationPage

    title = factory.Sequence(lambda n: f"Budget conversation {n}")
    slug = factory.Sequence(lambda n: f"budget-conversation-{n}")
    stage = "plan"
    introduction = "Help us close the gap."
    net_budget = 212_000_000
    gap = 9_800_000
    target_kind = BudgetConversationPage.SAVINGS
    target_amount = 500_000


class ConsultationPageFactory(EngagementPageFactory):
    class Meta:
        model = ConsultationPage

    title = "Future of Kelderby's libraries"
    slug = factory.Sequence(lambda n: f"consultation-{n}")


class PanelPageFactory(EngagementPageFactory):
    class Meta:
        model = PanelPage

    title = factory.Sequence(lambda n: f"Panel {n}")
    slug = factory.Sequence(lambda n: f"panel-{n}")
    stage = "plan"
    purpose = "<p>Appraise the options.</p>"
    commitment = "Six evenings."
    eligibility = "Residents aged 16 and over."
    seats = 4


class AssetCallPageFactory(EngagementPageFactory):
    class Meta:
        model = AssetCallPage

    title = "Share your assets"
    slug = factory.Sequence(lambda n: f"share-assets-{n}")


class AssetMapPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AssetMapPage

    title = "Community assets"
    slug = "assets"


class ServiceReviewPageFactory(EngagementPageFactory):
    class Meta:
        model = ServiceReviewPage

    title = factory.Sequence(lambda n: f"Review {n}")
    slug = factory.Sequence(lambda n: f"review-{n}")
    stage = "review"
