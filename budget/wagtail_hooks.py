"""Admin registration only: responses and comment moderation in one menu, and
a budget conversation's officer links in the page tree."""

from wagtail import hooks

from .viewsets import BudgetViewSetGroup, conversation_buttons


@hooks.register("register_admin_viewset")
def register_budget_viewsets():
    return BudgetViewSetGroup()


@hooks.register("register_page_listing_more_buttons")
def budget_listing_buttons(page, user, next_url=None):
    yield from conversation_buttons(page, user)


@hooks.register("register_page_header_buttons")
def budget_header_buttons(page, user, view_name, next_url=None):
    yield from conversation_buttons(page, user)
