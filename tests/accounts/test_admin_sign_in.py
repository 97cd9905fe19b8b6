"""One way in: the Wagtail admin signs people in, out and resets passwords through allauth."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.accounts.factories import PASSWORD, UserFactory, second_factor_for, totp_code

pytestmark = pytest.mark.django_db


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def unverified_staff(db):
    user = UserFactory(email="new.officer@example.org", is_staff=True, verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


def test_admin_login_page_sends_people_to_allauth_keeping_next(client, home_page):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"


def test_admin_login_refuses_a_next_address_on_another_site(client, home_page):
    response = client.get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_login_post_never_signs_an_unverified_account_in(
    client, home_page, unverified_staff
):
    response = client.post(
        "/admin/login/", {"username": unverified_staff.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_admin_login_post_does_not_say_whether_a_password_is_right(client, home_page, officer):
    right = client.post("/admin/login/", {"username": officer.email, "password": PASSWORD})
    wrong = client.post("/admin/login/", {"username": officer.email, "password": "wrong"})

    assert (right.status_code, right["Location"]) == (wrong.status_code, wrong["Location"])
    assert signed_in_user_id(client) is None


def test_thirty_wrong_passwords_for_the_admin_are_throttled(client, home_page, officer):
    for _ in range(30):
        response = client.post(
            "/accounts/login/?next=/admin/", {"login": officer.email, "password": "wrong"}
        )

    assert "Too many failed login attempts" in response.content.decode()
    client.post("/accounts/login/?next=/admin/", {"login": officer.email, "password": PASSWORD})
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("fixture", ["officer", "editor"])
def test_officers_and_editors_sign_in_through_allauth_and_reach_the_admin(
    client, home_page, request, fixture
):
    user = request.getfixturevalue(fixture)
    secret = second_factor_for(user)

    password = client.post(
        "/accounts/login/?next=/admin/", {"login": user.email, "password": PASSWORD}
    )
    assert password["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in_user_id(client) == str(user.pk)
    assert client.get("/admin/").status_code == 200


def test_unverified_staff_cannot_sign_in_to_the_admin(client, home_page, unverified_staff):
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": unverified_staff.email, "password": PASSWORD},
    )

    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user_id(client) is None


def test_residents_signed_in_do_not_reach_the_admin(client, home_page, resident):
    client.force_login(resident)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admin_password_reset_goes_to_allauth_and_sends_nothing(client, home_page, officer):
    page = client.get("/admin/password_reset/")
    posted = client.post("/admin/password_reset/", {"email": officer.email})

    assert page["Location"] == posted["Location"] == "/accounts/password/reset/"
    assert mail.outbox == []


def test_admin_password_resets_are_limited_like_allauths(client, home_page, officer):
    for _ in range(8):
        client.post("/accounts/password/reset/", {"email": officer.email})

    assert len(mail.outbox) == 5


def test_admin_sign_out_goes_through_allauth(client, home_page, officer):
    client.force_login(officer)

    response = client.post("/admin/logout/")

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_wagtails_front_end_sign_in_goes_to_allauth_and_signs_no_one_in(
    client, home_page, officer
):
    """Found by the permission matrix: /_util/login/ was a second way in, without allauth."""
    page = client.get("/_util/login/?next=/about/")
    posted = client.post(
        "/_util/login/", {"username": officer.email, "password": PASSWORD}, follow=False
    )

    assert page["Location"] == "/accounts/login/?next=%2Fabout%2F"
    assert posted["Location"] == "/accounts/login/?next=%2F"
    assert signed_in_user_id(client) is None
