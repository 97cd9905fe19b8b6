"""The officer brief's approved themes, and drafting a decision from it."""

import pytest
from django.urls import reverse

from commissioning.brief import programme_brief
from commissioning.models import DecisionPage
from commissioning.services import decision_draft_from_brief
from commissioning.themes.models import Assignment, Theme, ThemeSet
from tests.accounts.factories import PASSWORD
from tests.commissioning import factories
from tests.refusals import assert_sent_to_dashboard, assert_sent_to_sign_in


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def themes_on(engagement, themes):
    """Officer-named themes {name: [response texts]} on the engagement's theme set."""
    theme_set = ThemeSet.objects.create(engagement=engagement)
    for name, texts in themes.items():
        theme = Theme.objects.create(theme_set=theme_set, name=name)
        for n, text in enumerate(texts):
            Assignment.objects.create(
                theme_set=theme_set,
                source_key=f"t:{engagement.pk}:{theme.pk}:{n}",
                text=text,
                theme=theme,
                similarity=1 - n / 10,
            )
    return theme_set


@pytest.fixture
def programme(home_page):
    return factories.programme(
        factories.programme_index(home_page),
        title="Libraries",
        lead_officer_name="Sam Patel",
        lead_officer_role="Head of Libraries",
    )


@pytest.fixture
def engagements(programme):
    conversation = factories.engagement(
        programme, stage="plan", title="Budget talk", window=factories.closed_window()
    )
    survey = factories.engagement(
        programme, stage="plan", title="Library survey", window=factories.closed_window()
    )
    other_stage = factories.engagement(programme, stage="review", title="Review survey")
    themes_on(
        conversation,
        {
            "Keep libraries open": ["Open on Saturdays", "Call me on 07700 900123 about it"],
            "Bins": ["Collect weekly"],
        },
    )
    themes_on(survey, {"Evening hours": ["Open until 8pm please"]})
    themes_on(other_stage, {"Not this stage": ["Something else"]})
    return conversation, survey, other_stage


@pytest.mark.django_db
class TestApprovedThemes:
    def test_brief_lists_each_engagements_themes_with_masked_quotes(self, programme, engagements):
        brief = programme_brief(programme=programme, stage="plan")
        assert [group.title for group in brief.theme_groups] == ["Budget talk", "Library survey"]
        themes = {theme.name: theme for group in brief.theme_groups for theme in group.themes}
        assert set(themes) == {"Keep libraries open", "Bins", "Evening hours"}
        assert themes["Keep libraries open"].count == 2
        quotes = " ".join(themes["Keep libraries open"].quotes)
        assert "07700" not in quotes and "[phone number removed]" in quotes

    def test_themes_download(self, client, officer, programme, engagements):
        login(client, officer)
        url = reverse("commissioning_brief", args=[programme.pk])
        response = client.get(url, {"stage": "plan", "format": "csv", "table": "themes"})
        body = response.content.decode("utf-8-sig")
        assert body.splitlines()[0] == "Where,Theme,Responses,What people said (masked)"
        assert "Library survey,Evening hours,1,Open until 8pm please" in body
        assert "Not this stage" not in body
        xlsx = client.get(url, {"stage": "plan", "format": "xlsx", "table": "themes"})
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    def test_officers_see_themes_in_the_brief(self, client, officer, programme, engagements):
        login(client, officer)
        html = client.get(
            reverse("commissioning_brief", args=[programme.pk]), {"stage": "plan"}
        ).content.decode()
        assert "Keep libraries open" in html and "Open on Saturdays" in html
        assert "Draft a decision from this brief" in html

    def test_editors_given_the_permission_see_briefs(self, client, editor, programme, engagements):
        from django.contrib.auth.models import Permission

        url = reverse("commissioning_brief", args=[programme.pk])
        login(client, editor)
        assert_sent_to_dashboard(client.get(url))
        editor.user_permissions.add(Permission.objects.get(codename="view_brief"))
        html = client.get(url, {"stage": "plan"}).content.decode()
        assert "Keep libraries open" in html


@pytest.mark.django_db
class TestDraftDecision:
    def test_one_item_per_approved_theme_linked_to_its_engagement(
        self, officer, programme, engagements
    ):
        conversation, survey, _ = engagements
        page, created = decision_draft_from_brief(programme=programme, stage="plan", user=officer)
        assert created and not page.live and page.stage == "plan"
        assert page.get_parent().pk == programme.pk
        assert page.decision_maker == "Sam Patel, Head of Libraries"
        items = {item.theme: item for item in page.items.all()}
        assert set(items) == {"Keep libraries open", "Bins", "Evening hours"}
        assert items["Keep libraries open"].engagement_id == conversation.pk
        assert items["Evening hours"].engagement_id == survey.pk
        assert "2 responses raised this." in items["Keep libraries open"].people_said
        assert "07700" not in items["Keep libraries open"].people_said
        assert page.get_latest_revision() is not None

    def test_twice_gives_the_same_draft(self, officer, programme, engagements):
        first, _ = decision_draft_from_brief(programme=programme, stage="plan", user=officer)
        again, created = decision_draft_from_brief(programme=programme, stage="plan", user=officer)
        assert again.pk == first.pk and not created
        assert DecisionPage.objects.child_of(programme).count() == 1

    def test_stage_theme_set_items_link_to_the_engagement_they_came_from(
        self, officer, programme, engagements, monkeypatch
    ):
        from commissioning.models import EngagementPage
        from commissioning.themes import sources
        from commissioning.themes.sources import TextItem

        conversation, survey, _ = engagements
        ThemeSet.objects.filter(engagement__in=[conversation, survey]).delete()

        def source(engagement):
            yield TextItem(key=f"s:{engagement.pk}", text="Open late")

        monkeypatch.setattr(sources, "_PROVIDERS", {EngagementPage: source})
        stage_set = ThemeSet.objects.create(programme=programme, stage="plan")
        theme = Theme.objects.create(theme_set=stage_set, name="Open late")
        Assignment.objects.create(
            theme_set=stage_set, source_key=f"s:{survey.pk}", text="Open late", theme=theme
        )
        page, _ = decision_draft_from_brief(programme=programme, stage="plan", user=officer)
        assert [(i.theme, i.engagement_id) for i in page.items.all()] == [("Open late", survey.pk)]

    def test_the_button_drafts_and_opens_the_editor(self, client, officer, programme, engagements):
        login(client, officer)
        url = reverse("commissioning_brief_draft_decision", args=[programme.pk])
        response = client.post(url, {"stage": "plan"})
        page = DecisionPage.objects.child_of(programme).get()
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert client.get(response["Location"]).status_code == 200
        client.post(url, {"stage": "plan"})
        assert DecisionPage.objects.child_of(programme).count() == 1

    def test_a_stage_is_needed(self, client, officer, programme, engagements):
        login(client, officer)
        url = reverse("commissioning_brief_draft_decision", args=[programme.pk])
        response = client.post(url, {"stage": "nonsense"})
        assert response.status_code == 302
        assert not DecisionPage.objects.exists()

    def test_only_officers_draft(self, client, editor, resident, programme, engagements):
        url = reverse("commissioning_brief_draft_decision", args=[programme.pk])
        login(client, editor)
        assert_sent_to_dashboard(client.post(url, {"stage": "plan"}))
        client.logout()
        login(client, resident)
        assert_sent_to_sign_in(client.post(url, {"stage": "plan"}))
        client.logout()
        assert_sent_to_sign_in(client.get(url))
        assert not DecisionPage.objects.exists()
