"""Delivery in a real browser: the public progress pages as a resident, the
review form, and an officer recording a commitment change in the admin."""

from playwright.sync_api import expect

from .axe import assert_accessible, assert_pages_accessible

PROGRAMME = "/programmes/libraries-and-archives/"
REVIEW = PROGRAMME + "review-the-home-library-and-digital-help/"
PUBLIC = [
    "/what-we-said-we-would-do/",
    "/what-we-said-we-would-do/?status=dropped",
    "/what-we-said-we-would-do/?ward=nowhere&status=lost",  # the form with errors
    PROGRAMME,
    REVIEW,
    PROGRAMME + "how-kelderbys-libraries-will-be-run/",
]


def test_progress_pages_are_accessible_and_filter_without_javascript(browser, page, demo_server):
    assert_pages_accessible(page, demo_server, PUBLIC)
    page.goto(demo_server + "/")
    page.get_by_role("link", name="What we said we would do").first.click()
    assert page.url.endswith("/what-we-said-we-would-do/")

    context = browser.new_context(java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(demo_server + "/what-we-said-we-would-do/")
    no_js.select_option("#id_status", "dropped")
    no_js.click("text=Apply filters")
    assert "status=dropped" in no_js.url
    cards = no_js.locator(".delivery-commitment")
    assert cards.count() == 1
    assert "Move the archive to the old county court" in cards.first.inner_text()
    no_js.click("text=Timeline (2 updates)")
    assert "building survey found damp" in cards.first.inner_text()
    context.close()


def test_a_resident_reviews_the_service(page, demo_server, sign_in):
    sign_in(page, demo_server, "resident@example.org")
    page.goto(demo_server + REVIEW)
    page.click("text=Send your review")  # nothing chosen: errors, nothing saved
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, page.url)
    page.get_by_label("I use it", exact=True).check()
    page.locator("input[name^='score_'][value='4']").first.check()
    page.locator("textarea[name^='reason_']").first.fill("The home visits are reliable.")
    page.click("text=Send your review")
    assert page.locator("text=Thank you. Your review has been sent.").is_visible()
    assert page.locator("text=You reviewed this service").is_visible()


def test_an_officer_updates_a_commitment_and_residents_see_it(page, demo_server, sign_in):
    from delivery.models import Commitment

    commitment = Commitment.objects.get(title="Keep the archive's accreditation")
    sign_in(page, demo_server, "officer@example.org")
    page.goto(f"{demo_server}/admin/snippets/delivery/commitment/edit/{commitment.pk}/")
    page.locator("input[name='status'][value='changed']").check()
    page.fill("textarea[name='status_reason']", "")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Say why the commitment is changed").first).to_be_visible()
    page.screenshot(path="/tmp/shot-admin-error.png", full_page=True)
    page.fill("textarea[name='status_reason']", "Accreditation visit moved to the spring.")
    page.fill("input[name='progress']", "30")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/commitment/")
    page.goto(f"{demo_server}/admin/snippets/delivery/commitment/history/{commitment.pk}/")
    page.screenshot(path="/tmp/shot-admin-history.png", full_page=True)
    expect(page.get_by_text("Edited").first).to_be_visible()
    page.goto(demo_server + "/what-we-said-we-would-do/?status=changed")
    assert "Accreditation visit moved to the spring." in page.content()
