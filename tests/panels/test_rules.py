import pytest

from panels import rules
from panels.models import Application
from tests.panels.factories import ApplicationFactory, make_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_panels(home_page, officer, user_factory):
    other_officer = user_factory(is_staff=True)
    mine = make_panel(home_page, officers=[officer])
    theirs = make_panel(home_page, officers=[other_officer])
    return mine, theirs, other_officer


def test_only_the_panels_officers_see_applications(two_panels, officer, editor, resident):
    mine, theirs, other_officer = two_panels
    assert rules.can_view_applications(officer, mine)
    assert not rules.can_view_applications(officer, theirs)
    assert rules.can_view_applications(other_officer, theirs)
    # Being an officer or editor in general is not enough.
    assert not rules.can_view_applications(editor, mine)
    assert not rules.can_view_applications(resident, mine)
    assert list(rules.panels_officered_by(officer)) == [mine]
    ApplicationFactory(panel=mine)
    ApplicationFactory(panel=theirs)
    visible = Application.objects.filter(rules.officer_scope(officer))
    assert {a.panel_id for a in visible} == {mine.pk}


def test_members_see_only_their_own_panel(two_panels, resident):
    mine, theirs, _ = two_panels
    ApplicationFactory(panel=mine, user=resident, status=Application.SELECTED)
    assert rules.can_enter_space(resident, mine)
    assert not rules.can_enter_space(resident, theirs)


def test_only_current_members_score(two_panels, resident, officer, user_factory):
    mine, _, _ = two_panels
    applicant = user_factory()
    ApplicationFactory(panel=mine, user=applicant, status=Application.NOT_SELECTED)
    ApplicationFactory(panel=mine, user=resident, status=Application.SELECTED)
    assert rules.can_score(resident, mine)
    assert not rules.can_score(applicant, mine)
    assert not rules.can_score(officer, mine)  # officers see the space but do not score
    assert rules.can_enter_space(officer, mine)
    assert not rules.can_enter_space(applicant, mine)


def test_anonymous_and_inactive_users_have_no_rights(two_panels, django_user_model, officer):
    from django.contrib.auth.models import AnonymousUser

    mine, _, _ = two_panels
    assert not rules.can_enter_space(AnonymousUser(), mine)
    officer.is_active = False
    assert not rules.is_panel_officer(officer, mine)
