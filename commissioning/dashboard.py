"""Dashboard panels: what an officer must act on, on the Wagtail admin home page.

Each app declares its own panels (pending assets, pending comments, engagements
closing this week …) as `ActionPanel` subclasses and registers them with
`register_action_panel` from its `wagtail_hooks.py`; the spine renders them all
the same way and never imports the engagement apps.
"""

from dataclasses import dataclass

from wagtail import hooks
from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class ActionRow:
    label: str
    url: str
    detail: str = ""


class ActionPanel(Component):
    """One heading, a count, up to `max_rows` linked rows and a link to them all.

    Subclasses set `name`, `heading`, `order`, `empty_text` and implement
    `is_shown(user)`, `get_queryset(user)` (ordered totally), `row(obj)` and
    `all_url()`.
    """

    template_name = "commissioning/admin/action_panel.html"
    name = ""
    heading = ""
    order = 50
    max_rows = 5
    empty_text = "Nothing to do."
    all_label = "See all"

    class Media:
        css = {"all": ["commissioning/admin/action_panel.css"]}

    def is_shown(self, user):
        raise NotImplementedError

    def get_queryset(self, user):
        raise NotImplementedError

    def row(self, obj) -> ActionRow:
        raise NotImplementedError

    def all_url(self):
        return ""

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        queryset = self.get_queryset(user)
        rows = [self.row(obj) for obj in queryset[: self.max_rows]]
        count = len(rows) if len(rows) < self.max_rows else queryset.count()
        return {
            "panel": self,
            "rows": rows,
            "count": count,
            "all_url": self.all_url(),
        }

    def render_html(self, parent_context=None):
        if not self.is_shown(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)


def register_action_panel(panel_class):
    """Add `panel_class` to the admin home page (a `construct_homepage_panels` hook)."""

    @hooks.register("construct_homepage_panels")
    def add_panel(request, panels):
        panels.append(panel_class())

    return panel_class
