"""Who may see and curate themes: officers, and editors given the permissions."""

from commissioning.rules import has_perm


def can_view_themes(user, theme_set=None):
    return has_perm(user, "themes.view_themeset")


def can_manage_themes(user, theme_set=None):
    """Run proposals, name, merge, split, discard and add themes, move responses."""
    return can_view_themes(user, theme_set) and user.has_perm("themes.change_themeset")
