"""Admin registration only: the spine's snippets, grouped in one menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AssetCategory, Outcome, SocialValueCriterion, Ward


class WardViewSet(SnippetViewSet):
    model = Ward
    icon = "site"
    list_display = ["name", "postcode_prefixes", "population"]
    search_fields = ["name", "postcode_prefixes"]
    ordering = ["name"]


class OutcomeViewSet(SnippetViewSet):
    model = Outcome
    icon = "tick-inverse"
    list_display = ["title"]
    search_fields = ["title", "description"]


class SocialValueCriterionViewSet(SnippetViewSet):
    model = SocialValueCriterion
    icon = "group"
    list_display = ["title", "theme", "measure"]
    list_filter = ["theme"]
    search_fields = ["title", "description"]


class AssetCategoryViewSet(SnippetViewSet):
    model = AssetCategory
    icon = "folder-open-inverse"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class CommissioningSnippets(SnippetViewSetGroup):
    menu_label = "Borough data"
    menu_icon = "folder-open-1"
    menu_order = 300
    items = (WardViewSet, OutcomeViewSet, SocialValueCriterionViewSet, AssetCategoryViewSet)


register_snippet(CommissioningSnippets)
