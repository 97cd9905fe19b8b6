"""Officers write delivery records; editors and residents do not."""

import pytest
from django.contrib.auth.models import AnonymousUser

from delivery import rules

RULES = [
    rules.can_record_readings,
    rules.can_record_review_decision,
    rules.can_view_review_responses,
]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES)
def test_officers_may(officer, rule):
    assert rule(officer) is True


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES)
def test_editors_residents_and_visitors_may_not(editor, resident, rule):
    assert rule(editor) is False
    assert rule(resident) is False
    assert rule(AnonymousUser()) is False
    assert rule(None) is False


@pytest.mark.django_db
def test_editors_may_edit_review_pages(editor):
    assert editor.has_perm("wagtailadmin.access_admin")
    from wagtail.models import Page
    from wagtail.permission_policies.pages import PagePermissionPolicy

    root = Page.objects.get(depth=1)
    assert PagePermissionPolicy().user_has_permission_for_instance(editor, "change", root)
