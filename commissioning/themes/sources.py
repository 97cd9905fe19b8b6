"""Where free text comes from: each engagement app registers a text source.

In its `AppConfig.ready()` an app registers, for its page model, a provider
`(engagement) -> iterable of TextItem`:

    from commissioning.themes.sources import register_text_source
    register_text_source(BudgetConversationPage, budget_texts)

Providers return only text that is published or moderated (approved
comments, published assets, submitted responses), never drafts or rejected
text. Keys must be stable across calls ("budget.comment:42"): officers'
corrections are kept by key.
"""

from dataclasses import dataclass

_PROVIDERS = {}


@dataclass(frozen=True)
class TextItem:
    key: str  # stable and unique across every source, at most 120 characters
    text: str
    context: str = ""  # where it was said, for officers: "Comment on …"


def register_text_source(model, provider):
    _PROVIDERS[model] = provider


def text_source_models():
    return list(_PROVIDERS)


def text_provider(model):
    for klass in model.__mro__:
        if klass in _PROVIDERS:
            return _PROVIDERS[klass]
    return None


def engagement_texts(engagement):
    """The engagement's free text, blank items left out, ordered by key."""
    specific = engagement.specific
    provider = text_provider(type(specific))
    if provider is None:
        return []
    items = (item for item in provider(specific) if item.text and item.text.strip())
    return sorted(items, key=lambda item: item.key)
