"""Answering the demo's open consultation in a real browser: changing an answer from
check your answers, and the character count on long answers."""

from urllib.parse import urlsplit

from .axe import assert_accessible

LIBRARIES = "/programmes/libraries-and-archives/future-of-kelderbys-libraries/"
RANKING = [
    "Opening hours",
    "Book and e-book stock",
    "Computers and wifi",
    "Activities for children",
    "Somewhere warm and quiet to study",
]


def _watch_console(page):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


def _continue(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()


def _answer_section_one(page, satisfied="4"):
    page.get_by_label("Every week").check()
    page.get_by_label("Borrowing books or e-books").check()
    page.get_by_label(satisfied, exact=True).check()
    _continue(page)


def _rank(page):
    for position, item in enumerate(RANKING, start=1):
        page.get_by_label(item, exact=True).select_option(str(position))
    page.get_by_label("Better", exact=True).check()


def test_change_returns_to_check_your_answers(page, demo_server, sign_in):
    problems = _watch_console(page)
    sign_in(page, demo_server, "resident@example.org")
    page.goto(demo_server + LIBRARIES + "section/1/")
    _answer_section_one(page)
    _rank(page)
    _continue(page)
    assert page.url.endswith("/about-you/")
    _continue(page)
    assert page.url.endswith("/check-your-answers/")
    satisfied = page.locator(".govuk-summary-list__row", has_text="How satisfied are you")
    assert "4" in satisfied.locator(".govuk-summary-list__value").inner_text()

    with page.expect_navigation():
        satisfied.get_by_role("link", name="Change").click()
    assert "/section/1/" in page.url
    page.get_by_label("2", exact=True).check()
    _continue(page)
    # Straight back, not through section 2 and the equality questions again.
    assert urlsplit(page.url).path.endswith("/check-your-answers/")
    satisfied = page.locator(".govuk-summary-list__row", has_text="How satisfied are you")
    assert satisfied.locator(".govuk-summary-list__value").inner_text().strip() == "2"
    assert_accessible(page, page.url.split("#")[0])
    assert not problems, "\n".join(problems)


def test_long_answers_are_counted_and_refused_not_cut(strict_page, demo_server, sign_in):
    page = strict_page  # under the site's Content Security Policy
    problems = _watch_console(page)
    sign_in(page, demo_server, "resident@example.org")
    page.goto(demo_server + LIBRARIES + "section/1/")
    _answer_section_one(page)
    ideas = page.get_by_label("What would make you use libraries more? (optional)")
    status = page.locator(".govuk-character-count__status")
    assert status.inner_text() == "You have 1,500 characters remaining"

    ideas.fill("Open on Sundays.")
    assert status.inner_text() == "You have 1,484 characters remaining"
    too_long = "Open later on weekdays, please. " * 50  # 1,600 characters
    ideas.fill(too_long)
    assert ideas.input_value() == too_long  # nothing cut as it is typed or pasted
    status.filter(has_text="too many").wait_for()
    assert status.inner_text() == "You have 100 characters too many"

    _rank(page)
    _continue(page)
    assert "/section/2/" in page.url  # refused, not saved
    summary = page.locator(".govuk-error-summary")
    assert "What would make you use libraries more?: Your answer must be 1,500 characters" in (
        summary.inner_text()
    )
    ideas = page.get_by_label("What would make you use libraries more? (optional)")
    assert ideas.input_value() == too_long  # kept, to shorten
    assert (
        "1,500 characters or fewer (it has 1,599)"
        in page.locator("p.govuk-error-message").inner_text()
    )
    assert status.inner_text() == "You have 100 characters too many"
    assert not problems, "\n".join(problems)


def test_error_summary_names_the_questions(page, demo_server, sign_in):
    sign_in(page, demo_server, "resident@example.org")
    page.goto(demo_server + LIBRARIES + "section/1/")
    _continue(page)
    items = page.locator(".govuk-error-summary__list li").all_inner_texts()
    assert "How often do you use a Kelderby library?: Choose an answer to this question." in items
    assert (
        "How satisfied are you with your local library?: Choose an answer to this question."
        in (items)
    )
    assert len(set(items)) == len(items)
    assert_accessible(page, page.url)
