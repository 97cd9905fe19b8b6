"""Who may do what in the spine. Plain functions, tested directly.

Every app's permission functions take `(user, obj)` (obj may be None) and
treat nobody the same way through `is_signed_in` and `has_perm` below: None,
the anonymous user and a deactivated account may do nothing a signed-in
person may.
"""


def is_signed_in(user):
    """A real, active account: not None, not anonymous, not deactivated."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_perm(user, perm):
    """`user.has_perm`, false for nobody (see `is_signed_in`)."""
    return is_signed_in(user) and user.has_perm(perm)


def can_view_brief(user, programme=None):
    """Officers (and anyone given the permission) read programme briefs."""
    return has_perm(user, "commissioning.view_brief")


def can_view_own_participation(user, obj=None):
    return is_signed_in(user)


def can_follow_engagements(user, obj=None):
    """Officers (who read the briefs) see on the dashboard which engagements close soon."""
    return can_view_brief(user)


def can_view_audit_trail(user, obj=None):
    """Officers and superusers read and download the audit trail."""
    return has_perm(user, "commissioning.view_audit_trail")


def can_draft_decision(user, programme):
    """Officers who read the brief and may add pages under the programme."""
    return (
        can_view_brief(user, programme) and programme.permissions_for_user(user).can_add_subpage()
    )


def can_publish_heard(user, engagement=None):
    """Officers publish (and take down) what we heard once an engagement closes."""
    return has_perm(user, "commissioning.change_heardsummary")
