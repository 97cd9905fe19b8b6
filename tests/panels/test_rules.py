import pytest

from panels import rules
from panels.models import Application
from tests.panels.factories import ApplicationFactory, make_officer, make_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_panels(home_page, officer, user_factory):
    other_officer = make_officer(user_factory)
    mine = make_panel(home_page, officers=[officer])
    theirs = make_panel(home_page, officers=[other_officer])
    return mine, theirs, other_officer


def test_only_the_panels_officers_see_applications(two_panels, officer, editor, resident):
    mine, theirs, other_officer = two_panels
    assert rules.is_panel_officer(officer, mine)
    assert not rules.is_panel_officer(officer, theirs)
    assert rules.is_panel_officer(other_officer, theirs)
    # Being an officer or editor in general is not enough.
    assert not rules.is_panel_officer(editor, mine)
    assert not rules.is_panel_officer(resident, mine)
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


def test_an_editor_ticked_as_officer_gains_nothing(home_page, officer, editor):
    """Ticking one's own name under the page's officers gives no access: the role decides."""
    panel = make_panel(home_page, officers=[officer, editor])
    ApplicationFactory(panel=panel, name="Private Applicant")
    assert not rules.is_panel_officer(editor, panel)
    assert not rules.is_panel_officer(editor, panel)
    assert not rules.can_run_lottery(editor, panel)
    assert not rules.can_enter_space(editor, panel)
    assert not rules.panels_officered_by(editor).exists()
    assert not Application.objects.filter(rules.officer_scope(editor)).exists()
    assert rules.is_panel_officer(officer, panel)


def test_superusers_keep_every_right(home_page, user_factory):
    admin = user_factory(is_staff=True, is_superuser=True)
    panel = make_panel(home_page)
    assert rules.is_panel_officer(admin, panel)
    assert list(rules.panels_officered_by(admin)) == [panel]


def test_the_page_form_offers_only_officers(home_page, officer, editor, user_factory):
    """The chooser lists people with the officer role and superusers, nobody else."""
    from panels.models import PanelPage

    admin = user_factory(is_staff=True, is_superuser=True)
    staff_without_role = user_factory(is_staff=True)
    panel = make_panel(home_page, officers=[officer])
    form_class = PanelPage.get_edit_handler().get_form_class()
    form = form_class(instance=panel, for_user=editor)
    offered = set(form.fields["officers"].queryset)
    assert offered == {officer, admin}
    assert editor not in offered and staff_without_role not in offered
    # Posting the editor's own id anyway is refused by the form.
    field = form.fields["officers"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean([str(editor.pk)])
