import pytest

from commissioning.models import EngagementPage
from commissioning.themes import sources
from commissioning.themes.sources import TextItem
from tests.commissioning import factories as spine


class FakeSource:
    """Free text per engagement, set by the test: {engagement pk: [text, …]}."""

    def __init__(self):
        self.texts = {}

    def set(self, engagement, texts):
        self.texts[engagement.pk] = list(texts)

    def add(self, engagement, texts):
        self.texts.setdefault(engagement.pk, []).extend(texts)

    def __call__(self, engagement):
        for n, text in enumerate(self.texts.get(engagement.pk, [])):
            yield TextItem(key=f"fake:{engagement.pk}:{n:05d}", text=text, context="Comment")


@pytest.fixture
def text_source(monkeypatch):
    source = FakeSource()
    monkeypatch.setattr(sources, "_PROVIDERS", {**sources._PROVIDERS, EngagementPage: source})
    return source


@pytest.fixture
def programme_page(home_page):
    index = spine.programme_index(home_page)
    return spine.programme(index, title="Libraries and neighbourhoods")


@pytest.fixture
def engagement(programme_page):
    return spine.engagement(programme_page, title="Budget 2026", window=spine.closed_window())


COMMENTS = [
    "Keep the library open on Saturdays, my kids need it",
    "Library hours are too short for people who work",
    "Please open the library in the evenings",
    "Bins were not collected again this week",
    "The recycling lorry missed our street",
    "Overflowing bins everywhere, collect them weekly",
    "The road outside my house is full of potholes",
    "Potholes on Station Road damaged my tyre",
    "Fix the holes in the pavement before someone falls",
]


@pytest.fixture(autouse=True)
def commit_callbacks_run_at_once(monkeypatch):
    """Queued work (mapping after a change, a proposal run) runs as it is queued:
    test transactions never commit, and the tasks backend runs tasks inline."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
