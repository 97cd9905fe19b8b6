"""Admin registration only: the delivery menu, the readings import, review links."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from . import admin_views, rules
from .models import ServiceReviewPage
from .viewsets import DeliveryViewSetGroup

register_snippet(DeliveryViewSetGroup)


@hooks.register("register_log_actions")
def delivery_log_actions(actions):
    actions.register_action("delivery.readings_import", "Import readings", "Readings imported")


@hooks.register("register_admin_urls")
def delivery_admin_urls():
    return [
        path(
            "delivery/readings/import/",
            admin_views.readings_import_view,
            name="delivery_readings_import",
        )
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_record_readings(request.user)


@hooks.register("register_admin_menu_item")
def readings_import_menu_item():
    return ImportMenuItem(
        "Import readings", reverse("delivery_readings_import"), icon_name="upload", order=351
    )


def _review_buttons(page, user, priority):
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, ServiceReviewPage):
        return
    if rules.can_record_review_decision(user, page):
        yield Button(
            "Record the review decision",
            url=reverse("wagtailsnippets_delivery_reviewdecision:add") + f"?review={page.pk}",
            icon_name="redirect",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def review_listing_buttons(page, user, next_url=None):
    yield from _review_buttons(page, user, priority=80)


@hooks.register("register_page_header_buttons")
def review_header_buttons(page, user, view_name=None, next_url=None):
    yield from _review_buttons(page, user, priority=81)
