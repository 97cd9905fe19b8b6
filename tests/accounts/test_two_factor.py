"""Staff sign in with a second factor (allauth MFA) before they reach the admin or any staff page."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission

from accounts.rules import needs_two_factor
from tests.accounts.factories import (
    PASSWORD,
    UserFactory,
    recovery_code,
    second_factor_for,
    totp_code,
)

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/login/"
SECOND_STEP = "/accounts/2fa/authenticate/"
SET_UP = "/accounts/2fa/totp/activate/"
RECOVERY_CODES = "/accounts/2fa/recovery-codes/"


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def sign_in_with_password(client, user, next_url="/admin/"):
    return client.post(f"{SIGN_IN}?next={next_url}", {"login": user.email, "password": PASSWORD})


def confirm_password(client):
    """allauth asks for the password again before any change to two-factor sign-in."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def open_set_up(client, user):
    sign_in_with_password(client, user)
    assert client.get(SET_UP)["Location"].startswith("/accounts/reauthenticate/")
    confirm_password(client)
    return client.get(SET_UP)


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("fixture", ["officer", "editor", "superuser"])
def test_staff_with_no_second_factor_must_set_one_up_before_the_admin(
    client, home_page, request, fixture
):
    user = request.getfixturevalue(fixture)
    sign_in_with_password(client, user)

    assert signed_in_user_id(client) == str(user.pk)
    for path in ("/admin/", "/admin/pages/", "/my/profile/", "/"):
        response = client.get(path)
        assert (path, response.status_code, response["Location"]) == (path, 302, SET_UP)


def test_setting_up_the_app_shows_the_qr_code_and_the_key_as_text(client, home_page, officer):
    response = open_set_up(client, officer)

    html = response.content.decode()
    secret = response.context["form"].secret
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'alt="QR code for your authenticator app.' in html
    assert f'<code class="coproduce-secret" id="authenticator_secret">{secret}</code>' in html
    assert "Staff accounts must use two-factor sign-in" in html
    assert '<label class="govuk-label' in html and 'for="id_code"' in html


def test_a_wrong_code_at_set_up_is_a_field_error(client, home_page, officer):
    open_set_up(client, officer)

    response = client.post(SET_UP, {"code": "12345x"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The code is not right." in html
    assert not Authenticator.objects.filter(user=officer).exists()


def test_a_blank_code_says_what_to_enter(client, home_page, officer):
    open_set_up(client, officer)

    response = client.post(SET_UP, {"code": ""})

    assert "Enter the code from your authenticator app" in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_the_app_gives_recovery_codes_then_the_admin(client, home_page, officer):
    """Transactional: allauth announces the new authenticator once it is committed."""
    secret = open_set_up(client, officer).context["form"].secret

    response = client.post(SET_UP, {"code": totp_code(secret)})

    assert response["Location"] == RECOVERY_CODES
    codes = client.get(RECOVERY_CODES)
    assert codes.status_code == 200
    assert len(re.findall(r"<li><code>\d{8}</code></li>", codes.content.decode())) == 10
    assert 'href="/admin/"' in codes.content.decode()
    # Entering the new app's code was the second step: no second sign-in.
    assert client.get("/admin/").status_code == 200
    types = set(Authenticator.objects.filter(user=officer).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


@pytest.mark.parametrize("fixture", ["officer", "editor", "superuser"])
def test_staff_sign_in_asks_for_the_code_after_the_password(client, home_page, request, fixture):
    user = request.getfixturevalue(fixture)
    secret = second_factor_for(user)

    response = sign_in_with_password(client, user)

    assert response["Location"] == SECOND_STEP
    assert signed_in_user_id(client) is None
    assert client.get("/admin/")["Location"].startswith(SIGN_IN)
    step = client.get(SECOND_STEP)
    assert step.status_code == 200
    assert "Enter your code" in step.content.decode()
    response = client.post(SECOND_STEP, {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_at_sign_in_is_a_field_error_and_signs_no_one_in(client, home_page, officer):
    second_factor_for(officer)
    sign_in_with_password(client, officer)

    response = client.post(SECOND_STEP, {"code": "999999x"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "The code is not right." in html
    assert signed_in_user_id(client) is None


def test_a_recovery_code_signs_staff_in_once(client, home_page, officer):
    second_factor_for(officer)
    code = recovery_code(officer)
    sign_in_with_password(client, officer)

    assert client.post(SECOND_STEP, {"code": code})["Location"] == "/admin/"
    client.post("/accounts/logout/")
    sign_in_with_password(client, officer)
    again = client.post(SECOND_STEP, {"code": code})
    assert again.status_code == 200
    assert signed_in_user_id(client) is None


@pytest.mark.without_two_factor
def test_a_staff_session_without_the_second_step_is_asked_for_a_code(client, home_page, officer):
    """A session begun before the person was staff, or before they set up the app."""
    secret = second_factor_for(officer)
    client.force_login(officer)

    response = client.get("/admin/pages/?p=2")

    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fpages%2F%3Fp%3D2"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()
    back = client.post(response["Location"], {"code": totp_code(secret)})
    assert back["Location"] == "/admin/pages/?p=2"
    assert client.get("/admin/").status_code == 200


@pytest.mark.without_two_factor
def test_residents_are_never_asked_for_a_second_factor(client, home_page, resident):
    client.force_login(resident)

    assert client.get("/my/profile/").status_code == 200
    assert client.get("/admin/")["Location"].startswith(SIGN_IN)


@pytest.mark.without_two_factor
def test_anyone_the_admin_lets_in_needs_a_second_factor_even_without_is_staff(client, home_page):
    group = Group.objects.create(name="Volunteer editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(email="volunteer@example.org")
    user.groups.add(group)
    client.force_login(user)

    assert client.get("/admin/")["Location"] == SET_UP
    assert needs_two_factor(user, admin=True)
    assert not needs_two_factor(user)


@pytest.mark.without_two_factor
def test_allauths_own_pages_stay_open_to_staff_setting_up(client, home_page, officer):
    client.force_login(officer)
    confirm_password(client)

    for path in ("/accounts/2fa/", SET_UP, "/accounts/password/change/"):
        assert client.get(path).status_code == 200, path
    assert client.post("/admin/logout/").status_code == 302
    assert signed_in_user_id(client) is None


def test_staff_cannot_turn_off_their_only_second_factor(client, home_page, officer):
    second_factor_for(officer)
    client.force_login(officer)
    confirm_password(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert "You cannot turn off two-factor sign-in" in response.content.decode()
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()


def test_residents_can_turn_off_two_factor_sign_in(client, home_page, resident):
    second_factor_for(resident)
    client.force_login(resident)
    confirm_password(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response["Location"] == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user=resident).exists()


def test_the_two_factor_pages_are_in_the_site_layout(client, home_page, officer):
    second_factor_for(officer)
    client.force_login(officer)
    confirm_password(client)

    for path in ("/accounts/2fa/", RECOVERY_CODES, "/accounts/2fa/webauthn/add/"):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert 'class="govuk-skip-link"' in html, path
        assert "govuk-heading-l" in html, path


def test_confirming_the_password_before_set_up_is_in_govuk_wording(client, home_page, officer):
    sign_in_with_password(client, officer)

    page = client.get("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/")
    wrong = client.post(
        "/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": "wrong"}
    )

    assert "Confirm your password" in page.content.decode()
    assert "placeholder" not in page.content.decode()
    assert wrong.status_code == 200
    assert "govuk-error-summary" in wrong.content.decode()
