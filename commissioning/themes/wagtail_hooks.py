"""Admin registration only: the themes pages, their menu item and page buttons."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import rules, views
from .sources import text_provider


@hooks.register("register_admin_urls")
def themes_urls():
    theme = "themes/<int:set_id>/theme/<int:theme_id>"
    return [
        path("themes/", views.index, name="themes_index"),
        path(
            "themes/engagement/<int:engagement_id>/",
            views.engagement_themes,
            name="themes_engagement",
        ),
        path(
            "themes/programme/<int:programme_id>/<str:stage>/",
            views.stage_themes,
            name="themes_stage",
        ),
        path("themes/<int:set_id>/propose/", views.propose, name="themes_propose"),
        path("themes/<int:set_id>/add/", views.add, name="themes_add"),
        path(f"{theme}/edit/", views.edit, name="themes_edit"),
        path(f"{theme}/merge/", views.merge, name="themes_merge"),
        path(f"{theme}/split/", views.split, name="themes_split"),
        path(f"{theme}/discard/", views.discard, name="themes_discard"),
        path(
            "themes/<int:set_id>/suggestion/<int:suggestion_id>/use/",
            views.use_suggestion,
            name="themes_suggestion_use",
        ),
        path(
            "themes/<int:set_id>/suggestion/<int:suggestion_id>/dismiss/",
            views.dismiss_suggestion,
            name="themes_suggestion_dismiss",
        ),
        path("themes/<int:set_id>/responses/", views.responses, name="themes_responses"),
        path(
            "themes/<int:set_id>/responses/<int:assignment_id>/move/",
            views.move,
            name="themes_move",
        ),
        path("themes/<int:set_id>/export/", views.export, name="themes_export"),
    ]


class ThemesMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_view_themes(request.user)


@hooks.register("register_admin_menu_item")
def themes_menu_item():
    return ThemesMenuItem(
        "Themes from free text", reverse("themes_index"), icon_name="tag", order=320
    )


@hooks.register("register_page_header_buttons")
def themes_header_button(page, user, view_name=None, next_url=None):
    model = page.specific_class
    if model and text_provider(model) is not None and rules.can_view_themes(user):
        yield Button(
            "Themes",
            url=reverse("themes_engagement", args=[page.pk]),
            icon_name="tag",
            priority=85,
        )
