"""The summary interface every engagement app implements for officers.

An engagement app writes a provider for each page model in `<app>/summaries.py`
and declares it in its manifest (`summaries={BudgetConversationPage:
budget_summary}`), which registers it here with `register_summary`.

A provider is a function `(engagement) -> Summary`. The spine assembles the
summaries of a programme's engagements into the officer brief without
importing the engagement apps.
"""

from dataclasses import dataclass, field


@dataclass
class Figure:
    label: str
    value: str
    # False for officers' working figures (e.g. comments awaiting moderation):
    # left out of "what we heard" on the public page.
    public: bool = True


@dataclass
class Table:
    """A data set: shown beside its chart and exported as CSV/XLSX."""

    caption: str
    columns: list[str]
    rows: list[list]


@dataclass
class Chart:
    title: str
    svg: str  # server-rendered, with <title> and <desc>
    table: Table


@dataclass
class Theme:
    label: str
    count: int
    quotes: list[str] = field(default_factory=list)


@dataclass
class Summary:
    engagement: object
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


_PROVIDERS = {}


def register_summary(model, provider):
    _PROVIDERS[model] = provider


def summary_provider(model):
    for klass in model.__mro__:
        if klass in _PROVIDERS:
            return _PROVIDERS[klass]
    return None


def engagement_summary(engagement):
    """The summary of one engagement, or None if its app registers no provider."""
    specific = engagement.specific
    provider = summary_provider(type(specific))
    return provider(specific) if provider else None
