"""Sign-up, sign-in and password pages: allauth in the site's design and settings."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-7"  # noqa: S105


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def first_link(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
    ],
)
def test_signed_out_pages_use_the_site_design(client, home_page, url):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-template" in html
    assert 'class="govuk-heading-l"' in html
    assert 'id="main-content"' in html


@pytest.mark.parametrize(
    "url", ["/accounts/logout/", "/accounts/password/change/", "/accounts/email/"]
)
def test_signed_in_pages_use_the_site_design(client, home_page, resident, url):
    client.force_login(resident)

    html = client.get(url).content.decode()

    assert "govuk-template" in html
    assert "govuk-button" in html
    assert 'href="/my/profile/"' in html  # breadcrumb back to the account


def test_form_fields_render_govuk_markup(client, home_page):
    html = client.get("/accounts/signup/").content.decode()

    assert '<label class="govuk-label govuk-label--s" for="id_email">' in html
    assert 'class="govuk-input"' in html
    assert 'class="govuk-button"' in html
    assert 'aria-describedby="id_password1-hint"' in html
    assert "coproduce-honeypot" in html


def test_errors_show_a_summary_linking_to_fields_and_a_message_by_each(client, home_page):
    response = client.post(
        "/accounts/signup/", {"email": "not-an-email", "password1": "x", "password2": "y"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert '<a href="#id_email">' in html
    assert 'id="id_email-error" class="govuk-error-message"' in html
    assert "govuk-input--error" in html
    assert "<title>Error:" in html
    assert 'value="not-an-email"' in html
    assert not User.objects.exists()


def test_signup_verification_email_confirm_then_signed_in(client, home_page):
    response = client.post(
        "/accounts/signup/",
        {"email": "Newcomer@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    user = User.objects.get(email__iexact="newcomer@example.org")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    link = first_link(mail.outbox[0])
    assert link.startswith("/accounts/confirm-email/")

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "govuk-button" in confirm_page.content.decode()
    client.post(link)

    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user_id(client) == str(user.pk)


def test_signup_refused_when_the_honeypot_is_filled(client, home_page):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "bot@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "website_url": "http://spam.example",
        },
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not User.objects.filter(email="bot@example.org").exists()
    assert mail.outbox == []


def test_login_before_verification_is_refused(client, home_page):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user_id(client) is None
    assert len(mail.outbox) == 1  # a fresh verification link


def test_verified_user_signs_in(client, home_page, resident):
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(resident.pk)


def test_password_reset_answers_the_same_for_unknown_and_known_addresses(
    client, home_page, resident
):
    known = client.post("/accounts/password/reset/", {"email": resident.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    # Both get an email; only the account holder's has a reset link.
    assert [m.to for m in mail.outbox] == [[resident.email], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_password_reset_from_the_emailed_link(client, home_page, resident):
    client.post("/accounts/password/reset/", {"email": resident.email})
    link = first_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert "govuk-input" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(NEW_PASSWORD)
    done = client.get(response["Location"])
    assert "Your password has been changed" in done.content.decode()


def test_password_change(client, home_page, resident):
    client.force_login(resident)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_current_password_shows_the_error_by_the_field(
    client, home_page, resident
):
    client.force_login(resident)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    html = response.content.decode()
    assert 'href="#id_oldpassword"' in html
    assert 'id="id_oldpassword-error"' in html
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)


def test_repeated_failed_logins_are_rate_limited(client, home_page, resident):
    responses = [
        client.post("/accounts/login/", {"login": resident.email, "password": "wrong"})
        for _ in range(8)
    ]

    last = responses[-1]
    assert last.status_code == 200  # the form again, with the message
    assert "Too many failed login attempts" in last.content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert signed_in_user_id(client) is None
    assert "Too many failed login attempts" in response.content.decode()


def test_logout(client, home_page, resident):
    client.force_login(resident)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_email_page_lists_addresses_as_a_radio_group(client, home_page, resident):
    client.force_login(resident)

    html = client.get("/accounts/email/").content.decode()

    assert '<fieldset class="govuk-fieldset">' in html
    assert 'class="govuk-radios__input"' in html
    assert resident.email in html
    assert "<script" not in html.split('id="main-content"')[1].split("</main>")[0]


def test_adding_an_invalid_email_shows_the_error_by_the_field(client, home_page, resident):
    client.force_login(resident)

    response = client.post("/accounts/email/", {"action_add": "", "email": "nope"})

    html = response.content.decode()
    assert html.count("govuk-error-summary__title") == 1
    assert 'id="id_email-error"' in html
