"""Public pages: the map page and list, an asset's page, submission, My assets."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from assetmap.models import Asset, AssetRevision
from tests.accounts.factories import PASSWORD

from .factories import AssetFactory, asset_call, assets_bulk
from .images import jpeg_bytes, upload

NEW = reverse("assetmap:asset_new")


def form_data(category, ward_, **overrides):
    data = {
        "name": "Fernhill Orchard",
        "kind": "space",
        "category": str(category.pk),
        "description": "Heritage apple trees.",
        "ward": str(ward_.pk),
        "latitude": "53.65",
        "longitude": "-2.1",
        "tags": "fruit, free",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_map_page_lists_published_assets_with_filters(
    client, map_page, category, other_category, ward
):
    AssetFactory(name="Orchard", category=category, ward=ward)
    AssetFactory(name="Food bank", category=other_category, ward=ward)
    AssetFactory(name="Secret", status=Asset.PENDING, category=category, ward=ward)
    response = client.get(map_page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Orchard" in html and "Food bank" in html and "Secret" not in html
    assert 'data-points-url="/api/assets/points.json"' in html
    assert "vendor/leaflet/leaflet.js" in html
    # No inline script but GOV.UK's one line, which the CSP allows by its hash.
    assert re.findall(r"<script>(.*?)</script>", html, re.S) == [settings.JS_ENABLED_SCRIPT]

    filtered = client.get(map_page.url, {"category": "food"}).content.decode()
    assert "Food bank" in filtered and "Orchard" not in filtered
    assert "/api/assets/points.json?category=food" in filtered


def test_map_page_survives_bad_filters(client, map_page, category, ward):
    AssetFactory(name="Orchard", category=category, ward=ward)
    response = client.get(map_page.url, {"category": "nope", "page": "zzz"})
    assert response.status_code == 200
    assert "There is no such category." in response.content.decode()


def test_map_pages_load_leaflet_off_the_critical_path(client, map_page, category, ward):
    """Leaflet is neither a parser-blocking script nor a render-blocking stylesheet."""
    asset = AssetFactory(category=category, ward=ward)
    for url in [map_page.url, asset.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert 'data-leaflet="' in html and 'data-leaflet-css="' in html, url
        classic = re.findall(r'<script src="([^"]+)"', html)
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert not [src for src in classic + stylesheets if "leaflet" in src], url
        assert sum("assetmap" in href for href in stylesheets) == 1, url


def test_map_page_and_list_run_constant_queries(client, map_page, category, ward, count_queries):
    assets_bulk(10, category=category, ward=ward)
    client.get(map_page.url)  # warm Wagtail's site and settings caches
    small, _ = count_queries(lambda: client.get(map_page.url))
    small_page2, _ = count_queries(lambda: client.get(map_page.url, {"page": 1, "kind": "space"}))
    assets_bulk(1000, category=category, ward=ward)
    large, response = count_queries(lambda: client.get(map_page.url))
    large_page2, _ = count_queries(lambda: client.get(map_page.url, {"page": 3, "kind": "space"}))
    assert small == large
    assert small_page2 == large_page2
    assert (
        "1,010 assets" in response.content.decode() or "1010 assets" in response.content.decode()
    )


def test_asset_page_is_public_when_published_and_hidden_otherwise(
    client, map_page, category, ward, resident
):
    published = AssetFactory(name="Orchard", category=category, ward=ward)
    published.tags.add("fruit")
    pending = AssetFactory(name="Secret", status=Asset.PENDING, category=category, ward=ward)
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    assert "Orchard" in response.content.decode()
    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(resident)
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_submitter_sees_own_pending_asset(client, category, ward, resident):
    asset = AssetFactory(status=Asset.PENDING, submitted_by=resident, category=category, ward=ward)
    client.force_login(resident)
    response = client.get(asset.get_absolute_url())
    assert response.status_code == 200
    assert "Awaiting moderation" in response.content.decode()


def test_submission_needs_sign_in(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_submit_an_asset_with_a_photo(client, category, ward, resident):
    client.force_login(resident)
    assert client.get(NEW).status_code == 200
    data = form_data(category, ward, photos=upload("orchard.jpg", jpeg_bytes()))
    response = client.post(NEW, data)
    assert response.status_code == 302
    asset = Asset.objects.get()
    assert asset.status == Asset.PENDING
    assert asset.submitted_by == resident
    assert asset.photos.count() == 1
    assert sorted(asset.tags.names()) == ["free", "fruit"]


def test_save_as_draft(client, category, ward, resident):
    client.force_login(resident)
    client.post(NEW, form_data(category, ward, action="draft"))
    asset = Asset.objects.get()
    assert asset.status == Asset.DRAFT
    client.post(reverse("assetmap:asset_send", args=[asset.pk]))
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING


@pytest.mark.parametrize(
    "overrides, field_id, message",
    [
        ({"latitude": "51.5", "longitude": "-0.12"}, "id_latitude", "outside the borough"),
        ({"latitude": "north"}, "id_latitude", "Enter the latitude as a number"),
        ({"latitude": "53.65", "longitude": ""}, "id_longitude", "Enter the longitude as well"),
        ({"ward": "", "postcode": "ZZ9 9ZZ"}, "id_ward", "could not find a Kelderby ward"),
        ({"ward": "", "postcode": "XYZ 12"}, "id_postcode", "Enter a full UK postcode"),
        ({"name": ""}, "id_name", "Enter the name of the asset."),
        ({"kind": ""}, "id_kind_0", "Select what kind of asset it is."),
        ({"website": "not a url at all"}, "id_website", "Enter a valid URL"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_keeping_input(
    client, category, ward, resident, overrides, field_id, message
):
    client.force_login(resident)
    response = client.post(NEW, form_data(category, ward, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'href="#{field_id}"' in html  # the error summary links to the field
    assert 'value="Fernhill Orchard"' in html or overrides.get("name") == ""
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"just some text, not a photo" * 10, "photo.jpg", "is not a photo we can read"),
        (jpeg_bytes() + b"\0" * (5 * 1024 * 1024), "big.jpg", "larger than 5 MB"),
    ],
)
def test_bad_photos_are_refused_with_a_clear_message(
    client, category, ward, resident, content, name, message
):
    client.force_login(resident)
    response = client.post(NEW, form_data(category, ward, photos=upload(name, content)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Asset.objects.exists()


def test_the_honeypot_refuses_bots(client, category, ward, resident):
    client.force_login(resident)
    response = client.post(NEW, form_data(category, ward, website_url="http://spam.example"))
    assert response.status_code == 200
    assert not Asset.objects.exists()


def test_submissions_are_rate_limited(client, category, ward, resident, settings):
    from django.core.cache import cache

    cache.clear()
    client.force_login(resident)
    for i in range(20):
        client.post(NEW, form_data(category, ward, name=f"Asset {i}"))
    response = client.post(NEW, form_data(category, ward, name="One too many"))
    assert "too many times" in response.content.decode()
    assert Asset.objects.count() == 20
    cache.clear()


def test_submit_through_an_asset_call(client, category, ward, resident, programme):
    call = asset_call(programme)
    client.force_login(resident)
    page = client.get(call.url)
    assert page.status_code == 200
    assert f"?call={call.pk}" in page.content.decode()
    response = client.post(f"{NEW}?call={call.pk}", form_data(category, ward, call=str(call.pk)))
    assert response.status_code == 302
    assert Asset.objects.get().call_id == call.pk


def test_edit_of_published_asset_waits_and_my_assets_shows_state(
    client, category, ward, member, group
):
    asset = AssetFactory(name="Orchard", group=group, category=category, ward=ward)
    client.force_login(member)
    edit = reverse("assetmap:asset_edit", args=[asset.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, form_data(category, ward, name="Orchard (new)"))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.name == "Orchard"
    assert AssetRevision.objects.pending().get().data["name"] == "Orchard (new)"
    mine = client.get(reverse("assetmap:my_assets")).content.decode()
    assert "Changes awaiting moderation" in mine
    # The edit form starts from the pending changes, not the published version.
    assert 'value="Orchard (new)"' in client.get(edit).content.decode()


def test_my_assets_shows_the_rejection_reason(client, category, ward, resident):
    AssetFactory(
        name="Hall",
        status=Asset.REJECTED,
        moderation_reason="Please add an address.",
        submitted_by=resident,
        category=category,
        ward=ward,
    )
    client.force_login(resident)
    html = client.get(reverse("assetmap:my_assets")).content.decode()
    assert "Not accepted" in html and "Please add an address." in html


def test_my_assets_lists_the_groups_assets_in_constant_queries(
    client, category, ward, member, group, count_queries
):
    client.force_login(member)
    assets_bulk(5, category=category, ward=ward, group=group)
    client.get(reverse("assetmap:my_assets"))  # warm the session and site caches
    small, _ = count_queries(lambda: client.get(reverse("assetmap:my_assets")))
    assets_bulk(200, category=category, ward=ward, group=group)
    large, response = count_queries(lambda: client.get(reverse("assetmap:my_assets")))
    assert small == large
    assert "Bulk asset 199" in response.content.decode()


def test_strangers_cannot_open_the_edit_form(client, category, ward, resident):
    asset = AssetFactory(category=category, ward=ward)
    client.force_login(resident)
    assert client.get(reverse("assetmap:asset_edit", args=[asset.pk])).status_code == 403


def test_sign_in_with_password_works_for_the_form(client, category, ward, resident):
    assert client.login(email=resident.email, password=PASSWORD)
    assert client.get(NEW).status_code == 200


def test_an_unknown_postcode_is_said_next_to_it_keeping_the_input(
    client, category, ward, resident, postcodes
):
    client.force_login(resident)
    response = client.post(
        NEW, form_data(category, ward, postcode="kx5 9zz", latitude="", longitude="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "We do not know where KX5 9ZZ is" in html
    assert 'href="#id_postcode"' in html
    assert 'value="kx5 9zz"' in html and 'value="Fernhill Orchard"' in html
    assert not Asset.objects.exists()


def test_a_postcode_alone_puts_a_new_asset_on_the_map(client, category, ward, resident, postcodes):
    client.force_login(resident)
    response = client.post(
        NEW,
        form_data(category, ward, ward="", postcode="KX5 2CD", latitude="", longitude=""),
        follow=True,
    )
    asset = Asset.objects.get()
    assert (asset.latitude, asset.longitude) == (53.6603, -2.1304)
    assert "will appear on the map once it has been checked" in response.content.decode()


def test_my_assets_says_on_the_map_only_for_an_asset_that_is(client, category, ward, resident):
    AssetFactory(name="Mapped", submitted_by=resident, category=category, ward=ward)
    AssetFactory(
        name="Unmapped",
        submitted_by=resident,
        category=category,
        ward=ward,
        latitude=None,
        longitude=None,
    )
    client.force_login(resident)
    html = client.get(reverse("assetmap:my_assets")).content.decode()
    assert html.count("On the map.") == 1
    assert "not on the map: edit it to say where it is" in html
