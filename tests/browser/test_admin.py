"""The Wagtail admin in a real browser, under the admin's Content Security Policy.

The pages obey the policy (`strict_page`): a policy that blocks the admin's
inline scripts shows up here as console errors and as an editor whose "Add"
buttons, choosers and date pickers do nothing.
"""

from datetime import timedelta

from django.utils import timezone

from commissioning.models import DecisionPage, EngagementPage


def _choose_engagement(page, prefix, programme, engagement):
    page.locator(f"#{prefix}-engagement-chooser .chooser__choose-button").click()
    modal = page.locator(".modal-dialog")
    modal.wait_for()
    modal.locator(f'a.navigate-pages[href*="/choose-page/{programme.pk}/"]').click()
    modal.get_by_role("link", name=engagement.title, exact=True).click()
    modal.wait_for(state="detached")


def _keep_autosave_refusals(page, url):
    """Record the error codes of Wagtail's autosave requests that the server refuses."""
    refusals = []

    def autosave(route):
        if route.request.headers.get("accept") != "application/json":
            route.continue_()
            return
        response = route.fetch()
        if response.status == 400:
            refusals.append(response.json()["error_code"])
        route.fulfill(response=response)

    page.route(url, autosave)
    return refusals


def _officer_follows_closing_engagement_from_dashboard(page, closing):
    # The dashboard says what closes this week and links to its editor.
    panel = page.locator("#closing_engagements-section")
    assert "Engagements closing this week" in panel.inner_text()
    panel.get_by_role("link", name=closing.title).click()
    assert page.url.endswith(f"/admin/pages/{closing.pk}/edit/")


def _add_you_said_we_did_item(page, programme, engagement):
    before = int(page.locator("#id_items-TOTAL_FORMS").input_value())
    page.get_by_role("button", name="Add You said, we did").click()
    assert int(page.locator("#id_items-TOTAL_FORMS").input_value()) == before + 1
    prefix = f"id_items-{before}"
    page.fill(f"#{prefix}-theme", "Evening and weekend activities")
    page.fill(f"#{prefix}-people_said", "Day services close at four; carers work later.")
    page.fill(f"#{prefix}-decided", "Two centres open until seven on weekdays.")
    page.fill(f"#{prefix}-reason", "Most carers who answered work past four.")
    _choose_engagement(page, prefix, programme, engagement)
    assert page.locator(f"#{prefix}-engagement").input_value() == str(engagement.pk)


def _save_draft_and_find_the_item(page, decision, engagement):
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    assert page.locator(".messages .success").count(), page.locator(".messages").inner_text()
    draft = DecisionPage.objects.get(pk=decision.pk).get_latest_revision_as_object()
    added = [item for item in draft.items.all() if item.theme == "Evening and weekend activities"]
    assert len(added) == 1 and added[0].engagement_id == engagement.pk


def _assert_only_autosave_refusals(problems, refusals):
    # Wagtail autosaves the draft as the officer types: it refuses (400) while
    # the new item is half filled in, or when an autosave still in flight from
    # before "Save draft" makes a newer revision. The browser logs those
    # refusals as failed loads; they are the editor working, not a CSP violation.
    assert set(refusals) <= {"validation_error", "invalid_revision"}, refusals
    refusal = "Failed to load resource: the server responded with a status of 400"
    problems = [p for p in problems if not (refusals and refusal in p)]
    assert not problems, "\n".join(problems)


def test_officer_follows_the_dashboard_and_completes_a_decision(
    strict_page, demo_server, admin_sign_in, console_problems
):
    page = strict_page
    problems = console_problems(page)
    decision = DecisionPage.objects.get(slug="what-we-heard-about-day-opportunities")
    programme = decision.get_parent()
    engagement = EngagementPage.objects.child_of(programme).get(
        title="What matters in day opportunities"
    )

    closing = EngagementPage.objects.get(title="Share the places and groups that make a good day")
    EngagementPage.objects.filter(pk=closing.pk).update(
        closes_at=timezone.now() + timedelta(days=3)
    )

    admin_sign_in(page, demo_server, "officer@example.org")
    _officer_follows_closing_engagement_from_dashboard(page, closing)

    refusals = _keep_autosave_refusals(page, f"{demo_server}/admin/pages/{decision.pk}/edit/")
    page.goto(f"{demo_server}/admin/pages/{decision.pk}/edit/")
    _add_you_said_we_did_item(page, programme, engagement)
    # The date picker opens on the decision's date.
    page.click("#id_decided_on")
    page.locator(".xdsoft_datetimepicker:visible").wait_for()
    page.keyboard.press("Escape")
    _save_draft_and_find_the_item(page, decision, engagement)

    # The preview panel frames the page under the public site's policy.
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe")
    assert preview.locator("h1").first.inner_text() == decision.title

    page.goto(f"{demo_server}/admin/snippets/commissioning/participation/")
    assert page.locator("table.listing tbody tr").count()
    _assert_only_autosave_refusals(problems, refusals)
