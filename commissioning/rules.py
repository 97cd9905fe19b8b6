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
