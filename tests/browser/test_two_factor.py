"""Two-factor sign-in for staff in a real browser: accessible, keyboard only, under the CSP."""

from .axe import axe_violations, format_violations
from .conftest import DEMO_PASSWORD


def _assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, format_violations(page.url, violations)


def test_a_new_officer_sets_up_an_authenticator_app_by_keyboard(page, demo_server):
    """Password, then the set-up page (the key as text beside the QR code), then the admin."""
    from accounts.models import User
    from accounts.roles import roles_sync
    from tests.accounts.factories import UserFactory, totp_code

    officer = UserFactory(email="new.officer@example.org", is_staff=True)
    officer.set_password(DEMO_PASSWORD)
    officer.save()
    officer.groups.add(roles_sync()["officer"])

    page.goto(f"{demo_server}/admin/")
    page.fill('input[name="login"]', officer.email)
    page.fill('input[name="password"]', DEMO_PASSWORD)
    with page.expect_navigation():
        page.press('input[name="password"]', "Enter")
    # allauth asks for the password again before any change to sign-in.
    assert "/accounts/reauthenticate/" in page.url
    _assert_no_violations(page)
    page.fill('input[name="password"]', DEMO_PASSWORD)
    with page.expect_navigation():
        page.press('input[name="password"]', "Enter")

    assert page.url.endswith("/accounts/2fa/totp/activate/")
    _assert_no_violations(page)
    assert page.locator("img.coproduce-qr").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.fill('input[name="code"]', "123")
    with page.expect_navigation():
        page.press('input[name="code"]', "Enter")
    assert page.locator(".govuk-error-summary").is_visible()
    _assert_no_violations(page)
    page.fill('input[name="code"]', totp_code(secret))
    with page.expect_navigation():
        page.press('input[name="code"]', "Enter")

    assert page.url.endswith("/accounts/2fa/recovery-codes/")
    _assert_no_violations(page)
    assert page.locator("#recovery_codes li").count() == 10
    page.get_by_role("button", name="Continue to the admin").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith("/admin")
    assert User.objects.get(pk=officer.pk).authenticator_set.count() == 2


def test_staff_second_step_pages_obey_the_content_security_policy(
    strict_page, demo_server, console_problems
):
    """The code page loads allauth's security-key script: no CSP violation, no script error."""
    page = strict_page
    problems = console_problems(page)
    page.goto(f"{demo_server}/accounts/login/?next=/admin/")
    page.fill('input[name="login"]', "editor@example.org")
    page.fill('input[name="password"]', DEMO_PASSWORD)
    with page.expect_navigation():
        page.press('input[name="password"]', "Enter")
    assert page.url.endswith("/accounts/2fa/authenticate/")
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="Use a security key").is_visible()

    page.fill('input[name="code"]', "86094129")  # the demo's first published recovery code
    with page.expect_navigation():
        page.press('input[name="code"]', "Enter")
    assert page.url.rstrip("/").endswith("/admin")

    page.goto(f"{demo_server}/accounts/2fa/webauthn/add/", wait_until="load")
    if "/accounts/reauthenticate/" in page.url:
        page.fill('input[name="password"]', DEMO_PASSWORD)
        with page.expect_navigation():
            page.press('input[name="password"]', "Enter")
    assert page.url.endswith("/accounts/2fa/webauthn/add/")
    page.wait_for_load_state("load")
    for path in ("/accounts/2fa/", "/accounts/2fa/recovery-codes/"):
        page.goto(f"{demo_server}{path}", wait_until="load")
    assert not problems, "\n".join(problems)
