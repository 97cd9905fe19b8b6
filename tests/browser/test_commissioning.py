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
