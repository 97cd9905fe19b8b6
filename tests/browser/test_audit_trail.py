"""The audit trail in a real browser, under the admin's Content Security Policy."""

import pytest

from commissioning import audit
from commissioning.models import AuditEntry

pytestmark = pytest.mark.browser


def test_officer_reads_filters_and_downloads_the_audit_trail(
    strict_page, demo_server, admin_sign_in, console_problems
):
    page = strict_page
    problems = console_problems(page)
    admin_sign_in(page, demo_server, "officer@example.org")
    page.goto(f"{demo_server}/admin/panels_application/")

    # Reports → Audit trail, from the menu.
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Audit trail").click()
    page.wait_for_url("**/admin/reports/audit-trail/")
    table = page.locator("table.listing")
    assert "Applications (list)" in table.inner_text()
    assert "Lottery draw started" in table.inner_text()

    # Filter by action with Wagtail's filter panel: the results refresh in place.
    page.get_by_role("button", name="Show filters").click()
    page.locator(".w-drilldown__toggle", has_text="Action").click()
    page.get_by_label("View personal data").check()
    page.wait_for_url("**action=audit.view**")
    page.locator("table.listing").filter(has_text="Viewed").wait_for()
    assert "Lottery draw started" not in page.locator("table.listing").inner_text()

    # The download, with the officer's session (the header's "…" menu links to it).
    response = page.request.get(
        f"{demo_server}/admin/reports/audit-trail/?action=audit.view&export=csv"
    )
    assert response.body().decode("utf-8-sig").startswith("Date and time,Person,Action")
    assert AuditEntry.objects.filter(action=audit.EXPORT, data__format="csv").exists()
    assert not problems, "\n".join(problems)
