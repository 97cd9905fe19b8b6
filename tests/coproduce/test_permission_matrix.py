"""One permission matrix: every URL pattern of the site and the admin, as each role.

The patterns come from Django's URL resolver, walked recursively, so a new
URL is in the matrix the moment it is added; its expected answers must be
declared in `tests/coproduce/permission_matrix.py` or
`test_every_pattern_has_a_declared_answer` fails and prints the row to add.
Each pattern is requested (GET, no redirects followed) with a concrete URL
built from the demo borough's objects, once per role, and the answer compared
with the declaration. One test loads the demo once and makes every request,
so the matrix costs one set-up.

`PERMISSION_MATRIX_PRINT=1 pytest tests/coproduce/test_permission_matrix.py -s`
prints every observed row in the declaration format.
"""

import os
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver

from .permission_matrix import ROLES, declared_row, format_row

pytestmark = pytest.mark.django_db


def url_patterns(patterns=None, prefix=""):
    """(route, pattern) for every URL pattern, routes joined as Django shows them."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        else:
            yield route, pattern


def test_every_pattern_has_a_declared_answer():
    missing = [route for route, _ in url_patterns() if declared_row(route) is None]

    assert not missing, (
        "These URL patterns have no declared answers. Add a row for each to ROUTES in "
        "tests/coproduce/permission_matrix.py (answers in the order "
        f"{' '.join(ROLES)}; run this module with PERMISSION_MATRIX_PRINT=1 -s to see "
        "what each role gets now):\n" + "\n".join(f'    "{route}": "…",' for route in missing)
    )


# --- the demo borough and the eight roles --------------------------------------------------


def _role_users():
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from assetmap.models import GroupMembership

    unverified = User.objects.create_user(email="unverified@example.org", password="x" * 12)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    lead = User.objects.get(email="group@example.org")
    assert GroupMembership.objects.filter(user=lead, role=GroupMembership.LEAD).exists()
    emails = {
        "resident": "resident@example.org",
        "group_lead": "group@example.org",
        "panel_member": "panel@example.org",
        "officer": "officer@example.org",
        "editor": "editor@example.org",
        "superuser": "admin@example.org",
    }
    users = {role: User.objects.get(email=email) for role, email in emails.items()}
    return {"anonymous": None, "unverified": unverified, **users}


def _clients(users):
    clients = {}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


# --- concrete URLs ----------------------------------------------------------------------


def answer(response):
    """A response in the matrix's words: ok, login, redirect, or the status code."""
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        return "login" if path in ("/accounts/login/", "/admin/login/") else "redirect"
    if response.status_code == 200:
        return "ok"
    return str(response.status_code)


def test_each_role_gets_the_declared_answer_from_every_pattern(home_page, settings, tmp_path):
    from .permission_matrix import ExampleUrls

    # Files on disk, as in production: Wagtail serves a document from its
    # storage's path, which the tests' in-memory storage invents but never
    # writes, so every document would answer 404 even to those allowed it.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    call_command("load_demo", stdout=StringIO())
    clients = _clients(_role_users())
    examples = ExampleUrls()
    wrong, observed = [], {}
    for route, pattern in url_patterns():
        url = examples.url(route, pattern)
        row = tuple(answer(clients[role].get(url)) for role in ROLES)
        observed[route] = row
        expected = declared_row(route)
        if expected is not None and tuple(expected) != row:
            wrong.append(
                f"{route} ({url})\n    declared: {format_row(expected)}\n"
                f"    observed: {format_row(row)}"
            )
    if os.environ.get("PERMISSION_MATRIX_PRINT"):
        for route, row in observed.items():
            print(f'    "{route}": "{format_row(row)}",')
    print(f"permission matrix: {len(observed)} patterns x {len(ROLES)} roles")

    assert len(observed) > 500
    assert not wrong, f"{len(wrong)} pattern(s) answer other than declared:\n" + "\n".join(wrong)
