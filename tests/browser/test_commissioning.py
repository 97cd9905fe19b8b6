"""The commissioning spine in a real browser: every public page passes axe-core."""

from .axe import assert_accessible, assert_pages_accessible

PUBLIC = [
    "/",
    "/programmes/",
    "/programmes/day-opportunities/",
    "/programmes/libraries-and-archives/",
    "/programmes/day-opportunities/what-we-heard-about-day-opportunities/",
    "/take-part/",
    "/take-part/?ward=castlegate&stage=plan",
    "/take-part/?ward=nowhere&stage=nonsense",  # the form with errors
]


def test_commissioning_pages_are_accessible(page, demo_server, sign_in):
    assert_pages_accessible(page, demo_server, PUBLIC)
    sign_in(page, demo_server, "resident@example.org")
    assert_accessible(page, demo_server + "/my/participation/")
    assert_accessible(page, demo_server + "/my/profile/about-you/")


def test_what_we_heard_on_the_closed_budget_conversation(page, demo_server):
    """The demo publishes what we heard: approved themes with quotes, accessible, no errors."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    assert_accessible(page, demo_server + "/programmes/day-opportunities/budget-2026-27/")
    heard = page.locator("#what-we-heard")
    assert heard.is_visible()
    assert "Keep libraries open" in heard.inner_text()
    assert "waiting for moderation" not in heard.inner_text()
    assert errors == []


def test_take_part_filters_work_without_javascript(browser, demo_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_server + "/take-part/")
    page.select_option("#id_stage", "plan")
    page.click("text=Apply filters")
    assert "stage=plan" in page.url
    assert page.locator(".coproduce-engagement").count() >= 1
    assert "Analyse needs and assets" not in page.locator(".coproduce-engagements").inner_text()
    context.close()


def test_a_reach_flag_leads_to_the_panels_quotas(page, demo_server, admin_sign_in):
    """The demo brief flags young residents; its link fills in the panel's quota."""
    from commissioning.models import ProgrammePage

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    admin_sign_in(page, demo_server, "officer@example.org")
    programme = ProgrammePage.objects.get(slug="day-opportunities")
    page.goto(f"{demo_server}/admin/commissioning/briefs/{programme.pk}/?stage=plan")
    flag = page.locator("#reach-by-group ~ ul li", has_text="Age band: 16 to 24")
    with page.expect_navigation():
        flag.get_by_role("link", name="Set a panel quota for 16 to 24").click()
    assert "/admin/panels/lottery/panel/" in page.url
    assert "From the officer brief:" in page.locator(".help-info").first.inner_text()
    row = page.locator("tr", has=page.locator("span.w-status", has_text="from the officer brief"))
    assert "16 to 24" in row.inner_text()
    assert row.locator("input").first.input_value() == "3"  # 16 % of 20 seats: 3.3
    assert errors == []
