"""“What we heard”: published by officers on a closed engagement's page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.models import HeardSummary
from commissioning.services import heard_summary_publish, heard_summary_unpublish
from commissioning.themes.models import Suggestion, ThemeSet
from tests.accounts.factories import PASSWORD
from tests.commissioning import factories
from tests.commissioning.test_brief import themes_on
from tests.refusals import assert_sent_to_dashboard, assert_sent_to_sign_in


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


@pytest.fixture
def closed(home_page):
    """A closed budget conversation (a real engagement kind, with its page and summary)."""
    from tests.budget.factories import conversation_factory

    engagement = conversation_factory(home_page, **factories.closed_window())
    theme_set = themes_on(
        engagement,
        {
            "Evening hours": ["Open until 8pm, email me at jo@example.org", "Late opening"],
            "Empty theme": [],
        },
    )
    Suggestion.objects.create(
        theme_set=theme_set, position=1, label="Machine guess", quotes=["A raw guess"], size=3
    )
    return engagement


@pytest.mark.django_db
class TestPublishing:
    def test_unpublished_never_shows(self, client, closed):
        html = client.get(closed.url).content.decode()
        assert "What we heard" not in html and "Evening hours" not in html

    def test_published_shows_only_approved_themes_and_masked_quotes(self, client, officer, closed):
        heard_summary_publish(engagement=closed, user=officer)
        html = client.get(closed.url).content.decode()
        assert "What we heard" in html and "Evening hours" in html and "Late opening" in html
        assert "[email removed]" in html and "jo@example.org" not in html
        assert HeardSummary.objects.get().content["figures"]
        assert "Machine guess" not in html and "A raw guess" not in html
        assert "Empty theme" not in html

    def test_records_who_and_when_and_unpublishes(self, client, officer, closed):
        heard_summary_publish(engagement=closed, user=officer)
        record = HeardSummary.objects.get(engagement=closed)
        assert record.published_by == officer and record.published_at is not None
        with pytest.raises(ValidationError):
            heard_summary_publish(engagement=closed, user=officer)
        heard_summary_unpublish(engagement=closed, user=officer)
        record.refresh_from_db()
        assert record.published_at is None and record.unpublished_by == officer
        assert "Evening hours" not in client.get(closed.url).content.decode()
        with pytest.raises(ValidationError):
            heard_summary_unpublish(engagement=closed, user=officer)

    def test_not_before_it_closes(self, officer, home_page):
        programme = factories.programme(factories.programme_index(home_page))
        engagement = factories.engagement(programme)
        with pytest.raises(ValidationError):
            heard_summary_publish(engagement=engagement, user=officer)
        assert not HeardSummary.objects.filter(published_at__isnull=False).exists()

    def test_residents_and_editors_may_not(self, resident, editor, closed):
        for user in (resident, editor):
            with pytest.raises(ValidationError):
                heard_summary_publish(engagement=closed, user=user)

    def test_constant_queries(self, client, officer, closed, django_assert_max_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        heard_summary_publish(engagement=closed, user=officer)
        with CaptureQueriesContext(connection) as small:
            client.get(closed.url)
        theme_set = ThemeSet.objects.get(engagement=closed)
        themes_on_more = [f"Extra theme {n}" for n in range(15)]
        from commissioning.themes.models import Assignment, Theme

        for name in themes_on_more:
            theme = Theme.objects.create(theme_set=theme_set, name=name)
            for n in range(5):
                Assignment.objects.create(
                    theme_set=theme_set, source_key=f"x:{theme.pk}:{n}", text="More", theme=theme
                )
        heard_summary_unpublish(engagement=closed, user=officer)
        heard_summary_publish(engagement=closed, user=officer)
        from django.core.cache import cache

        cache.clear()
        with django_assert_max_num_queries(len(small.captured_queries)):
            html = client.get(closed.url).content.decode()
        assert "Extra theme 14" in html


@pytest.mark.django_db
class TestAdmin:
    def test_officer_publishes_and_unpublishes_from_the_admin(self, client, officer, closed):
        login(client, officer)
        url = reverse("commissioning_heard", args=[closed.pk])
        html = client.get(url).content.decode()
        assert "Publish what we heard" in html and "Evening hours" in html
        assert client.post(url, {"action": "publish"}).status_code == 302
        assert HeardSummary.objects.published().filter(engagement=closed).exists()
        html = client.get(url).content.decode()
        assert "Take what we heard down" in html
        client.post(url, {"action": "unpublish"})
        assert not HeardSummary.objects.published().exists()

    def test_publishing_twice_says_so(self, client, officer, closed):
        login(client, officer)
        url = reverse("commissioning_heard", args=[closed.pk])
        client.post(url, {"action": "publish"})
        response = client.post(url, {"action": "publish"}, follow=True)
        assert "already published" in response.content.decode()

    def test_only_officers(self, client, resident, editor, closed):
        url = reverse("commissioning_heard", args=[closed.pk])
        login(client, resident)
        assert_sent_to_sign_in(client.post(url, {"action": "publish"}))
        client.logout()
        login(client, editor)
        assert_sent_to_dashboard(client.post(url, {"action": "publish"}))
        assert not HeardSummary.objects.exists()


@pytest.mark.django_db
def test_working_figures_stay_off_the_public_summary(home_page, monkeypatch):
    from commissioning import summaries
    from commissioning.models import EngagementPage
    from commissioning.services import heard_summary_content
    from commissioning.summaries import Figure, Summary

    def provider(engagement):
        return Summary(
            engagement=engagement,
            figures=[Figure("Responses", "12"), Figure("Awaiting moderation", "3", public=False)],
            quotes=["An unmoderated quote"],
        )

    monkeypatch.setattr(summaries, "_PROVIDERS", {EngagementPage: provider})
    programme = factories.programme(factories.programme_index(home_page))
    engagement = factories.engagement(programme, window=factories.closed_window())
    content = heard_summary_content(engagement=engagement)
    assert content["figures"] == [{"label": "Responses", "value": "12", "public": True}]
    assert "An unmoderated quote" not in str(content)
