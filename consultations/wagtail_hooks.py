"""Admin registration only: the responses menu and links from a consultation's listing."""

from wagtail import hooks
from wagtail.admin.widgets.button import Button

from . import rules
from .models import ConsultationPage
from .viewsets import ConsultationViewSetGroup


@hooks.register("register_admin_viewset")
def register_consultation_viewsets():
    return ConsultationViewSetGroup()


@hooks.register("register_page_listing_more_buttons")
def consultation_listing_buttons(page, user, next_url=None):
    if not issubclass(page.specific_class or type(page), ConsultationPage) or not page.live:
        return
    page = page.specific_deferred
    if rules.can_view_responses(user):
        yield Button("Results", url=page.subpage_url("results"), icon_name="view", priority=80)
    if rules.can_enter_paper_responses(user):
        yield Button(
            "Enter a paper response",
            url=page.subpage_url("paper"),
            icon_name="doc-full",
            priority=81,
        )
