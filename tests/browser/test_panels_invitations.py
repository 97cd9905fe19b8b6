"""The civic lottery in a real browser: the officer imports addresses, draws the
invitations, makes the letters and enters a paper registration; a person with a
letter registers at /join/ without an account; the officer sees what people were told.

Set PANELS_SCREENSHOTS to a folder to keep a screenshot of each page.
"""

import io
import os
from pathlib import Path

from pypdf import PdfReader

from .axe import assert_accessible, axe_violations, format_violations

SHOTS = os.environ.get("PANELS_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _csv(tmp_path):
    rows = ["uprn,line_1,line_2,town,postcode"]
    prefixes = ["KX1", "KX2", "KX3 1", "KX3 3", "KX4", "KX5", "KX6", "KX7"]
    for n in range(160):
        district, _, sector = prefixes[n % len(prefixes)].partition(" ")
        rows.append(f"{5000 + n},{n + 1} Test Road,,Kelderby,{district} {sector or '4'}AB")
    rows.append("12X,1 Bad Road,,Kelderby,KX1 4AB")
    rows.append("6000,1 Far Away,,Elsewhere,ZZ1 1ZZ")
    path = tmp_path / "addresses.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_officer_invites_by_post_and_a_household_registers_by_code(
    browser, page, demo_server, admin_sign_in, console_problems, tmp_path
):
    from panels.models import Invitation, PanelPage

    panel = PanelPage.objects.get(slug="citizen-commissioner-panel")
    problems = console_problems(page)
    admin_sign_in(page, demo_server, "officer@example.org")
    base = f"{demo_server}/admin/panels/invitations/panel/{panel.pk}/"

    _import_and_draw(page, base, tmp_path)
    reader = _letters(page)
    codes = list(Invitation.objects.filter(panel=panel).values_list("code", flat=True))
    assert codes[0] in reader.pages[0].extract_text().replace("-", "")
    person_problems = _household_registers(browser, demo_server, console_problems, codes[1])
    _officer_enters_a_paper_slip(page, base, codes[2])
    _responses_and_messages(page, base)
    # The admin's avatars come from gravatar.com, which the site's CSP blocks (site-wide).
    assert not [p for p in problems if "gravatar.com" not in p], problems
    assert not person_problems, person_problems


def _import_and_draw(page, base, tmp_path):
    """1. Import: good rows imported, bad ones listed with the reason. 2. The draw, seeded."""
    page.goto(base)
    page.set_input_files("input[name=file]", str(_csv(tmp_path)))
    with page.expect_navigation():
        page.click("button[value=import]")
    text = page.inner_text("main")
    assert "160 addresses imported, 2 rows refused" in text
    assert "The UPRN is not a number of up to 12 digits" in text
    assert "The postcode is not in any of the borough's wards" in text
    _shot(page, "officer-import")

    page.fill("input[name=size]", "40")
    page.fill("input[name=seed]", "2468")
    with page.expect_navigation():
        page.click("button[value=draw]")
    assert "Invitations drawn" in page.inner_text("body")
    assert "seed 2468" in page.inner_text("main")
    _shot(page, "officer-draw")


def _letters(page):
    """3. The letters: made in the background (inline here), then downloaded."""
    with page.expect_navigation():
        page.click("button[value=letters]")
    page.reload()
    link = page.get_by_role("link", name="PDF, 40 letters")
    with page.expect_download() as download:
        link.click()
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(reader.pages) == 40
    _shot(page, "officer-letters")
    return reader


def _submit(page):
    with page.expect_navigation():
        page.click("button[type=submit]")


def _household_registers(browser, demo_server, console_problems, code):
    """4. A household registers at /join/ with its code, without an account."""
    from panels.models import Application

    # bypass_csp only so that axe-core can be injected (as the `page` fixture does).
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    person = context.new_page()
    person_problems = console_problems(person)
    person.goto(f"{demo_server}/join/")
    assert_accessible(person, person.url)
    person.fill("#id_code", "ABCD-2345")
    _submit(person)
    assert "We cannot find that code" in person.inner_text("main")
    assert person.locator(".govuk-error-summary").count() == 1
    assert not (found := axe_violations(person)), format_violations(person.url, found)
    _shot(person, "join-unknown-code")
    person.fill("#id_code", f"{code[:4].lower()} {code[4:].lower()}")
    _submit(person)
    assert person.url.endswith("/join/register/")
    assert_accessible(person, person.url)
    person.fill("#id_name", "Robin Letter")
    person.fill("#id_email", "robin@example.net")
    _answer_the_profile(person)
    _shot(person, "join-register")
    _submit(person)
    assert "You are registered" in person.inner_text("main")
    # A POST's answer: checked where it is (opening its URL again would start over).
    assert not (found := axe_violations(person)), format_violations(person.url, found)
    _shot(person, "join-done")
    application = Application.objects.get(email="robin@example.net")
    assert application.channel == Application.LETTER
    assert application.user is None
    person.goto(f"{demo_server}/join/")
    person.fill("#id_code", code)
    _submit(person)
    assert "already registered with this code" in person.inner_text("main")
    context.close()
    return person_problems


def _answer_the_profile(page):
    for name in ("age_band", "gender", "ethnicity", "disability", "service_user"):
        page.locator(f"input[name={name}]").first.check()
    page.locator("input[name=availability]").first.check()
    page.check("#id_consent")


def _officer_enters_a_paper_slip(page, base, code):
    """5. The officer enters a paper reply slip."""
    from panels.models import Application

    page.goto(base + "register/")
    page.fill("#id_code", code)
    page.check("input[name=channel][value=paper]")
    page.fill("#id_name", "Pat Paper")
    page.fill("#id_phone", "07700 900321")
    _answer_the_profile(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Register", exact=True).click()
    assert "Pat Paper is registered" in page.inner_text("body")
    _shot(page, "officer-assisted")
    paper = Application.objects.get(name="Pat Paper")
    assert paper.channel == Application.PAPER
    assert paper.entered_by.email == "officer@example.org"


def _responses_and_messages(page, base):
    """6. Responses against the letters sent. 7. What people were told: Robin's
    confirmation by email; no text message service (Notify is not set up) for
    Pat, which the officer sees."""
    page.goto(base + "responses/")
    assert "2 registrations from 40 letters" in page.inner_text("main")
    assert_accessible(page, page.url)
    _shot(page, "officer-responses")

    assert_accessible(page, base)
    text = page.inner_text("main")
    assert "GOV.UK Notify is not set up" in text
    assert "Council email server" in text
    assert "07700 900321" in text
    assert "Not sent: no service for this channel" in text
    page.locator("#messages").scroll_into_view_if_needed()
    _shot(page, "officer-messages")
