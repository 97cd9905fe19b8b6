"""Who may see and curate themes: officers, and editors given the permissions."""


def can_view_themes(user, theme_set=None):
    return bool(user and user.is_authenticated and user.has_perm("themes.view_themeset"))


def can_manage_themes(user, theme_set=None):
    """Run proposals, name, merge, split, discard and add themes, move responses."""
    return can_view_themes(user, theme_set) and user.has_perm("themes.change_themeset")
