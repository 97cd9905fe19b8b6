"""How the admin refuses someone, pinned exactly (never "302 or 403").

Wagtail sends a person without admin access to the sign-in page, and a person
with admin access but without the permission back to the dashboard with a
message.
"""

SIGN_IN = "/accounts/login/"
DASHBOARD = "/admin/"


def assert_sent_to_sign_in(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(SIGN_IN), response["Location"]


def assert_sent_to_dashboard(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == DASHBOARD, response["Location"]
