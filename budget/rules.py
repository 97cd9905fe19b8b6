"""Who may do what with budget conversations. Plain functions, tested directly."""


def is_officer(user):
    return bool(user and user.is_authenticated and user.has_perm("budget.view_budgetresponse"))


def can_view_results(user, conversation, now=None):
    """Results are public once the conversation closes; officers see them any time."""
    return conversation.state(now) == "closed" or is_officer(user)


def can_export(user, conversation=None):
    return bool(user and user.is_authenticated and user.has_perm("budget.export_budgetresponse"))


def can_enter_paper(user, conversation=None):
    return bool(
        user and user.is_authenticated and user.has_perm("budget.enter_paper_budgetresponse")
    )


def can_moderate(user, comment=None):
    return bool(user and user.is_authenticated and user.has_perm("budget.change_comment"))


def can_flag(user, comment):
    """Any signed-in resident but the author may report a published comment."""
    return bool(
        user
        and user.is_authenticated
        and comment.status == comment.APPROVED
        and not comment.hidden_by_flags
        and comment.response.user_id != user.pk
    )
