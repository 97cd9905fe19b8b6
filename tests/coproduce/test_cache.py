"""The anonymous page cache: stored for anonymous visitors only, invalidated at once."""

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory

from coproduce.cache import page_cache_invalidate, request_is_cacheable, response_is_storable
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def home(client, home_page):
    """The home page once rendered: the site's settings rows exist, as they do in use."""
    client.get("/")
    client.cookies.clear()
    page_cache_invalidate()
    return home_page


def test_an_anonymous_page_is_stored_then_served_without_the_database(
    client, home, django_assert_num_queries
):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_gzip_and_identity_are_stored_apart(client, home):
    plain = client.get("/")
    zipped = client.get("/", headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["X-Page-Cache"] == "miss"
    assert "Content-Encoding" not in client.get("/")
    assert plain["X-Page-Cache"] == "miss"


def test_a_signed_in_person_is_never_served_nor_stored(client, home):
    anonymous = client.get("/")
    assert b"Sign in" in anonymous.content

    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    theirs = client.get("/")
    assert "X-Page-Cache" not in theirs
    assert b"Sign out" in theirs.content

    client.force_login(second)
    assert b"Sign out" in client.get("/").content

    client.logout()
    client.cookies.clear()
    again = client.get("/")
    assert again["X-Page-Cache"] == "hit"
    assert b"Sign out" not in again.content


def test_a_publish_is_visible_at_once(client, home):
    home_page = home
    assert b"Welcome." in client.get("/").content
    assert client.get("/")["X-Page-Cache"] == "hit"
    home_page.introduction = "Budget 2027 is open."
    home_page.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Budget 2027 is open." in response.content


def test_saving_public_content_starts_a_new_generation(client, home):
    from tests.commissioning.factories import WardFactory

    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    WardFactory()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_queryset_update_invalidates_through_the_helper(client, home):
    client.get("/")
    page_cache_invalidate()
    assert client.get("/")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize(
    "path, cookies, cacheable",
    [
        ("/", {}, True),
        ("/", {"sessionid": "x"}, False),
        ("/", {"messages": "x"}, False),
        ("/admin/", {}, False),
        ("/accounts/login/", {}, False),
        ("/my/participation/", {}, False),
        ("/static/css/site.css", {}, False),
    ],
)
def test_which_requests_may_use_the_cache(path, cookies, cacheable):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    assert request_is_cacheable(request) is cacheable


def test_a_post_is_never_cacheable():
    assert not request_is_cacheable(RequestFactory().post("/"))


def test_a_page_with_a_form_token_is_not_stored():
    request = RequestFactory().get("/")
    assert response_is_storable(request, HttpResponse("ok"))
    get_token(request)
    response = HttpResponse("ok")
    CsrfViewMiddleware(lambda r: response).process_response(request, response)
    assert not response_is_storable(request, response)


def test_a_page_setting_messages_or_cookies_is_not_stored():
    request = RequestFactory().get("/")
    response = HttpResponse("ok")
    storage = CookieStorage(request)
    storage.add(20, "Saved")
    storage.update(response)
    assert not response_is_storable(request, response)


@pytest.mark.parametrize("cache_control", ["private", "no-store", "no-cache, max-age=0"])
def test_private_responses_are_not_stored(cache_control):
    response = HttpResponse("ok")
    response["Cache-Control"] = cache_control
    assert not response_is_storable(RequestFactory().get("/"), response)


@pytest.mark.parametrize("status", [302, 404, 500])
def test_only_ok_answers_are_stored(status):
    assert not response_is_storable(RequestFactory().get("/"), HttpResponse(status=status))


def test_a_queryset_update_of_content_invalidates(client, home):
    from coproduce.models import HomePage

    client.get("/")
    HomePage.objects.filter(pk=home.pk).update(introduction="Changed quietly.")
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_write_outside_content_keeps_the_pages(client, home):
    client.get("/")
    UserFactory()
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_remembered_route_costs_fewer_queries_and_follows_a_new_slug(client, home):
    from tests.pages import StandardPageFactory

    parent = StandardPageFactory(parent=home, slug="guides")
    page = StandardPageFactory(parent=parent, slug="bins")
    settings_off = {"HTTP_COOKIE": "sessionid=x"}  # not from the page cache
    client.get("/guides/bins/", **settings_off)
    page.slug = "recycling"
    page.save_revision().publish()
    assert client.get("/guides/bins/", **settings_off).status_code == 404
    assert client.get("/guides/recycling/", **settings_off).status_code == 200


def test_an_audit_entry_keeps_the_pages(client, home):
    from wagtail.log_actions import log

    client.get("/")
    log(instance=home, action="wagtail.view_restriction.create")
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_hit_reads_the_shared_cache_once(client, home, monkeypatch):
    from coproduce import cache as page_cache

    first = client.get("/")
    reads = _count_round_trips(page_cache.cache, monkeypatch)
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert len(reads) == 1


def _count_round_trips(shared, monkeypatch):
    """Record each read of `shared` a backend makes in one round trip (`get_many` is one)."""
    reads = []
    get, get_many = shared.get, shared.get_many
    inside = []

    def counted_get(*args, **kwargs):
        if not inside:
            reads.append(args)
        return get(*args, **kwargs)

    def counted_get_many(*args, **kwargs):
        reads.append(args)
        inside.append(True)  # the local-memory backend's get_many calls get per key
        try:
            return get_many(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(shared, "get", counted_get)
    monkeypatch.setattr(shared, "get_many", counted_get_many)
    return reads


def test_another_worker_serves_a_page_stored_by_the_first(client, home):
    from coproduce.cache import worker_pages

    first = client.get("/")
    worker_pages.generation, worker_pages.pages = None, {}  # a worker that has not seen it
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_a_page_lives_no_longer_than_the_setting_even_in_a_worker(client, home, monkeypatch):
    import time

    from coproduce import cache as page_cache

    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    later = time.time() + 601
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_lost_generation_starts_one_never_used_before(home):
    from django.core.cache import cache

    from coproduce.cache import page_cache_generation

    before = page_cache_generation()
    cache.clear()  # a flush or an eviction: the pages a worker holds are of `before`
    assert page_cache_generation() != before


def test_a_worker_keeps_a_bounded_number_of_pages():
    from coproduce.cache import WorkerPages

    pages = WorkerPages(size=2)
    for key in "abc":
        pages.put(1, key, key.upper())
    assert pages.get(1, "a") is None
    assert (pages.get(1, "b"), pages.get(1, "c")) == ("B", "C")
    assert pages.get(2, "c") is None
    pages.put(2, "d", "D")
    assert pages.get(2, "c") is None


def test_a_hit_carries_every_header_of_the_page_it_stores(home, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    client = Client()  # its middleware made with the setting above
    first = client.get("/", secure=True)
    second = client.get("/", secure=True)
    assert second["X-Page-Cache"] == "hit"
    for header in (
        "Strict-Transport-Security",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Security-Policy",
        "X-Frame-Options",
    ):
        assert second[header] == first[header]
