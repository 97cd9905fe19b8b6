"""Reach by group against the wards' population, suppression and flag actions."""

import pytest
from django.urls import reverse

from commissioning import reach
from commissioning.brief import programme_brief
from commissioning.models import DemographicProfile
from commissioning.reach import register_reach_action
from tests.accounts.factories import PASSWORD, UserFactory
from tests.commissioning import factories
from tests.commissioning.factories import ParticipationFactory, WardFactory


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def people(engagement, count, **answers):
    for _ in range(count):
        user = UserFactory()
        DemographicProfile.objects.create(user=user, **answers)
        ParticipationFactory(engagement=engagement, user=user)


@pytest.fixture
def programme(home_page):
    ward = WardFactory(
        name="Northfield",
        population=10000,
        demographics={
            "age_band": {
                "16-24": 0.2,
                "25-34": 0.2,
                "35-49": 0.2,
                "50-64": 0.2,
                "65-74": 0.1,
                "75+": 0.1,
            }
        },
    )
    programme = factories.programme(factories.programme_index(home_page), wards=[ward])
    engagement = factories.engagement(programme, stage="plan")
    people(engagement, 50, age_band="50-64", carer="yes")
    people(engagement, 10, age_band="35-49")
    people(engagement, 6, age_band="25-34")
    people(engagement, 3, age_band="16-24")  # fewer than 5: suppressed
    people(engagement, 2, age_band="prefer-not")
    return programme


def rows(brief, attribute):
    return {row.value: row for row in brief.group_reach if row.attribute == attribute}


@pytest.mark.django_db
class TestGroupReach:
    def test_counts_against_population_and_flags(self, programme):
        ages = rows(programme_brief(programme=programme), "age_band")
        assert ages["50-64"].participants == 50
        assert ages["50-64"].participant_share == pytest.approx(50 / 69)
        assert ages["50-64"].population_share == pytest.approx(0.2)
        assert not ages["50-64"].under_represented
        assert ages["25-34"].participants == 6 and ages["25-34"].under_represented
        assert not ages["35-49"].under_represented
        assert ages["16-24"].under_represented  # flagged even though its count is hidden

    def test_groups_under_five_are_suppressed_and_the_next_smallest_too(self, programme):
        ages = rows(programme_brief(programme=programme), "age_band")
        # 16-24 (3) is under 5; 65-74 and 75+ (0) too, so nothing is worked out by
        # subtraction and 25-34 stays.
        assert ages["16-24"].suppressed and ages["16-24"].participant_share is None
        assert ages["65-74"].suppressed and ages["75+"].suppressed
        assert not ages["25-34"].suppressed

    def test_one_small_group_alone_takes_the_next_smallest_with_it(self):
        hidden = reach._suppressed({"a": 3, "b": 10, "c": 40}, ["a", "b", "c"])
        assert hidden == {"a", "b"}

    def test_a_person_in_two_engagements_counts_once(self, programme):
        second = factories.engagement(programme, stage="plan")
        first = programme.get_children().first().specific
        for participation in first.participations.filter(
            user__demographic_profile__age_band="35-49"
        ):
            ParticipationFactory(engagement=second, user=participation.user)
        ages = rows(programme_brief(programme=programme), "age_band")
        assert ages["35-49"].participants == 10
        assert ages["50-64"].participant_share == pytest.approx(50 / 69)

    def test_a_group_with_no_ward_share_is_counted_not_compared(self, programme):
        carers = rows(programme_brief(programme=programme), "carer")
        assert carers["yes"].participants == 50
        assert carers["yes"].population_share is None and not carers["yes"].under_represented

    def test_suppressed_counts_never_in_the_page_or_downloads(self, client, officer, programme):
        login(client, officer)
        url = reverse("commissioning_brief", args=[programme.pk])
        html = client.get(url).content.decode()
        assert "Reach by group" in html and "Age band: 16 to 24" in html
        body = client.get(url, {"format": "csv", "table": "reach-by-group"}).content.decode(
            "utf-8-sig"
        )
        line = next(line for line in body.splitlines() if line.startswith("Age band: 16 to 24"))
        assert line == "Age band: 16 to 24,Fewer than 5,Fewer than 5,20.0,Yes"
        assert "Age band: 50 to 64,50,72.5,20.0,No" in body

    def test_a_flag_links_to_registered_actions(self, client, officer, programme, monkeypatch):
        monkeypatch.setattr(reach, "_ACTIONS", {})

        def quota_url(*, programme, stage, gap):
            return f"/quota/?{gap.attribute}={gap.value}"

        register_reach_action("Set panel quotas", quota_url)
        login(client, officer)
        html = client.get(reverse("commissioning_brief", args=[programme.pk])).content.decode()
        assert 'href="/quota/?age_band=25-34"' in html and "Set panel quotas" in html
        assert 'href="/quota/?age_band=50-64"' not in html

    def test_brief_queries_do_not_grow_with_people(self, programme, django_assert_max_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            programme_brief(programme=programme)
        engagement = programme.get_children().first().specific
        people(engagement, 30, age_band="65-74", gender="woman")
        with django_assert_max_num_queries(len(before.captured_queries)):
            programme_brief(programme=programme)
