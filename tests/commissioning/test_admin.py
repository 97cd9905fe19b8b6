import re
from html import unescape
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from commissioning.brief import programme_brief
from commissioning.models import SocialValueCriterion
from commissioning.rules import can_view_brief, can_view_own_participation
from commissioning.summaries import Figure, Summary, register_summary
from tests.accounts.factories import PASSWORD
from tests.commissioning import factories
from tests.commissioning.factories import ParticipationFactory, WardFactory
from tests.refusals import assert_sent_to_dashboard, assert_sent_to_sign_in


@pytest.fixture
def superuser(user_factory):
    return user_factory(email="admin@example.org", is_staff=True, is_superuser=True)


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


@pytest.mark.django_db
class TestSnippetListings:
    def test_wards_listing_and_search(self, client, superuser):
        WardFactory(name="Abbeyfield")
        WardFactory(name="Brookside")
        login(client, superuser)
        url = reverse("wagtailsnippets_commissioning_ward:list")
        html = client.get(url).content.decode()
        assert "Abbeyfield" in html and "Brookside" in html
        html = client.get(url, {"q": "Brook"}).content.decode()
        assert "Brookside" in html and "Abbeyfield" not in html

    def test_criteria_filter_by_theme(self, client, superuser):
        SocialValueCriterion.objects.create(title="Pays the real living wage", theme="jobs")
        SocialValueCriterion.objects.create(title="Carbon reduction", theme="environment")
        login(client, superuser)
        url = reverse("wagtailsnippets_commissioning_socialvaluecriterion:list")
        html = client.get(url, {"theme": "jobs"}).content.decode()
        assert "Pays the real living wage" in html and "Carbon reduction" not in html

    @pytest.mark.parametrize(
        "model", ["outcome", "assetcategory", "participation", "decisionnotification"]
    )
    def test_other_listings_render(self, client, superuser, home_page, model):
        programme = factories.programme(factories.programme_index(home_page))
        ParticipationFactory(engagement=factories.engagement(programme), email="x@example.org")
        login(client, superuser)
        response = client.get(reverse(f"wagtailsnippets_commissioning_{model}:list"))
        assert response.status_code == 200

    def test_officers_see_participations_but_may_not_add_them(self, client, officer):
        login(client, officer)
        assert (
            client.get(reverse("wagtailsnippets_commissioning_participation:list")).status_code
            == 200
        )
        response = client.get(reverse("wagtailsnippets_commissioning_participation:add"))
        assert_sent_to_dashboard(response)


@pytest.mark.django_db
class TestPageEditing:
    def test_programme_and_decision_edit_forms_render(self, client, superuser, home_page):
        programme = factories.programme(factories.programme_index(home_page))
        decision = factories.decision(programme)
        login(client, superuser)
        for page in (programme, decision):
            response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            assert response.status_code == 200
        add = reverse(
            "wagtailadmin_pages:add", args=["commissioning", "decisionpage", programme.pk]
        )
        assert client.get(add).status_code == 200


class TestRules:
    def test_brief_is_for_officers(self, db, officer, editor, resident):
        assert can_view_brief(officer)
        assert not can_view_brief(editor)
        assert not can_view_brief(resident)

    def test_anonymous_people_have_no_participation_page(self):
        from django.contrib.auth.models import AnonymousUser

        assert not can_view_own_participation(AnonymousUser())
        assert not can_view_brief(AnonymousUser())


@pytest.fixture
def programme_with_reach(home_page):
    big = WardFactory(name="Big", population=9000)
    small = WardFactory(name="Small", population=1000)
    programme = factories.programme(
        factories.programme_index(home_page), title="Libraries", wards=[big, small]
    )
    engagement = factories.engagement(programme, stage="review", title="Your library")
    # 20 people: 19 from Big (90% of the population), 1 from Small (10%), 2 unknown.
    for _ in range(19):
        ParticipationFactory(engagement=engagement, ward=big, wants_feedback=True)
    ParticipationFactory(engagement=engagement, ward=small)
    ParticipationFactory(engagement=engagement, ward=None)
    ParticipationFactory(engagement=engagement, ward=None)
    return programme


@pytest.mark.django_db
class TestBrief:
    def test_reach_flags_under_represented_wards(self, programme_with_reach):
        brief = programme_brief(programme=programme_with_reach)
        assert brief.total == 22 and brief.wants_feedback == 19 and brief.unknown_ward == 2
        rows = {row.ward: row for row in brief.reach}
        assert rows["Big"].participant_share == pytest.approx(0.95)
        assert rows["Big"].population_share == pytest.approx(0.9)
        assert not rows["Big"].under_represented
        assert rows["Small"].ratio == pytest.approx(0.5)
        assert not rows["Small"].under_represented  # exactly half is not below half

    def test_a_ward_below_half_its_share_is_flagged(self, programme_with_reach):
        engagement = programme_with_reach.get_children().get()
        big = WardFactory(name="Big")
        for _ in range(20):
            ParticipationFactory(engagement_id=engagement.pk, ward=big)
        brief = programme_brief(programme=programme_with_reach)
        assert [row.ward for row in brief.under_represented] == ["Small"]

    def test_stage_filter(self, programme_with_reach):
        assert programme_brief(programme=programme_with_reach, stage="plan").total == 0
        assert programme_brief(programme=programme_with_reach, stage="review").total == 22

    def test_assembles_registered_summaries(self, programme_with_reach):
        from commissioning.models import EngagementPage

        def provider(engagement):
            return Summary(engagement=engagement, figures=[Figure("Responses", "20")])

        register_summary(EngagementPage, provider)
        try:
            brief = programme_brief(programme=programme_with_reach)
        finally:
            from commissioning import summaries

            summaries._PROVIDERS.pop(EngagementPage, None)
        assert [s.figures[0].value for s in brief.summaries] == ["20"]

    def test_officers_read_the_brief(self, client, officer, programme_with_reach):
        login(client, officer)
        url = reverse("commissioning_brief", args=[programme_with_reach.pk])
        html = client.get(url).content.decode()
        assert "Libraries" in html and "Reach by ward" in html
        assert "People taking part each week" in html
        assert "<svg" in html and "<table" in html

    def test_reach_downloads(self, client, officer, programme_with_reach):
        login(client, officer)
        url = reverse("commissioning_brief", args=[programme_with_reach.pk])
        csv = client.get(url, {"format": "csv"})
        assert csv["Content-Type"].startswith("text/csv")
        body = csv.content.decode("utf-8-sig")
        assert body.splitlines()[0].startswith("Ward,Participants")
        assert "Small,1,5.0,1000,10.0,0.5,No" in body
        xlsx = client.get(url, {"format": "xlsx"})
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    @pytest.mark.parametrize("query", ["", "?stage=review"])
    def test_download_links_on_the_page_answer_csv_and_xlsx(
        self, client, officer, programme_with_reach, query
    ):
        login(client, officer)
        page_url = reverse("commissioning_brief", args=[programme_with_reach.pk]) + query
        html = client.get(page_url).content.decode()
        links = {
            text: urljoin("http://testserver" + page_url, unescape(href))
            for href, text in re.findall(r'<a class="govuk-link" href="([^"]*)">(CSV|Excel)', html)
        }
        assert set(links) == {"CSV", "Excel"}
        csv = client.get(links["CSV"])
        assert csv["Content-Type"].startswith("text/csv")
        assert csv["Content-Disposition"].endswith(f'{"-review" if query else ""}.csv"')
        xlsx = client.get(links["Excel"])
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    def test_bad_stage_is_ignored(self, client, officer, programme_with_reach):
        login(client, officer)
        url = reverse("commissioning_brief", args=[programme_with_reach.pk])
        assert client.get(url, {"stage": "nonsense"}).status_code == 200

    def test_editors_and_residents_may_not(self, client, editor, resident, programme_with_reach):
        url = reverse("commissioning_brief", args=[programme_with_reach.pk])
        login(client, editor)
        assert_sent_to_dashboard(client.get(url))
        client.logout()
        login(client, resident)
        assert_sent_to_sign_in(client.get(url))
        client.logout()
        assert client.get(url).status_code == 302

    def test_index_and_button(self, client, officer, programme_with_reach):
        login(client, officer)
        html = client.get(reverse("commissioning_briefs")).content.decode()
        assert "Libraries" in html
        brief_url = reverse("commissioning_brief", args=[programme_with_reach.pk])
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[programme_with_reach.pk]))
        assert brief_url in edit.content.decode()
        assert (
            reverse("commissioning_briefs")
            in client.get(reverse("wagtailadmin_home")).content.decode()
        )


@pytest.mark.django_db
class TestDecisionAdminForm:
    def post(self, client, programme, engagement):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

        url = reverse(
            "wagtailadmin_pages:add", args=["commissioning", "decisionpage", programme.pk]
        )
        data = nested_form_data(
            {
                "title": "What we decided",
                "slug": "what-we-decided",
                "introduction": "",
                "stage": "analyse",
                "decision_maker": "Cabinet",
                "decided_on": "2026-11-01",
                "record_url": "",
                "summary": rich_text("<p>Agreed.</p>"),
                "items": inline_formset(
                    [
                        {
                            "theme": "More time out",
                            "people_said": "Less time in one room.",
                            "engagement": engagement.pk,
                            "decided": "Half the week out.",
                            "reason": "Strongest theme.",
                        }
                    ]
                ),
            }
        )
        return client.post(url, data)

    def test_an_engagement_of_another_programme_is_refused(self, client, superuser, home_page):
        from commissioning.models import DecisionPage

        index = factories.programme_index(home_page)
        programme = factories.programme(index)
        elsewhere = factories.engagement(factories.programme(index), title="Elsewhere")
        login(client, superuser)
        response = self.post(client, programme, elsewhere)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Choose an engagement of" in html
        assert "More time out" in html  # the input is kept
        assert not DecisionPage.objects.exists()

    def test_an_engagement_of_the_programme_is_accepted(self, client, superuser, home_page):
        from commissioning.models import DecisionPage

        programme = factories.programme(factories.programme_index(home_page))
        engagement = factories.engagement(programme)
        login(client, superuser)
        response = self.post(client, programme, engagement)
        assert response.status_code == 302
        decision = DecisionPage.objects.get()
        assert decision.items.get().engagement_id == engagement.pk


@pytest.mark.django_db
class TestLabelsNotCodes:
    """Officers see the labels people chose from, never codes or booleans."""

    @pytest.fixture
    def ward(self):
        return WardFactory(
            name="Abbeyfield",
            population=1000,
            demographics={"age_band": {"16-24": 0.12, "25-34": 0.23, "35-49": 0.65}},
        )

    def ward_post(self, ward, **shares):
        data = {
            "name": ward.name,
            "slug": ward.slug,
            "postcode_prefixes": ward.postcode_prefixes,
            "population": ward.population,
        }
        return {**data, **{f"share__{key}": value for key, value in shares.items()}}

    def test_ward_editor_shows_labelled_percentages(self, client, superuser, ward):
        login(client, superuser)
        html = client.get(reverse("wagtailsnippets_commissioning_ward:edit", args=[ward.pk]))
        html = html.content.decode()
        assert "16 to 24" in html and "Age band" in html and "Another ethnic group" in html
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", html, flags=re.S))
        assert "16-24" not in text and "age_band" not in text
        assert 'name="share__age_band__16_24" value="12"' in html

    def test_ward_shares_are_saved_from_percentages(self, client, superuser, ward):
        login(client, superuser)
        url = reverse("wagtailsnippets_commissioning_ward:edit", args=[ward.pk])
        post = self.ward_post(ward, age_band__16_24="20", age_band__75_="80", gender__woman="100")
        response = client.post(url, post)
        assert response.status_code == 302
        ward.refresh_from_db()
        assert ward.demographics == {
            "age_band": {"16-24": 0.2, "75+": 0.8},
            "gender": {"woman": 1.0},
        }

    def test_ward_shares_that_do_not_add_up_are_refused_and_kept(self, client, superuser, ward):
        login(client, superuser)
        url = reverse("wagtailsnippets_commissioning_ward:edit", args=[ward.pk])
        response = client.post(
            url, self.ward_post(ward, age_band__16_24="30", age_band__25_34="9")
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Age band: the shares add up to 39%, not 100%." in html
        assert 'name="share__age_band__16_24" value="30"' in html
        ward.refresh_from_db()
        assert ward.demographics["age_band"]["16-24"] == 0.12

    def test_participations_say_yes_no_and_channel_labels(self, client, officer, home_page):
        engagement = factories.engagement(
            factories.programme(factories.programme_index(home_page)), title="Library hours"
        )
        participation = ParticipationFactory(
            engagement=engagement, channel="paper", wants_feedback=False
        )
        login(client, officer)
        listing = client.get(reverse("wagtailsnippets_commissioning_participation:list"))
        cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", listing.content.decode())
        assert "No" in cells and "Paper, entered by an officer" in cells
        assert "False" not in cells and "paper" not in cells
        export = client.get(
            reverse("wagtailsnippets_commissioning_participation:list"), {"export": "csv"}
        )
        row = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[1]
        assert ",Paper, entered by an officer," in row.replace('"', "") and ",No," in row
        inspect = client.get(
            reverse("wagtailsnippets_commissioning_participation:inspect", args=[participation.pk])
        ).content.decode()
        assert "“Library hours”" in inspect
        assert re.search(r"Tell me what happens</dt>\s*<dd>\s*No\s*</dd>", inspect)
