"""Users are managed in the Wagtail admin with the email-only user model."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.roles import roles_sync
from tests.accounts.factories import UserFactory, engagement_page
from tests.commissioning.factories import ParticipationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-officer-password-3"  # noqa: S105


@pytest.fixture
def admin_client(client, home_page):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_superuser_creates_an_officer(admin_client):
    officers = roles_sync()["officer"]

    form = admin_client.get(reverse("wagtailusers_users:add"))
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.officer@example.org",
            "first_name": "Nia",
            "last_name": "Hughes",
            "display_name": "Nia (commissioning)",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "groups": [officers.pk],
        },
    )

    assert form.status_code == 200
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="new.officer@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert list(user.groups.all()) == [officers]
    assert user.display_name == "Nia (commissioning)"


def test_superuser_edits_a_user(admin_client):
    user = UserFactory(email="someone@example.org", first_name="Sam", last_name="Lee")

    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": "someone.else@example.org",
            "first_name": "Sam",
            "last_name": "Lee",
            "display_name": "Sam L",
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert user.email == "someone.else@example.org"
    assert user.display_name == "Sam L"


def test_duplicate_email_is_refused(admin_client):
    UserFactory(email="taken@example.org")

    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "taken@example.org",
            "first_name": "A",
            "last_name": "B",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert User.objects.filter(email="taken@example.org").count() == 1


def test_created_user_can_sign_in_on_the_public_site(admin_client):
    admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "made.by.admin@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    admin_client.logout()

    admin_client.post(
        "/accounts/login/", {"login": "made.by.admin@example.org", "password": NEW_PASSWORD}
    )

    user = User.objects.get(email="made.by.admin@example.org")
    assert admin_client.session.get("_auth_user_id") == str(user.pk)


def test_edited_email_becomes_the_verified_primary_address(admin_client):
    user = UserFactory(email="old@example.org")

    admin_client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {"email": "new@example.org", "is_active": "on", "password1": "", "password2": ""},
    )

    primary = EmailAddress.objects.get(user=user, primary=True)
    assert (primary.email, primary.verified) == ("new@example.org", True)
    assert EmailAddress.objects.filter(user=user, email="old@example.org", primary=False).exists()


def test_deleting_a_user_in_the_admin_anonymises_instead(admin_client, home_page):
    user = UserFactory(email="leaving@example.org")
    participation = ParticipationFactory(user=user, engagement=engagement_page(home_page))

    response = admin_client.post(reverse("wagtailusers_users:delete", args=[user.pk]))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.anonymised_at is not None
    assert user.email == f"deleted-{user.pk}@invalid.example"
    participation.refresh_from_db()
    assert participation.user_id == user.pk


def test_staff_account_page_offers_no_bad_time_zone_and_leaves_email_to_allauth(admin_client):
    # Wagtail would list every zoneinfo name, "localtime" included, which
    # browsers reject; and an email changed here would skip verification.
    html = admin_client.get(reverse("wagtailadmin_account")).content.decode()

    assert "localtime" not in html
    assert 'name="email-email"' not in html
