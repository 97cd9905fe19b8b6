"""axe-core in a real browser: inject it into a page, run it, report violations readably.

Every public page must pass WCAG 2.2 AA as axe-core checks it. Other apps'
browser tests call `assert_accessible(page, url)` (or `assert_pages_accessible`
for a list) with the Playwright page the `page` fixture gives them.
"""

import json
from pathlib import Path

from django.conf import settings

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe tags them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """
async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
    }));
}
"""


def axe_violations(page):
    """The WCAG A/AA violations on the page as it is now."""
    if not AXE_SCRIPT.exists():
        raise AssertionError(
            f"axe-core is missing at {AXE_SCRIPT}: run `npm ci` (make install does)."
        )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # The browser context bypasses the site's CSP so this inline script can run.
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def format_violations(url, violations):
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"  at {json.dumps(node['target'])}")
            lines.append(f"     {node['html'][:200]}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"     {detail}")
        if len(violation["nodes"]) > 10:
            lines.append(f"  … and {len(violation['nodes']) - 10} more element(s)")
    return "\n".join(lines)


def visit(page, url, *, expect_status=200):
    """Open `url` and check the status, so a broken page is not mistaken for an accessible one.

    A redirect fails too: a page that sends the browser to the login page
    would otherwise be checked in its place.
    """
    response = page.goto(url, wait_until="load")
    assert response is not None, f"no response from {url}"
    if response.request.redirected_from is not None:
        raise AssertionError(f"{url} redirected to {response.url}")
    assert response.status == expect_status, (
        f"{url} answered {response.status}, expected {expect_status}"
    )
    return response


def assert_accessible(page, url, *, expect_status=200):
    """Open `url` (absolute) in `page` and fail with a readable report of any violation."""
    visit(page, url, expect_status=expect_status)
    violations = axe_violations(page)
    assert not violations, format_violations(url, violations)


def assert_pages_accessible(page, base_url, paths):
    """Check several paths and report every failing page at once.

    `paths` holds paths, or (path, expected status) pairs for pages such as the 404.
    """
    reports = []
    for item in paths:
        path, status = item if isinstance(item, tuple) else (item, 200)
        url = base_url + path
        try:
            visit(page, url, expect_status=status)
        except AssertionError as error:
            reports.append(str(error))
            continue
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(url, violations))
    assert not reports, "\n\n".join(reports)
