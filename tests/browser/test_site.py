"""Every public page of the site and its account pages passes axe-core (WCAG 2.2 AA)."""

import pytest

from .axe import assert_accessible, assert_pages_accessible, axe_violations, format_violations
from .pages import DEMO_PAGES, SIGNED_IN_PAGES


@pytest.mark.parametrize("app", sorted(DEMO_PAGES))
def test_demo_pages_are_accessible(page, demo_server, app):
    assert_pages_accessible(page, demo_server, DEMO_PAGES[app])


@pytest.mark.parametrize("app", sorted(SIGNED_IN_PAGES))
def test_signed_in_pages_are_accessible(page, demo_server, sign_in, app):
    for email, path in SIGNED_IN_PAGES[app]:
        sign_in(page, demo_server, email)
        assert_accessible(page, demo_server + path)
        page.context.clear_cookies()


def test_search_results_page_lists_results(page, demo_server):
    page.goto(f"{demo_server}/search/?query=accessibility")
    assert page.locator("main .coproduce-results a", has_text="Accessibility statement").count()


def test_first_tab_reaches_skip_link_which_moves_focus_to_main(page, demo_server):
    page.goto(f"{demo_server}/about/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"text": "Skip to main content", "href": "#main-content"}
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_pages_run_under_the_content_security_policy(strict_page, demo_server):
    """No CSP violation and no script error on the home page with the policy enforced."""
    problems = []
    strict_page.on(
        "console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}")
    )
    strict_page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    for path in ["/", "/about/", "/search/?query=council"]:
        response = strict_page.goto(demo_server + path, wait_until="load")
        assert response.headers.get("content-security-policy"), f"no CSP on {path}"
    # The inline script ran under its hash, and GOV.UK Frontend's JavaScript
    # initialised the header's menu.
    assert strict_page.evaluate("() => document.body.classList.contains('js-enabled')")
    assert strict_page.evaluate(
        "() => document.querySelector('[data-module=govuk-service-navigation]')"
        ".hasAttribute('data-govuk-service-navigation-init')"
    )
    assert not problems, "\n".join(problems)


def test_every_content_block_is_accessible(page, demo_server):
    """A standard page using each StreamField block (the demo's pages use rich text only)."""
    from coproduce.models import HomePage
    from tests.coproduce.factories import ImageFactory, body_with_every_block
    from tests.pages import StandardPageFactory

    home = HomePage.objects.get()
    target = home.get_children().get(slug="about")
    blocks = StandardPageFactory(parent=home, slug="every-block", show_contents=True)
    blocks.body = body_with_every_block(image=ImageFactory(), link_page=target)
    blocks.save_revision().publish()

    assert_accessible(page, f"{demo_server}/every-block/")
    # GOV.UK Frontend turned the accordion's headings into buttons that open their sections.
    button = page.locator(".govuk-accordion__section-button").first
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert not axe_violations(page), format_violations(
        "the opened accordion", axe_violations(page)
    )
