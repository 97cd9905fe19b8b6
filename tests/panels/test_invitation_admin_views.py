"""Officers' invitation pages in the admin: import, draw, letters, assisted entry, responses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from panels import services
from panels.models import Application, Invitation, InvitationAddress, InvitationDraw
from tests.panels.factories import (
    addresses_csv,
    make_addresses,
    make_officer,
    make_wards,
    registration_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards():
    return make_wards()


def _url(panel, name=""):
    return f"/admin/panels/invitations/panel/{panel.pk}/{name}"


def test_import_through_the_admin_reports_refusals(client, panel, officer, wards):
    client.force_login(officer)
    upload = SimpleUploadedFile(
        "addresses.csv",
        addresses_csv([("1", "1 High St", "NN1 2AB"), ("x", "2 High St", "NN1 2AB")]),
        content_type="text/csv",
    )
    response = client.post(_url(panel), {"action": "import", "file": upload})
    assert response.status_code == 200
    assert b"1 address imported, 1 row refused" in response.content
    assert b"The UPRN is not a number of up to 12 digits" in response.content
    assert InvitationAddress.objects.count() == 1


def test_malformed_upload_says_why(client, panel, officer, wards):
    client.force_login(officer)
    upload = SimpleUploadedFile("a.csv", b"name,postcode\nA,NN1 2AB\n")
    response = client.post(_url(panel), {"action": "import", "file": upload})
    assert response.status_code == 200
    assert b"Missing: uprn, line_1" in response.content
    assert not InvitationAddress.objects.exists()
    response = client.post(_url(panel), {"action": "import"})
    assert b"Choose the CSV file" in response.content


def test_draw_through_the_admin(client, panel, officer, wards):
    make_addresses(panel, wards, per_ward=20)
    client.force_login(officer)
    bad = client.post(
        _url(panel), {"action": "draw", "size": "", "factor_north": "1", "factor_south": "1"}
    )
    assert b"Enter how many addresses to invite." in bad.content
    response = client.post(
        _url(panel),
        {"action": "draw", "size": "10", "seed": "77", "factor_north": "1", "factor_south": "2"},
    )
    assert response.status_code == 302
    draw = InvitationDraw.objects.get(panel=panel)
    assert (draw.seed, draw.oversampling, draw.created_by) == (77, {"south": 2.0}, officer)
    page = client.get(_url(panel) + "?verify=1")
    assert b"gives the same addresses" in page.content


def test_pages_are_for_the_panels_officers_only(client, panel, user_factory, wards):
    client.force_login(make_officer(user_factory))
    for name in ("", "register/", "responses/"):
        # The admin turns PermissionDenied into a redirect to its home with a message.
        response = client.get(_url(panel, name))
        assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_assisted_entry(client, panel, officer, wards):
    make_addresses(panel, wards, per_ward=5)
    services.invitations_draw(panel=panel, user=officer, size=4, seed=1)
    invitation = Invitation.objects.filter(panel=panel).first()
    client.force_login(officer)
    assert client.get(_url(panel, "register/")).status_code == 200
    data = {
        **registration_answers(email="", phone="07700 900999"),
        "consent": "on",
        "code": invitation.display_code,
        "channel": Application.PAPER,
    }
    response = client.post(_url(panel, "register/"), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.channel, application.entered_by, application.invitation) == (
        Application.PAPER,
        officer,
        invitation,
    )
    # The same code again: refused next to the code, the input kept.
    again = client.post(_url(panel, "register/"), {**data, "name": "Second Person"})
    assert again.status_code == 200
    assert b"already registered with this code" in again.content
    assert b"Second Person" in again.content


def test_tracking_page(client, panel, officer, wards, django_assert_max_num_queries):
    make_addresses(panel, wards, per_ward=10)
    services.invitations_draw(panel=panel, user=officer, size=8, seed=1)
    codes = list(Invitation.objects.filter(panel=panel).values_list("code", flat=True))
    services.registration_submit(code=codes[0], data=registration_answers())
    client.force_login(officer)
    with django_assert_max_num_queries(40) as small:
        response = client.get(_url(panel, "responses/"))
    assert response.status_code == 200
    assert b"1 registration from 8 letters: 12.5%" in response.content
    assert b"Response rate by ward" in response.content
    assert b"<table" in response.content
    for n, code in enumerate(codes[1:6]):
        services.registration_submit(
            code=code, data=registration_answers(email=f"p{n}@example.org")
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_url(panel, "responses/"))
