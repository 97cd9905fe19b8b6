"""The permission matrix: who may read, edit and moderate assets in each state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from assetmap import rules
from assetmap.models import Asset

from .factories import AssetFactory

STATES = [Asset.DRAFT, Asset.PENDING, Asset.PUBLISHED, Asset.REJECTED, Asset.ARCHIVED]

# who -> state -> (view, edit, moderate)
MATRIX = {
    "anonymous": {s: (s == Asset.PUBLISHED, False, False) for s in STATES},
    "stranger": {s: (s == Asset.PUBLISHED, False, False) for s in STATES},
    "submitter": {s: (True, s != Asset.ARCHIVED, False) for s in STATES},
    "group member": {s: (True, s != Asset.ARCHIVED, False) for s in STATES},
    "other group's member": {s: (s == Asset.PUBLISHED, False, False) for s in STATES},
    "officer": dict.fromkeys(STATES, (True, False, True)),
}


@pytest.fixture
def people(db, officer, group, member, user_factory):
    from .factories import CommunityGroupFactory, GroupMembershipFactory

    other = user_factory(email="other-member@example.org")
    GroupMembershipFactory(group=CommunityGroupFactory(name="Other group"), user=other)
    return {
        "anonymous": AnonymousUser(),
        "stranger": user_factory(email="stranger@example.org"),
        "submitter": user_factory(email="submitter@example.org"),
        "group member": member,
        "other group's member": other,
        "officer": officer,
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix(people, group, category, ward, who, state):
    asset = AssetFactory(
        status=state, submitted_by=people["submitter"], group=group, category=category, ward=ward
    )
    # A fresh user object each time: group ids are cached per user object.
    user = people[who]
    if user.is_authenticated:
        user = type(user).objects.get(pk=user.pk)
    expected = MATRIX[who][state]
    actual = (
        rules.can_view_asset(user, asset),
        rules.can_edit_asset(user, asset),
        rules.can_moderate_asset(user, asset),
    )
    assert actual == expected


def test_only_members_submit_for_a_group(people, group):
    assert rules.can_submit_for_group(people["group member"], group)
    assert not rules.can_submit_for_group(people["stranger"], group)
    assert not rules.can_submit_for_group(people["anonymous"], group)


def test_anyone_signed_in_may_submit(people):
    assert rules.can_submit_asset(people["stranger"])
    assert not rules.can_submit_asset(people["anonymous"])


def test_inactive_submitter_cannot_edit(people, group, category, ward):
    submitter = people["submitter"]
    asset = AssetFactory(submitted_by=submitter, category=category, ward=ward)
    submitter.is_active = False
    assert not rules.can_edit_asset(submitter, asset)
