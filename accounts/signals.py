"""Signal handlers: each hands over to a service at once.

Role changes are recorded wherever they happen (Wagtail's user and group
admin, `roles_sync`, a shell, account deletion), so they listen to the
membership table itself rather than to one screen.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

_BEFORE = "_audit_groups_before_change"


def _pairs(instance, reverse, pk_set):
    """(user, group) for each membership the signal is about."""
    if reverse:  # group.user_set.add(...): the instance is the group
        return [(user, instance) for user in get_user_model().objects.filter(pk__in=pk_set)]
    return [(instance, group) for group in Group.objects.filter(pk__in=pk_set)]


def user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from .services import user_roles_audit

    if action in ("pre_clear", "pre_remove"):
        # Django names every id given to remove(), members or not: keep the members.
        related = instance.user_set if reverse else instance.groups
        members = related.all() if action == "pre_clear" else related.filter(pk__in=pk_set)
        setattr(instance, _BEFORE, set(members.values_list("pk", flat=True)))
        return
    if action in ("post_clear", "post_remove"):
        pk_set = getattr(instance, _BEFORE, set())
        action = "post_remove"
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    user_roles_audit(changes=_pairs(instance, reverse, pk_set), added=action == "post_add")


def second_factor_added(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator app or a security key proves the second factor.

    The person has just entered a code from the new app (or touched the key)
    after confirming their password: the session counts as having passed
    two-factor sign-in, as allauth would record it at the next sign-in, so
    staff go on to the admin without signing in again.
    """
    from allauth.account.internal.flows.login import record_authentication

    from .middleware import SECOND_FACTORS

    if request is not None and authenticator.type in SECOND_FACTORS:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, added=True
        )


def connect():
    from allauth.mfa.signals import authenticator_added
    from django.db.models.signals import m2m_changed

    authenticator_added.connect(second_factor_added, dispatch_uid="accounts.second_factor_added")

    m2m_changed.connect(
        user_groups_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="accounts.user_groups_changed",
    )
