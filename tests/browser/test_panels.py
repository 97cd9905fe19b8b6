"""Citizen panels in a real browser: applying with the ward known, and the lottery's timing."""

from .axe import assert_accessible

PANEL = "/programmes/day-opportunities/citizen-commissioner-panel/"


def _console_problems(page):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _resident_applies_with_their_ward_known(page, demo_server):
    from commissioning.models import Ward

    page.goto(demo_server + PANEL)
    assert page.get_by_role("button", name="Apply to join the panel").count() == 1
    page.goto(demo_server + PANEL + "apply/")
    brookside = Ward.objects.get(slug="brookside")
    assert page.input_value("#id_ward") == str(brookside.pk)
    assert "Your profile says Brookside" in page.inner_text("main")
    assert_accessible(page, page.url)


def _officer_closes_applications_then_draws(officer, demo_server, panel):
    from panels.models import LotteryRun

    officer.goto(demo_server + f"/admin/panels/lottery/panel/{panel.pk}/")
    assert "Applications are open until" in officer.inner_text("main")
    assert officer.locator("button[value=announce]").count() == 0
    with officer.expect_navigation():
        officer.click("button[value=close_applications]")
    officer.get_by_text("Applications are closed").first.wait_for()
    assert "Applications are closed" in officer.inner_text("body")
    officer.click("button[value=announce]")
    officer.locator("button[value=start]").click(timeout=60_000)
    officer.wait_for_url("**/admin/panels/lottery/run/**", timeout=120_000)
    assert "Completed" in officer.inner_text("main")
    record = officer.inner_text("main")
    assert "Age band: " in record and "prefer-not" not in record
    run = LotteryRun.objects.get(panel=panel)
    assert run.status == LotteryRun.COMPLETED


def _public_page_no_longer_invites_applications(page, demo_server):
    page.goto(demo_server + PANEL)
    text = page.inner_text("main")
    assert page.get_by_role("button", name="Apply to join the panel").count() == 0
    assert "The panel has been drawn" in text and "reserve list" in text
    assert_accessible(page, page.url)
    page.goto(demo_server + PANEL + "apply/")
    assert page.locator("form button[type=submit]").count() == 0
    assert "no longer takes applications" in page.inner_text("main")


def test_draw_only_after_applications_close_then_the_page_stops_inviting(
    browser, page, demo_server, sign_in
):
    from panels.models import PanelPage

    panel = PanelPage.objects.get(slug="citizen-commissioner-panel")
    problems = _console_problems(page)

    # A resident applying sees the ward their profile already knows.
    sign_in(page, demo_server, "resident@example.org")
    _resident_applies_with_their_ward_known(page, demo_server)

    # The officer cannot draw while applications are open; closing them is one button.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    officer = context.new_page()
    officer_problems = _console_problems(officer)
    sign_in(officer, demo_server, "officer@example.org")
    _officer_closes_applications_then_draws(officer, demo_server, panel)
    context.close()

    # Afterwards the public page no longer invites applications, and says who may still join.
    _public_page_no_longer_invites_applications(page, demo_server)
    assert not problems, problems
    # The admin's avatars come from gravatar.com, which the site's CSP blocks: a
    # site-wide admin setting, not this page's.
    assert not [p for p in officer_problems if "gravatar.com" not in p], officer_problems
