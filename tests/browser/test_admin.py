"""The Wagtail admin in a real browser, under the admin's Content Security Policy.

The pages obey the policy (`strict_page`): a policy that blocks the admin's
inline scripts shows up here as console errors and as an editor whose "Add"
buttons, choosers and date pickers do nothing.
"""

from commissioning.models import DecisionPage, EngagementPage


def _choose_engagement(page, prefix, programme, engagement):
    page.locator(f"#{prefix}-engagement-chooser .chooser__choose-button").click()
    modal = page.locator(".modal-dialog")
    modal.wait_for()
    modal.locator(f'a.navigate-pages[href*="/choose-page/{programme.pk}/"]').click()
    modal.get_by_role("link", name=engagement.title, exact=True).click()
    modal.wait_for(state="detached")


def test_officer_adds_you_said_we_did_and_saves_a_draft(
    strict_page, demo_server, admin_sign_in, console_problems
):
    page = strict_page
    problems = console_problems(page)
    decision = DecisionPage.objects.get(slug="what-we-heard-about-day-opportunities")
    programme = decision.get_parent()
    engagement = EngagementPage.objects.child_of(programme).get(
        title="What matters in day opportunities"
    )

    admin_sign_in(page, demo_server, "officer@example.org")
    page.goto(f"{demo_server}/admin/pages/{decision.pk}/edit/")
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
    # The date picker opens on the decision's date.
    page.click("#id_decided_on")
    page.locator(".xdsoft_datetimepicker:visible").wait_for()
    page.keyboard.press("Escape")

    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    assert page.locator(".messages .success").count(), page.locator(".messages").inner_text()
    draft = DecisionPage.objects.get(pk=decision.pk).get_latest_revision_as_object()
    added = [item for item in draft.items.all() if item.theme == "Evening and weekend activities"]
    assert len(added) == 1 and added[0].engagement_id == engagement.pk

    page.goto(f"{demo_server}/admin/snippets/commissioning/participation/")
    assert page.locator("table.listing tbody tr").count()
    assert not problems, "\n".join(problems)
