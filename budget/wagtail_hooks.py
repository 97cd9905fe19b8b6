"""Admin registration only: responses and comment moderation in one menu,
dashboard panels for what officers must act on, the moderation log actions,
and a budget conversation's officer links in the page tree."""

from wagtail import hooks

from commissioning.dashboard import register_action_panel

from .dashboard import CommentsHiddenPanel, CommentsWaitingPanel
from .viewsets import BudgetViewSetGroup, conversation_buttons

register_action_panel(CommentsWaitingPanel)
register_action_panel(CommentsHiddenPanel)


@hooks.register("register_admin_viewset")
def register_budget_viewsets():
    return BudgetViewSetGroup()


@hooks.register("register_log_actions")
def register_budget_log_actions(actions):
    for action, label, message in [
        ("budget.comment_approved", "Publish budget comment", "Comment published"),
        ("budget.comment_rejected", "Reject budget comment", "Comment rejected"),
        ("budget.comment_pending", "Return budget comment", "Comment returned to moderation"),
    ]:
        actions.register_action(action, label, message)


@hooks.register("register_page_listing_more_buttons")
def budget_listing_buttons(page, user, next_url=None):
    yield from conversation_buttons(page, user)


@hooks.register("register_page_header_buttons")
def budget_header_buttons(page, user, view_name, next_url=None):
    yield from conversation_buttons(page, user)
