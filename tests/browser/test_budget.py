"""The budget simulator in a real browser: the live total and the server's errors."""

from playwright.sync_api import expect

from budget.demo import OPEN_SLUG


def _conversation_url(base_url):
    from budget.models import BudgetConversationPage

    return base_url + BudgetConversationPage.objects.get(slug=OPEN_SLUG).url


def _line(page, name):
    return page.locator(f'[data-budget-line][data-name="{name}"]')


def test_live_total_flags_out_of_bounds_lines_and_server_reports_everything_at_once(
    strict_page, demo_server, sign_in
):
    page = strict_page
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, demo_server, "resident@example.org")
    url = _conversation_url(demo_server)
    page.goto(url)
    status = page.locator("[data-budget-status]")

    # Counted as typed, these would "meet" the £7.5m target with Libraries
    # £2m under its £2.6m minimum.
    _line(page, "Waste and recycling").fill("10400000")
    _line(page, "Council tax rise").fill("4990000")
    libraries = _line(page, "Libraries")
    libraries.fill("600000")
    # The live total updates once typing pauses (no string evaluation: the CSP forbids it).
    expect(status).to_contain_text("Not balanced")
    text = status.inner_text()
    assert "Target met" not in text
    assert "Libraries: £600,000 is below the minimum of £2,600,000 (by £2,000,000)." in text
    assert "Still to find: £410,000" in text
    assert libraries.get_attribute("aria-invalid") == "true"

    # Fixing the line clears the flag.
    libraries.fill("2600000")
    expect(status).not_to_contain_text("Not balanced")
    assert libraries.get_attribute("aria-invalid") is None

    # Sent with the line out of bounds and no proposal answered: every error at
    # once. Sent straight after typing: the totals' update must not move the button.
    libraries.fill("600000")
    page.locator("button[type=submit]", has_text="Send my response").click()
    page.locator(".govuk-error-summary").wait_for(timeout=60_000)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Say whether you support or oppose ASC-04" in summary
    assert "Say whether you support or oppose CORP-02" in summary
    assert "Libraries: £600,000 is below the minimum of £2,600,000" in summary
    assert "you are £410,000 short" in summary
    assert _line(page, "Libraries").input_value() == "600000"
    assert _line(page, "Council tax rise").input_value() == "4990000"
    assert "Target met" not in page.locator("[data-budget-status]").inner_text()
    assert not problems, problems
