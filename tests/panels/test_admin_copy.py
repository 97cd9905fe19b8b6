"""Panels' admin has no "copy" view: it is not scoped to the officer's panels.

Found by the permission matrix (tests/coproduce/test_permission_matrix.py):
copying an application answered 500 for a superuser, and the copy form of a
meeting, option or criterion was open to officers of any panel.
"""

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "viewset", ["panels_application", "panels_meeting", "panels_option", "panels_criterion"]
)
def test_panel_rows_cannot_be_copied_in_the_admin(client, home_page, user_factory, viewset):
    with pytest.raises(NoReverseMatch):
        reverse(f"{viewset}:copy", args=[1])
    admin = user_factory(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert client.get(f"/admin/{viewset}/copy/1/").status_code == 404
