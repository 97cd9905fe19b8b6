"""Every page type of the site, made one way: wagtail-factories page factories.

Give each factory its `parent=`; the page is added under it with `add_child`,
as the admin does, so paths, depths and URLs are real. Engagement pages are
open now unless given another window (`open_window`, `closed_window`,
`upcoming_window`). Factories make the page live; `published(page)` also
publishes a revision, for what listens to `page_published` or reads revisions.

App test factories build their richer pages (a conversation with proposals, a
panel with officers) on these, so a page type is set up in one place.
"""

import copy
import inspect
import sys
from datetime import timedelta

import factory
import pytest
import wagtail_factories
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from assetmap.models import AssetCallPage, AssetMapPage
from budget.models import BudgetConversationPage
from commissioning.models import (
    DecisionPage,
    EngagementPage,
    ProgrammeIndexPage,
    ProgrammePage,
)
from consultations.models import ConsultationPage
from coproduce.models import (
    FooterSettings,
    HomePage,
    NavigationSettings,
    SiteSettings,
    StandardPage,
)
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


def site_home():
    """The site's home page, alone under the root, with its site and settings rows.

    What the `home_page` fixture gives; a tree built once starts from it too.
    """
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePage(title="Home", slug="home", introduction="Welcome.")
    root.add_child(instance=home)
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True
    )
    # The settings rows exist, as on a real site: a first request that made
    # them would renew the cached site chrome mid-test.
    for setting in (SiteSettings, NavigationSettings, FooterSettings):
        setting.for_site(site)
    return home


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


# Trees built once per module -------------------------------------------------


def built_once(build):
    """Decorator: a fixture named after `build` whose data is made once per test module.

    `build()` (no arguments) runs before the module's first test that asks for
    the fixture, inside a transaction that stays open until the module's last
    test and is then rolled back, so nothing it saves reaches another module.
    Every test runs in its own transaction on top of it (pytest-django's `db`,
    which the fixture requests), so whatever a test writes is rolled back
    after that test as before; and each test gets a deep copy of what
    `build()` returned, as Django's `setUpTestData` gives, so an object changed
    in memory does not reach the next test either. Caches start empty in
    every test (`_empty_cache` in tests/conftest.py).

    Tests of the module that do not ask for the fixture still see its rows if
    they run after one that did, so convert whole modules, or make sure the
    other tests do not care. Not for `transactional_db` tests. Order does not
    matter: when tests of other modules run in between (xdist, a shuffled
    order), the tree is rolled back and built again for the next one.
    """
    name = build.__name__
    once_name = f"_{name}_built_once"

    def once(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                data = build()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        try:
            yield data
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    def each(request, db, **built):
        if "transactional_db" in request.fixturenames:
            raise pytest.UsageError(f"{name}: a tree built once cannot serve transactional_db")
        return copy.deepcopy(built[once_name])

    # pytest reads a fixture's arguments from its signature: the module's data
    # by its own name, so that pytest sets it up (module scope) before `db`.
    each.__signature__ = inspect.Signature(
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("db", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(once_name, inspect.Parameter.KEYWORD_ONLY),
        ]
    )
    each.__doc__ = build.__doc__
    # pytest finds fixtures among a module's names.
    setattr(
        sys.modules[build.__module__],
        once_name,
        pytest.fixture(once, scope="module", name=once_name),
    )
    return pytest.fixture(each, name=name)
