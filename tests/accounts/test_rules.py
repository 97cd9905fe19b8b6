import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import rules
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_residents_may_edit_download_and_delete(resident):
    assert rules.can_edit_profile(resident)
    assert rules.can_download_data(resident)
    assert rules.can_delete_account(resident)


def test_anonymous_visitors_may_do_none_of_it():
    anonymous = AnonymousUser()

    assert not rules.can_edit_profile(anonymous)
    assert not rules.can_download_data(anonymous)
    assert not rules.can_delete_account(anonymous)


def test_superusers_cannot_delete_themselves():
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert rules.can_edit_profile(admin)
    assert not rules.can_delete_account(admin)


def test_deleted_accounts_may_do_nothing():
    user = UserFactory(is_active=False)

    assert not rules.can_edit_profile(user)
    assert not rules.can_delete_account(user)
