"""Who may do what in the spine. Plain functions, tested directly."""


def can_view_brief(user, programme=None):
    """Officers (and anyone given the permission) read programme briefs."""
    return bool(user and user.is_authenticated and user.has_perm("commissioning.view_brief"))


def can_view_own_participation(user):
    return bool(user and user.is_authenticated)


def can_follow_engagements(user):
    """Officers (who read the briefs) see on the dashboard which engagements close soon."""
    return can_view_brief(user)


def can_view_audit_trail(user):
    """Officers and superusers read and download the audit trail."""
    return bool(user and user.is_authenticated and user.has_perm("commissioning.view_audit_trail"))


def can_draft_decision(user, programme):
    """Officers who read the brief and may add pages under the programme."""
    return (
        can_view_brief(user, programme) and programme.permissions_for_user(user).can_add_subpage()
    )


def can_publish_heard(user, engagement=None):
    """Officers publish (and take down) what we heard once an engagement closes."""
    return bool(
        user and user.is_authenticated and user.has_perm("commissioning.change_heardsummary")
    )
