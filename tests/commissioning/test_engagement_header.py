"""One engagement header and state badge on every kind of engagement page, and one URL helper."""

import re

import pytest
from django.template import Context, Template
from django.utils.html import escape

from commissioning.stages import STATE_LABELS, STATE_TAGS
from tests.commissioning.factories import closed_window, open_window, upcoming_window

WINDOWS = {"open": open_window, "upcoming": upcoming_window, "closed": closed_window}


def _budget(home_page, window):
    from tests.budget.factories import conversation_factory

    return conversation_factory(home_page, **window)


def _consultation(home_page, window):
    from tests.consultations.factories import consultation_page, programme_page

    return consultation_page(programme_page(home_page), **window)


def _panel(home_page, window):
    from tests.panels.factories import make_panel

    return make_panel(home_page, **window)


def _asset_call(home_page, window):
    from tests.assetmap.factories import asset_call
    from tests.panels.factories import programme_under

    return asset_call(programme_under(home_page), **window)


def _service_review(home_page, window):
    from tests.delivery.factories import review
    from tests.panels.factories import programme_under

    return review(programme_under(home_page), window=window)


PAGES = [_budget, _consultation, _panel, _asset_call, _service_review]


def _badge(state):
    return f'<strong class="govuk-tag {STATE_TAGS[state]}">{STATE_LABELS[state]}</strong>'


@pytest.mark.parametrize("state", ["open", "upcoming", "closed"])
def test_engagement_tag_has_one_word_and_colour_per_state(state):
    html = Template("{% load engagement_tags %}{% engagement_tag state %}").render(
        Context({"state": state})
    )
    assert html == _badge(state)


def test_each_state_has_its_own_colour():
    assert len(set(STATE_TAGS.values())) == len(STATE_TAGS) == len(STATE_LABELS)


@pytest.mark.django_db
@pytest.mark.parametrize("make", PAGES, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("state", ["open", "upcoming", "closed"])
def test_every_engagement_page_shows_the_same_header(client, home_page, make, state):
    page = make(home_page, WINDOWS[state]())
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    header = re.search(r'<p class="govuk-body coproduce-engagement-state">(.*?)</p>', html, re.S)
    assert header, "the engagement header is missing"
    words = " ".join(re.sub(r"<[^>]+>", " ", header.group(1)).split())
    assert _badge(state) in header.group(1)
    assert html.count("govuk-tag") >= 1 and html.count(_badge(state)) == 1
    expected = {"open": "Closes ", "upcoming": "Opens ", "closed": "Closed "}[state]
    assert words.startswith(f"{STATE_LABELS[state]} {expected}")
    assert f'<span class="govuk-caption-l">{page.kind}</span>' in html
    assert f'<h1 class="govuk-heading-xl">{escape(page.title)}</h1>' in html


@pytest.mark.django_db
def test_a_closed_budget_conversation_links_its_results(client, home_page):
    page = _budget(home_page, closed_window())
    html = client.get(page.url).content.decode()
    assert f'<a class="govuk-link" href="{page.url}results/">See what people said</a>' in html


@pytest.mark.django_db
def test_subpage_url_builds_a_route_under_the_page(rf, home_page):
    panel = _panel(home_page, open_window())
    assert panel.subpage_url("space") == panel.url + "space/"
    assert panel.subpage_url("meeting", 7) == panel.url + "space/meetings/7/"
    html = Template("{% load engagement_tags %}{% subpage_url page 'score' 3 %}").render(
        Context({"page": panel, "request": rf.get("/")})
    )
    assert html == panel.url + "space/score/3/"
