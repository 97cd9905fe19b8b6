"""A borough with one page of every public type, and more of everything to add to it."""

from datetime import timedelta

from django.utils import timezone

from commissioning.models import HeardSummary
from coproduce.models import HomePageFeatured
from tests.assetmap.factories import AssetCategoryFactory, AssetFactory, assets_bulk
from tests.budget.factories import conversation_factory, programme_for
from tests.commissioning.factories import OutcomeFactory, WardFactory, decision
from tests.consultations.factories import consultation_page
from tests.delivery.factories import commitment, delivered_programme, indicator
from tests.pages import (
    AssetCallPageFactory,
    AssetMapPageFactory,
    BudgetConversationPageFactory,
    ConsultationPageFactory,
    PanelPageFactory,
    ServiceReviewPageFactory,
    StandardPageFactory,
    closed_window,
)


def _programme_rows(programme):
    from commissioning.models import ProgrammeStage

    today = timezone.localdate()
    ProgrammeStage.objects.create(
        programme=programme, stage="analyse", starts_on=today - timedelta(days=60)
    )
    programme.outcomes.add(OutcomeFactory())
    programme.wards.add(WardFactory())


def _engagements(programme, number):
    for _ in range(number):
        BudgetConversationPageFactory(parent=programme)
        AssetCallPageFactory(parent=programme)
        PanelPageFactory(parent=programme)
        ConsultationPageFactory(parent=programme)
        ServiceReviewPageFactory(parent=programme)


def _commitments(decided, officer, number):
    for _ in range(number):
        indicator(commitment(decided, officer), officer)


def borough_of(home_page, officer):
    """One page of every public type, with a little of everything on it."""
    budget = conversation_factory(home_page)
    programme = programme_for(home_page)
    _programme_rows(programme)
    _, decided, _ = delivered_programme(home_page, index=programme.get_parent())
    _commitments(decided, officer, 1)
    about = StandardPageFactory(parent=home_page, title="Library opening hours")
    HomePageFeatured.objects.create(home=home_page, page=about, sort_order=0)
    heard = consultation_page(programme, slug="heard-consultation", **closed_window())
    HeardSummary.objects.create(engagement=heard, content={}, published_at=timezone.now())
    category = AssetCategoryFactory(name="Libraries")
    asset = AssetFactory(name="Central library", category=category)
    pages = {
        "home": "/",
        "standard page": about.url,
        "take part": "/take-part/",
        "programme index": programme.get_parent().url,
        "programme": programme.url,
        "budget conversation": budget.url,
        "asset call": AssetCallPageFactory(parent=programme).url,
        "citizen panel": PanelPageFactory(parent=programme).url,
        "consultation": consultation_page(programme).url,
        "service review": ServiceReviewPageFactory(parent=programme).url,
        "decision": decision(programme, items=[_item()]).url,
        "what we heard": heard.url,
        "asset map": AssetMapPageFactory(parent=home_page).url,
        "an asset": asset.get_absolute_url(),
        "GeoJSON": "/api/assets.geojson",
        "search": "/search/?query=library",
        "what we said we would do": "/what-we-said-we-would-do/",
    }
    return {
        "home": home_page,
        "programme": programme,
        "category": category,
        "pages": pages,
        "decided": decided,
        "officer": officer,
    }


def _item(number=0):
    return {
        "theme": f"Theme {number}",
        "people_said": "Keep it open.",
        "decided": "Kept open.",
        "reason": "Most people asked.",
    }


def grow(borough):
    """More of everything the pages list, count or search."""
    home, programme = borough["home"], borough["programme"]
    _engagements(programme, 2)
    for number in range(3):
        decision(programme, slug=f"decided-{number}", items=[_item(i) for i in range(4)])
        page = StandardPageFactory(parent=home, title=f"Library news {number}")
        HomePageFeatured.objects.create(home=home, page=page, sort_order=number + 1)
    _programme_rows(programme)
    ward = WardFactory(name="Dunmere", postcode_prefixes="KX6")
    assets_bulk(30, category=borough["category"], ward=ward)
    _commitments(borough["decided"], borough["officer"], 3)
