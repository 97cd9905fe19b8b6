"""Role changes go in the audit trail, wherever they are made."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import roles_sync
from commissioning import audit
from commissioning.models import AuditEntry
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def role_entries():
    return [
        (e.action, e.label, e.data.get("role"), e.user_id)
        for e in AuditEntry.objects.filter(action__in=[audit.ROLE_ADD, audit.ROLE_REMOVE])
        .order_by("pk")
        .select_related("user")
    ]


@pytest.fixture
def groups():
    return roles_sync()


def test_adding_and_removing_from_either_side(groups):
    person = UserFactory(email="new.officer@example.org")

    person.groups.add(groups["officer"])
    groups["editor"].user_set.add(person)
    person.groups.remove(groups["officer"])
    person.groups.clear()

    assert role_entries() == [
        (audit.ROLE_ADD, "new.officer@example.org", "Officers", None),
        (audit.ROLE_ADD, "new.officer@example.org", "Editors", None),
        (audit.ROLE_REMOVE, "new.officer@example.org", "Officers", None),
        (audit.ROLE_REMOVE, "new.officer@example.org", "Editors", None),
    ]


def test_clearing_a_group_records_each_member(groups):
    people = [UserFactory(email=f"p{n}@example.org") for n in range(2)]
    groups["officer"].user_set.add(*people)

    groups["officer"].user_set.clear()

    removed = [label for action, label, *_ in role_entries() if action == audit.ROLE_REMOVE]
    assert sorted(removed) == ["p0@example.org", "p1@example.org"]


def test_nothing_changed_records_nothing(groups):
    person = UserFactory()
    person.groups.add(groups["officer"])

    person.groups.add(groups["officer"])
    person.groups.remove(Group.objects.create(name="Never joined"))

    assert len(role_entries()) == 1


def test_through_wagtails_user_admin_the_administrator_is_recorded(client, groups):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    person = UserFactory(email="someone@example.org", display_name="Someone")
    client.force_login(admin)
    url = reverse("wagtailusers_users:edit", args=[person.pk])

    response = client.post(
        url,
        {
            "email": person.email,
            "first_name": "",
            "last_name": "",
            "display_name": "Someone",
            "password1": "",
            "password2": "",
            "is_active": "on",
            "is_superuser": "on",
            "groups": [groups["officer"].pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert role_entries() == [(audit.ROLE_ADD, "someone@example.org", "Officers", admin.pk)]
    (full_access,) = AuditEntry.objects.filter(action=audit.SUPERUSER)
    assert (full_access.user, full_access.data) == (admin, {"full_access": True})


def test_account_deletion_takes_roles_away_on_the_record(groups):
    from accounts.services import user_account_delete

    person = UserFactory()
    person.groups.add(groups["editor"])

    user_account_delete(user=person)

    assert role_entries()[-1][:3] == (
        audit.ROLE_REMOVE,
        f"deleted-{person.pk}@invalid.example",
        "Editors",
    )
