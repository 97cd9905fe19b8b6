"""The spine's admin dashboard panel: engagements closing this week, for officers."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.selectors import engagements_closing_soon
from tests.accounts.factories import PASSWORD
from tests.commissioning import factories

pytestmark = pytest.mark.django_db


def window(hours_left):
    now = timezone.now()
    return {"opens_at": now - timedelta(days=20), "closes_at": now + timedelta(hours=hours_left)}


@pytest.fixture
def programme(home_page):
    return factories.programme(factories.programme_index(home_page), title="Libraries")


@pytest.fixture
def closing(programme):
    """Three closing this week (given out of order), one next week, one closed."""
    return {
        "friday": factories.engagement(programme, title="Friday", window=window(4 * 24)),
        "tomorrow": factories.engagement(programme, title="Tomorrow", window=window(20)),
        "sunday": factories.engagement(programme, title="Sunday", window=window(6 * 24 + 20)),
        "next week": factories.engagement(programme, title="Next week", window=window(8 * 24)),
        "closed": factories.engagement(programme, title="Closed", window=window(-2)),
    }


def dashboard_panel(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    match = re.search(r'id="closing_engagements-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_selector_lists_the_next_seven_days_soonest_first(closing):
    titles = [page.title for page in engagements_closing_soon(days=7)]

    assert titles == ["Tomorrow", "Friday", "Sunday"]


def test_officers_see_the_panel_with_links_to_the_page_editor(client, officer, closing):
    panel = dashboard_panel(client, officer)

    assert "Engagements closing this week" in panel
    assert "<strong>3</strong> items" in panel
    titles = re.findall(r'<td class="title"><a href="([^"]+)">([^<]+)</a>', panel)
    assert titles == [
        (reverse("wagtailadmin_pages:edit", args=[closing[key].pk]), key.capitalize())
        for key in ["tomorrow", "friday", "sunday"]
    ]
    assert "Next week" not in panel and "Closed" not in panel


def test_a_draft_engagement_says_it_is_not_published(client, officer, closing):
    closing["friday"].unpublish()

    panel = dashboard_panel(client, officer)

    assert "draft, not published" in panel
    assert panel.count("draft, not published") == 1


def test_an_empty_week_says_so(client, officer, programme):
    panel = dashboard_panel(client, officer)

    assert "No engagement closes in the next 7 days." in panel


def test_editors_do_not_see_the_panel(client, editor, closing):
    assert client.login(email=editor.email, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Engagements closing this week" not in html
