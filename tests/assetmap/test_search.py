"""Published assets in the site search, and the map linked from the pages people look at."""

import pytest
from django.urls import reverse

from assetmap.models import Asset

from .factories import AssetFactory, asset_call, assets_bulk

SEARCH = reverse("search")


def test_site_search_finds_published_assets_linked_to_their_pages(
    client, home_page, map_page, category, ward
):
    allotments = AssetFactory(name="Bank Top Allotments", category=category, ward=ward)
    AssetFactory(name="Moor Lane Allotments", status=Asset.PENDING, category=category, ward=ward)
    AssetFactory(name="Old Allotment Shed", status=Asset.ARCHIVED, category=category, ward=ward)
    AssetFactory(name="Fernhill Library", category=category, ward=ward)
    html = client.get(SEARCH, {"query": "allotment"}).content.decode()
    assert "1 result for “allotment”" in html
    assert f'href="{allotments.get_absolute_url()}"' in html
    assert "Bank Top Allotments" in html
    assert "Space or place · Green spaces · Fernhill" in html
    assert "Moor Lane" not in html and "Old Allotment Shed" not in html
    assert "Fernhill Library" not in html
    assert 'href="/community-assets/?q=allotment"' in html


def test_site_search_matches_every_word_in_names_descriptions_and_tags(
    client, home_page, map_page, category, ward
):
    orchard = AssetFactory(
        name="Fernhill Orchard", description="Heritage apple trees.", category=category
    )
    orchard.tags.add("fruit picking")
    AssetFactory(name="Fernhill Hall", description="A hall.", category=category)
    html = client.get(SEARCH, {"query": "fernhill fruit"}).content.decode()
    assert "Fernhill Orchard" in html and "Fernhill Hall" not in html
    html = client.get(SEARCH, {"query": "apple"}).content.decode()
    assert "Fernhill Orchard" in html


def test_site_search_of_assets_keeps_a_fixed_number_of_queries(
    client, home_page, map_page, category, ward, count_queries
):
    assets_bulk(3, category=category, ward=ward)
    client.get(SEARCH, {"query": "bulk"})  # warm the per-process caches (settings, types)
    few, response = count_queries(lambda: client.get(SEARCH, {"query": "bulk"}))
    assert "3 results" in response.content.decode()
    assets_bulk(60, category=category, ward=ward)
    many, response = count_queries(lambda: client.get(SEARCH, {"query": "bulk"}))
    assert "63 results" in response.content.decode()
    assert many == few


def test_the_map_has_a_url_name_that_keeps_the_query(client, map_page):
    response = client.get(reverse("assetmap:map"), {"q": "allotment"})
    assert response.status_code == 302
    assert response["Location"] == f"{map_page.url}?q=allotment"


def test_the_map_url_name_is_a_404_without_a_map(client, home_page):
    assert client.get(reverse("assetmap:map")).status_code == 404


@pytest.mark.parametrize("where", ["home", "take_part", "programme", "call"])
def test_the_map_is_linked_where_people_look(client, map_page, programme, where):
    call = asset_call(programme)
    url = {
        "home": "/",
        "take_part": reverse("commissioning:take_part"),
        "programme": programme.url,
        "call": call.url,
    }[where]
    response = client.get(url)
    assert response.status_code == 200
    assert f'href="{reverse("assetmap:map")}"' in response.content.decode()
