"""A reach gap in the officer brief leads to a panel's quota form, pre-filled."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from commissioning import reach as spine_reach
from commissioning.brief import programme_brief
from commissioning.models import DemographicProfile
from commissioning.reach import GroupReach
from panels import reach
from panels.manifest import manifest
from panels.models import Quota
from tests.commissioning.factories import ParticipationFactory, WardFactory, engagement
from tests.panels.factories import make_panel


def gap(attribute="age_band", value="16-24", share=0.2):
    return GroupReach(
        attribute=attribute,
        attribute_label="",
        value=value,
        value_label="",
        participants=None,
        participant_share=None,
        population_share=share,
        under_represented=True,
    )


@pytest.fixture
def panel(home_page, officer):
    # 12 seats, stratified on age band and gender, in the "plan" stage.
    return make_panel(home_page, seats=12, officers=[officer])


@pytest.fixture
def programme(panel):
    return panel.get_parent().specific


def url_for(programme, stage="plan", **kwargs):
    return reach.quota_url(programme=programme, stage=stage, gap=gap(**kwargs))


@pytest.mark.django_db
class TestQuotaUrl:
    def test_links_to_the_panels_quota_form_with_the_gap(self, programme, panel):
        url = urlsplit(url_for(programme))
        assert url.path == reverse("panels_lottery:panel", args=[panel.pk])
        assert parse_qs(url.query) == {
            "attribute": ["age_band"],
            "value": ["16-24"],
            "share": ["0.2000"],
        }
        assert url.fragment == "quotas"

    def test_a_group_without_a_population_share_still_links(self, programme):
        assert "share" not in url_for(programme, share=None)

    def test_no_link_for_what_the_panel_does_not_ask(self, programme):
        assert url_for(programme, attribute="ethnicity", value="black") is None  # not stratified
        assert url_for(programme, attribute="carer", value="yes") is None  # no panel question

    def test_no_link_without_a_panel(self, home_page):
        from tests.commissioning import factories

        programme = factories.programme(factories.programme_index(home_page, slug="other"))
        assert url_for(programme) is None

    def test_a_panel_of_the_same_stage_first_else_the_first(self, home_page, programme, panel):
        later = make_panel(home_page, stage="do")
        later.move(programme, pos="last-child")
        fresh = programme.specific_class.objects.get(pk=programme.pk)
        assert f"/panel/{later.pk}/" in url_for(fresh, stage="do")
        fresh = programme.specific_class.objects.get(pk=programme.pk)
        assert f"/panel/{panel.pk}/" in url_for(fresh, stage="review")

    def test_the_programmes_panels_are_read_once(self, programme, django_assert_num_queries):
        url_for(programme)
        with django_assert_num_queries(0):
            url_for(programme, value="25-34")
            url_for(programme, attribute="gender", value="woman")

    def test_declared_in_the_manifest(self):
        assert manifest().reach_actions == {"Set a panel quota": reach.quota_url}
        assert spine_reach._ACTIONS["Set a panel quota"].url_builder is reach.quota_url


def test_seats_around_a_share():
    assert reach.seats_around(0.2, 12) == (2, 1, 3)  # 2.4 seats: 2
    assert reach.seats_around(0.01, 12) == (0, 0, 1)
    assert reach.seats_around(1.0, 12) == (12, 11, 12)


@pytest.mark.django_db
class TestPrefilledForm:
    def get(self, client, officer, panel, **params):
        client.force_login(officer)
        return client.get(reverse("panels_lottery:panel", args=[panel.pk]), params)

    def test_the_gaps_quota_is_filled_in_not_saved(self, client, officer, panel):
        response = self.get(
            client, officer, panel, attribute="age_band", value="16-24", share="0.2"
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "From the officer brief:" in html and "Age band: 16 to 24" in html
        # At least its fair share of 12 seats (2.4, so 2), and one more at most.
        assert 'name="q-age_band-16-24-min" value="2"' in html
        assert 'name="q-age_band-16-24-max" value="3"' in html
        assert html.count("from the officer brief</span>") == 1
        assert not Quota.objects.exists()

    def test_without_a_share_the_row_is_marked_and_left_empty(self, client, officer, panel):
        html = self.get(client, officer, panel, attribute="gender", value="woman").content.decode()
        assert "set its quota below by hand" in html
        assert 'name="q-gender-woman-min" value=""' in html

    def test_saving_the_filled_in_quota_keeps_it(self, client, officer, panel):
        client.force_login(officer)
        url = reverse("panels_lottery:panel", args=[panel.pk])
        client.post(
            url,
            {"action": "save_quotas", "q-age_band-16-24-min": "2", "q-age_band-16-24-max": "3"},
        )
        quota = Quota.objects.get(panel=panel)
        assert (quota.attribute, quota.value, quota.minimum, quota.maximum) == (
            "age_band",
            "16-24",
            2,
            3,
        )

    @pytest.mark.parametrize(
        "params,reason",
        [
            ({"attribute": "ethnicity", "value": "black"}, "not stratified"),
            ({"attribute": "carer", "value": "yes"}, "not stratified"),
            ({"attribute": "nonsense", "value": "x"}, "not stratified"),
            ({"attribute": "age_band", "value": "200+"}, "is not an answer to Age band"),
            ({"attribute": "age_band", "value": "prefer-not"}, "is not an answer"),
            ({"attribute": "age_band", "value": "16-24", "share": "lots"}, "between 0 and 1"),
            ({"attribute": "age_band", "value": "16-24", "share": "2"}, "between 0 and 1"),
            ({"attribute": "age_band", "value": "16-24", "share": "nan"}, "between 0 and 1"),
            ({"attribute": "age_band", "value": "16-24", "share": "-0.1"}, "between 0 and 1"),
            ({"attribute": ""}, "not stratified"),
        ],
    )
    def test_a_link_that_does_not_fit_fills_nothing_in(
        self, client, officer, panel, params, reason
    ):
        response = self.get(client, officer, panel, **params)
        html = response.content.decode()
        assert response.status_code == 200
        assert "The quota from the officer brief was not filled in" in html and reason in html
        assert "from the officer brief</span>" not in html
        assert 'value="2"' not in html

    def test_only_the_panels_officers(self, client, panel, user_factory):
        from tests.panels.factories import make_officer

        response = self.get(client, make_officer(user_factory), panel, attribute="age_band")
        assert response.status_code == 302


@pytest.mark.django_db
def test_the_brief_flag_leads_to_the_panels_quotas(client, officer, programme, panel):
    ward = WardFactory(
        population=10000,
        demographics={"age_band": {"16-24": 0.3, "25-34": 0.2, "35-49": 0.2, "50-64": 0.3}},
    )
    assert ward  # the only ward, so the programme's area
    where = engagement(programme, stage="plan")
    from tests.accounts.factories import UserFactory

    for age_band, count in (("50-64", 20), ("35-49", 6), ("16-24", 3)):
        for _ in range(count):
            user = UserFactory()
            DemographicProfile.objects.create(user=user, age_band=age_band)
            ParticipationFactory(engagement=where, user=user)
    brief = programme_brief(programme=programme, stage="plan")
    flagged = {row.value: actions for row, actions in brief.under_represented_groups}
    assert set(flagged) == {"16-24", "25-34"}
    ((label, url),) = flagged["16-24"]
    assert label == "Set a panel quota"
    client.force_login(officer)
    html = client.get(reverse("commissioning_brief", args=[programme.pk])).content.decode()
    assert 'Set a panel quota<span class="govuk-visually-hidden"> for 16 to 24' in html
    page = client.get(url).content.decode()
    # 30% of 12 seats: 3.6, so at least 4.
    assert 'name="q-age_band-16-24-min" value="4"' in page
