"""Pages shared among signed-in people (coproduce.shared): each reader gets exactly the page
rendered for them alone, their own parts filled in, and never another person's."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, RequestFactory
from wagtail.contrib.search_promotions.models import QueryDailyHits

from coproduce.cache import page_cache_generation
from coproduce.shared import NOT_SHARED, serve_shared, shared_key
from tests.assetmap.factories import AssetFactory, CommunityGroupFactory, GroupMembershipFactory
from tests.pages import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

# The page types whose views share their page among signed-in people.
SHARED = (
    "home",
    "standard page",
    "take part",
    "programme index",
    "programme",
    "asset call",
    "decision",
    "asset map",
    "an asset",
    "search",
)
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _group_lead(user_factory):
    lead = user_factory(email="lead@example.org")
    GroupMembershipFactory(user=lead, group=CommunityGroupFactory(), role="lead")
    AssetFactory(submitted_by=lead)
    return lead


@pytest.fixture(params=["resident", "group lead", "officer", "editor"])
def reader(request, user_factory):
    if request.param == "group lead":
        return _group_lead(user_factory)
    return request.getfixturevalue(request.param)


def _without_tokens(content):
    return TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', content)


def _rendered_alone(client, url, settings):
    """The page as it is rendered for one person, nothing shared or remembered."""
    seconds, settings.PAGE_CACHE_SECONDS = settings.PAGE_CACHE_SECONDS, 0
    try:
        return client.get(url)
    finally:
        settings.PAGE_CACHE_SECONDS = seconds


def _template_names(response):
    return {template.name for template in response.templates}


def test_every_reader_gets_the_page_as_if_rendered_for_them_alone(
    client, borough, reader, settings
):
    client.force_login(reader)
    for name, url in borough["pages"].items():
        client.get(url)
        shared = client.get(url)
        alone = _rendered_alone(client, url, settings)
        assert shared.status_code == alone.status_code == 200, name
        assert _without_tokens(shared.content) == _without_tokens(alone.content), name
        if name in SHARED:
            # Only the personal parts were rendered for this request.
            assert "base.html" not in _template_names(shared), name
            assert "navigation/account_links.html" in _template_names(shared), name


def test_an_officers_user_bar_and_a_residents_message_stay_theirs(home_page, officer, resident):
    page = StandardPageFactory(parent=home_page, title="Bin days")
    staff, person = Client(), Client()
    staff.force_login(officer)
    person.force_login(resident)
    storage = CookieStorage(RequestFactory().get("/"))
    person.cookies["messages"] = storage._encode(
        [Message(constants.SUCCESS, "Your asset was sent for checking")]
    )
    first = staff.get(page.url).content
    second = person.get(page.url).content
    again = staff.get(page.url).content
    assert b"wagtail-userbar" in first and b"wagtail-userbar" in again
    assert b"wagtail-userbar" not in second
    assert b"Your asset was sent for checking" in second
    assert b"Your asset was sent for checking" not in first + again
    # The message is shown once, then gone, as on any page.
    assert b"Your asset was sent for checking" not in person.get(page.url).content


def test_signed_in_and_signed_out_links_follow_the_reader(client, home_page, resident):
    page = StandardPageFactory(parent=home_page)
    assert b"Sign in</a>" in client.get(page.url).content
    client.force_login(resident)
    html = client.get(page.url).content
    assert b"Sign out</a>" in html and b"Sign in</a>" not in html
    client.logout()
    assert b"Sign in</a>" in client.get(page.url).content


def _token_page(request):
    template = engines["django"].from_string("<form>{% csrf_token %}</form>")
    return TemplateResponse(request, template)


def _request_for(user):
    request = RequestFactory().get("/a-form/")
    request.user = user
    return request


def _served(user):
    request = _request_for(user)
    response = serve_shared(request, lambda _personal: _token_page(request))
    if hasattr(response, "render"):
        response.render()
    return request, response


def test_a_csrf_token_outside_a_personal_part_is_never_shared(resident, officer):
    first_request, first = _served(resident)
    second_request, second = _served(officer)
    key = shared_key(first_request, page_cache_generation())
    assert cache.get(key) == NOT_SHARED
    first_token = first_request.META["CSRF_COOKIE"]
    assert first_token != second_request.META["CSRF_COOKIE"]
    assert TOKEN.search(first.content) and TOKEN.search(second.content)
    assert first.content != second.content


def test_a_personal_part_takes_only_plain_values(rf, resident, home_page):
    template = engines["django"].from_string(
        '{% load coproduce_tags %}{% personal "navigation/account_links.html" page=page %}'
    )
    request = _request_for(resident)
    with pytest.raises(TypeError, match="page"):
        serve_shared(
            request, lambda _personal: TemplateResponse(request, template, {"page": home_page})
        )


def test_a_search_from_a_shared_page_is_still_counted(client, resident, home_page):
    StandardPageFactory(parent=home_page, title="Library opening hours")
    client.force_login(resident)
    for _ in range(3):
        assert client.get("/search/?query=library").status_code == 200
    assert sum(QueryDailyHits.objects.values_list("hits", flat=True)) == 3


def test_an_assets_owner_sees_their_edit_button_and_pending_edit_and_others_do_not(
    user_factory, resident
):
    from assetmap.models import AssetRevision

    owner = user_factory(email="owner@example.org")
    asset = AssetFactory(name="Orchard", submitted_by=owner)
    AssetRevision.objects.create(asset=asset, data={"name": "Orchard 2"}, submitted_by=owner)
    theirs, other = Client(), Client()
    theirs.force_login(owner)
    other.force_login(resident)
    url = asset.get_absolute_url()
    other.get(url)  # the first request of a test makes the site's settings
    first = other.get(url).content
    mine = theirs.get(url)
    again = other.get(url).content
    assert b"Edit this asset" in mine.content and b"awaiting moderation" in mine.content
    assert "base.html" not in _template_names(mine)  # served from the shared page
    for html in (first, again):
        assert b"Orchard" in html
        assert b"Edit this asset" not in html and b"awaiting moderation" not in html


def test_an_unpublished_asset_is_shown_only_to_its_owner(user_factory, resident):
    from assetmap.models import Asset

    owner = user_factory(email="owner@example.org")
    asset = AssetFactory(name="Hidden hall", submitted_by=owner, status=Asset.PENDING)
    theirs, other = Client(), Client()
    theirs.force_login(owner)
    other.force_login(resident)
    assert b"Hidden hall" in theirs.get(asset.get_absolute_url()).content
    assert other.get(asset.get_absolute_url()).status_code == 404
