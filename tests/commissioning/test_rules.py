"""The spine's permission helpers: every app treats nobody the same way."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import rules as accounts_rules
from assetmap import rules as assetmap_rules
from budget import rules as budget_rules
from commissioning import rules
from consultations import rules as consultations_rules
from delivery import rules as delivery_rules
from panels import rules as panels_rules

pytestmark = pytest.mark.django_db


def test_nobody_is_not_signed_in(resident):
    assert rules.is_signed_in(resident)
    assert not rules.is_signed_in(None)
    assert not rules.is_signed_in(AnonymousUser())
    resident.is_active = False
    assert not rules.is_signed_in(resident)


def test_a_deactivated_officer_keeps_no_permission(officer):
    assert rules.has_perm(officer, "budget.change_comment")
    officer.is_active = False
    assert not rules.has_perm(officer, "budget.change_comment")
    assert not rules.has_perm(None, "budget.change_comment")
    assert not rules.has_perm(AnonymousUser(), "budget.change_comment")


@pytest.mark.parametrize(
    "check",
    [
        rules.can_view_brief,
        rules.can_view_own_participation,
        rules.can_view_audit_trail,
        rules.can_publish_heard,
        accounts_rules.can_edit_profile,
        accounts_rules.can_download_data,
        accounts_rules.can_delete_account,
        assetmap_rules.can_submit_asset,
        assetmap_rules.can_register_group,
        assetmap_rules.can_moderate_asset,
        budget_rules.can_export,
        budget_rules.can_enter_paper,
        budget_rules.can_moderate,
        consultations_rules.can_view_responses,
        consultations_rules.can_export_responses,
        consultations_rules.can_enter_paper_responses,
        delivery_rules.can_record_readings,
        delivery_rules.can_view_review_responses,
        panels_rules.has_officer_role,
    ],
)
def test_every_rule_takes_user_and_object_and_refuses_nobody(check):
    for nobody in (None, AnonymousUser()):
        assert check(nobody, None) is False
