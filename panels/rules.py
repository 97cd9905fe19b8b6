"""Who may do what with a panel. Views, admin views and services all ask here.

- Applications (and the demographics in them) are seen only by people with
  the officer role (`accounts.roles`) who are assigned to that panel
  (`PanelPage.officers`), and by superusers. Being ticked on the page is not
  enough: an editor who ticks their own name gains nothing.
- The panel space is for the panel's current members and its officers.
- Only current members score options.
- Meeting papers are downloaded by members and officers only, through the
  panel's own route; the papers collection itself is restricted to Officers.
"""

from django.db.models import Q

from commissioning.rules import is_signed_in as _active


def officer_role_users():
    """Who may be assigned to run a panel: active officers and superusers (a queryset)."""
    from django.contrib.auth import get_user_model

    from accounts.roles import OFFICER

    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(is_staff=True, groups__name=OFFICER), is_active=True
    )


def has_officer_role(user, panel=None):
    if not _active(user):
        return False
    return user.is_superuser or officer_role_users().filter(pk=user.pk).exists()


def is_panel_officer(user, panel):
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    from accounts.roles import OFFICER
    from panels.models import PanelPage

    # Ask the database, not `panel.officers`: on a page that is a cluster
    # relation, which may hold unsaved (draft) assignments. The same join
    # checks the assigned person holds the officer role.
    return (
        user.is_staff
        and PanelPage.objects.filter(
            pk=panel.pk, officers=user, officers__groups__name=OFFICER
        ).exists()
    )


def is_member(user, panel):
    from panels.models import Application

    return _active(user) and Application.objects.members().filter(panel=panel, user=user).exists()


def can_run_lottery(user, panel):
    return is_panel_officer(user, panel)


def can_enter_space(user, panel):
    return is_member(user, panel) or is_panel_officer(user, panel)


def can_download_paper(user, panel):
    """Meeting papers are for the panel's members and officers (and superusers)."""
    return can_enter_space(user, panel)


def can_score(user, panel):
    return is_member(user, panel)


def can_edit_recommendation(user, panel):
    return is_member(user, panel) or is_panel_officer(user, panel)


def panels_officered_by(user):
    """The panels whose applications and lottery this user may see (a queryset)."""
    from panels.models import PanelPage

    if not _active(user):
        return PanelPage.objects.none()
    if user.is_superuser:
        return PanelPage.objects.all()
    if not has_officer_role(user):
        return PanelPage.objects.none()
    return PanelPage.objects.filter(officers=user)


def officer_scope(user):
    """A filter on models with a `panel` field: only panels this officer is assigned to."""
    if _active(user) and user.is_superuser:
        return Q()
    return Q(panel__in=panels_officered_by(user).values("pk"))
