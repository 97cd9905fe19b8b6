from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.test.utils import WagtailTestUtils

from commissioning.models import (
    DecisionPage,
    EngagementPage,
    ProgrammeIndexPage,
    ProgrammePage,
    ProgrammeStage,
)
from coproduce.models import HomePage, StandardPage
from tests.commissioning import factories

# Constructing a page reads its content type: these tests need the database,
# and fail after any transactional test has flushed the content-type cache.
pytestmark = pytest.mark.django_db


class TestPageTree(WagtailTestUtils):
    def test_programme_index_lives_under_the_home_page_only(self):
        assert ProgrammeIndexPage.allowed_parent_page_models() == [HomePage]
        assert ProgrammeIndexPage.allowed_subpage_models() == [ProgrammePage]

    def test_programmes_live_under_the_index(self):
        assert ProgrammePage.allowed_parent_page_models() == [ProgrammeIndexPage]
        assert not ProgrammePage.can_create_at(HomePage())

    def test_decisions_and_engagements_live_under_programmes(self):
        assert DecisionPage.allowed_parent_page_models() == [ProgrammePage]
        assert DecisionPage.allowed_subpage_models() == []
        assert EngagementPage.allowed_parent_page_models() == [ProgrammePage]
        assert DecisionPage in ProgrammePage.allowed_subpage_models()
        assert DecisionPage not in ProgrammeIndexPage.allowed_subpage_models()
        assert DecisionPage not in StandardPage.allowed_subpage_models()

    def test_the_engagement_base_is_not_creatable_on_its_own(self):
        assert not EngagementPage.is_creatable

    @pytest.mark.django_db
    def test_only_one_programme_index(self, home_page):
        factories.programme_index(home_page)
        assert not ProgrammeIndexPage.can_create_at(home_page)


class TestCurrentStage:
    def make(self, stages):
        page = ProgrammePage(title="P")
        page.stages = [ProgrammeStage(stage=s, starts_on=a, ends_on=b) for s, a, b in stages]
        return page

    def test_the_stage_whose_dates_include_today(self):
        today = date(2026, 11, 22)
        page = self.make(
            [
                ("analyse", date(2026, 1, 1), date(2026, 6, 30)),
                ("plan", date(2026, 7, 1), date(2027, 1, 31)),
                ("do", date(2027, 2, 1), None),
            ]
        )
        assert page.current_stage(today).stage == "plan"

    def test_between_stages_the_latest_started_one(self):
        page = self.make(
            [
                ("analyse", date(2026, 1, 1), date(2026, 3, 31)),
                ("plan", date(2026, 6, 1), date(2026, 8, 31)),
            ]
        )
        assert page.current_stage(date(2026, 5, 1)).stage == "analyse"
        assert page.current_stage(date(2026, 12, 1)).stage == "plan"

    def test_none_before_the_first_stage(self):
        page = self.make([("analyse", date(2026, 1, 1), None)])
        assert page.current_stage(date(2025, 12, 31)) is None

    def test_stage_states(self):
        stage = ProgrammeStage(stage="plan", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31))
        assert stage.state(date(2025, 12, 31)) == "upcoming"
        assert stage.state(date(2026, 1, 15)) == "current"
        assert stage.state(date(2026, 2, 1)) == "done"

    def test_a_stage_cannot_end_before_it_starts(self):
        stage = ProgrammeStage(stage="plan", starts_on=date(2026, 2, 1), ends_on=date(2026, 1, 1))
        with pytest.raises(ValidationError) as error:
            stage.clean()
        assert "ends_on" in error.value.message_dict


@pytest.mark.django_db
class TestEngagementQuerySet:
    def test_open_upcoming_closed_and_closing_within(self, home_page):
        programme = factories.programme(factories.programme_index(home_page))
        open_soon = factories.engagement(programme, window=factories.open_window(days_open=3))
        open_later = factories.engagement(programme, window=factories.open_window(days_open=30))
        upcoming = factories.engagement(programme, window=factories.upcoming_window())
        closed = factories.engagement(programme, window=factories.closed_window())
        assert set(EngagementPage.objects.open()) == {open_soon, open_later}
        assert list(EngagementPage.objects.upcoming()) == [upcoming]
        assert list(EngagementPage.objects.closed()) == [closed]
        assert list(EngagementPage.objects.closing_within(7)) == [open_soon]
        assert open_soon.state() == "open" and upcoming.state() == "upcoming"
        assert closed.state() == "closed" and not closed.is_open()

    def test_engagement_dates_must_be_in_order(self):
        now = timezone.now()
        page = EngagementPage(
            title="x", stage="plan", opens_at=now, closes_at=now - timedelta(hours=1)
        )
        with pytest.raises(ValidationError):
            page.clean()
