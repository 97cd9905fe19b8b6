import io

import pytest
from django.core import mail

from commissioning import demo
from commissioning.models import (
    DecisionPage,
    ProgrammeIndexPage,
    ProgrammePage,
    ProgrammeStage,
)
from coproduce.models import HomePageFeatured, NavigationSettings


@pytest.mark.django_db
def test_demo_programmes_are_created_once(home_page):
    demo.load(stdout=io.StringIO())
    demo.finish(stdout=io.StringIO())
    index = ProgrammeIndexPage.objects.get(slug="programmes")
    day_ops = ProgrammePage.objects.get(slug="day-opportunities")
    libraries = ProgrammePage.objects.get(slug="libraries-and-archives")
    assert day_ops.get_parent().pk == index.pk == libraries.get_parent().pk
    assert day_ops.current_stage().stage == "plan"
    assert libraries.current_stage().stage == "review"
    assert ProgrammeStage.objects.filter(programme=day_ops).count() == 4
    assert "mutual" in str(day_ops.stages.get(stage="plan").explainer)
    assert "community benefit society" in str(libraries.stages.get(stage="plan").explainer)
    assert day_ops.outcomes.count() == 3 and libraries.wards.count() == 6
    decision = DecisionPage.objects.get()
    assert decision.live and decision.stage == "analyse" and decision.items.count() >= 3
    assert HomePageFeatured.objects.filter(home=home_page, page=index).exists()
    texts = [b.value["text"] for b in NavigationSettings.for_site(home_page.get_site()).links]
    assert "Programmes" in texts and "Take part now" in texts

    counts = (
        ProgrammePage.objects.count(),
        DecisionPage.objects.count(),
        ProgrammeStage.objects.count(),
        HomePageFeatured.objects.count(),
        len(texts),
    )
    demo.load(stdout=io.StringIO())
    demo.finish(stdout=io.StringIO())
    texts = [b.value["text"] for b in NavigationSettings.for_site(home_page.get_site()).links]
    assert counts == (
        ProgrammePage.objects.count(),
        DecisionPage.objects.count(),
        ProgrammeStage.objects.count(),
        HomePageFeatured.objects.count(),
        len(texts),
    )
    assert mail.outbox == []


@pytest.mark.django_db
def test_demo_pages_render(client, home_page):
    demo.load(stdout=io.StringIO())
    demo.finish(stdout=io.StringIO())
    for url in (
        "/",
        "/programmes/",
        "/programmes/day-opportunities/",
        "/programmes/libraries-and-archives/",
        "/take-part/",
        DecisionPage.objects.get().url,
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_decision_items_cite_the_engagements_loaded_before_finish(home_page):
    from commissioning.models import DecisionItem
    from tests.commissioning import factories

    demo.load(stdout=io.StringIO())
    assert not DecisionPage.objects.exists()
    day_ops = ProgrammePage.objects.get(slug="day-opportunities")
    consultation = factories.engagement(
        day_ops, slug="what-matters-in-day-opportunities", window=factories.closed_window()
    )
    demo.finish(stdout=io.StringIO())
    assert DecisionItem.objects.filter(engagement=consultation).count() == 3
    # The published revision carries the links too, so an editor's next edit keeps them.
    revision_items = DecisionPage.objects.get().get_latest_revision_as_object().items.all()
    assert sum(1 for item in revision_items if item.engagement_id == consultation.pk) == 3
