"""Who may do what with budget conversations. Plain functions `(user, obj)`, tested
directly; the services ask them too, so no entry point bypasses them."""

from commissioning.rules import has_perm, is_signed_in


def is_officer(user, conversation=None):
    return has_perm(user, "budget.view_budgetresponse")


def can_view_results(user, conversation, now=None):
    """Results are public once the conversation closes; officers see them any time."""
    return conversation.state(now) == "closed" or is_officer(user, conversation)


def can_export(user, conversation=None):
    return has_perm(user, "budget.export_budgetresponse")


def can_enter_paper(user, conversation=None):
    return has_perm(user, "budget.enter_paper_budgetresponse")


def can_moderate(user, comment=None):
    return has_perm(user, "budget.change_comment")


def can_flag(user, comment):
    """Any signed-in resident but the author may report a published comment."""
    return bool(
        is_signed_in(user)
        and comment.status == comment.APPROVED
        and not comment.hidden_by_flags
        and comment.response.user_id != user.pk
    )
