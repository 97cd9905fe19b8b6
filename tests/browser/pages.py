"""Public pages of the demo borough, by app, for the accessibility sweep.

Each entry is a path, or a (path, expected status) pair. An app's engineers add
their demo pages here under their app's label (or keep a list in their own
`test_<app>.py`) and check them with `assert_pages_accessible`.
"""

DEMO_PAGES = {
    "coproduce": [
        "/",
        "/about/",
        "/accessibility/",
        "/privacy/",
        "/search/",
        "/search/?query=council",
        ("/no-such-page/", 404),
    ],
    "accounts": [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ],
}

# Pages seen signed in, as (demo account, path).
SIGNED_IN_PAGES = {
    "accounts": [
        ("resident@example.org", "/my/profile/"),
        ("resident@example.org", "/my/profile/delete/"),
    ],
}
