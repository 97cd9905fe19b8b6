"""The asset map in a real browser: accessible pages, markers under the CSP, the location picker."""

from .axe import assert_accessible, assert_pages_accessible

PUBLIC = [
    "/assets/",
    "/assets/?kind=space&ward=fernhill",
    "/programmes/day-opportunities/share-your-community-assets/",
]


def test_asset_map_pages_are_accessible(page, demo_server, sign_in):
    from assetmap.models import Asset

    asset = Asset.objects.published().order_by("id").first()
    assert_pages_accessible(page, demo_server, [*PUBLIC, asset.get_absolute_url()])
    sign_in(page, demo_server, "group@example.org")
    for path in ["/community-assets/new/", "/community-assets/mine/"]:
        assert_accessible(page, demo_server + path)
    # The form with errors, too.
    page.goto(demo_server + "/community-assets/new/")
    page.fill("#id_latitude", "51.5")
    page.fill("#id_longitude", "-0.12")
    page.click("button[value=submit]")
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page, page.url)


def test_map_loads_markers_and_details_under_the_csp(strict_page, demo_server):
    problems = []
    strict_page.on(
        "console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}")
    )
    strict_page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    strict_page.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
    strict_page.goto(demo_server + "/assets/?ward=fernhill&kind=space")
    markers = strict_page.locator("#asset-map .leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() >= 1
    # A single marker opens a pop-up whose details load on demand.
    from urllib.parse import quote_plus

    from assetmap.models import Asset

    asset = Asset.objects.published().mapped().order_by("id").first()
    strict_page.goto(demo_server + f"/assets/?q={quote_plus(asset.name)}")
    marker = strict_page.locator("#asset-map .leaflet-marker-icon").first
    marker.wait_for()
    marker.click()
    strict_page.locator(".assetmap-popup__title a").wait_for()
    assert asset.name in strict_page.locator(".assetmap-popup__title").inner_text()
    assert not [p for p in problems if "openstreetmap" not in p], "\n".join(problems)


def test_clicking_the_picker_fills_in_the_coordinates(page, demo_server, sign_in):
    sign_in(page, demo_server, "resident@example.org")
    page.goto(demo_server + "/community-assets/new/")
    page.locator("#asset-picker").click()
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert 53.6 <= latitude <= 53.68
    assert -2.2 <= longitude <= -2.05
