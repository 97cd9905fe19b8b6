"""The asset map in a real browser: accessible pages, markers under the CSP, the location picker."""

from .axe import assert_accessible, assert_pages_accessible, axe_violations

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


def _unloaded_postcode(prefix):
    from assetmap.models import Postcode

    loaded = set(Postcode.objects.values_list("postcode", flat=True))
    letters = "ZYXWUTSRQPNLJHGFEDBA"
    return next(
        f"{prefix} {digit}{a}{b}"
        for digit in "987654321"
        for a in letters
        for b in letters
        if f"{prefix} {digit}{a}{b}" not in loaded
    )


def test_an_asset_located_by_postcode_reaches_the_map(page, demo_server, sign_in):
    from accounts.models import User
    from assetmap import services
    from assetmap.models import Asset, Postcode

    page.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
    known = Postcode.objects.filter(postcode__startswith="KX5 ").order_by("postcode").first()
    unknown = _unloaded_postcode("KX5")
    sign_in(page, demo_server, "resident@example.org")
    page.goto(demo_server + "/community-assets/new/")
    page.fill("#id_name", "Postcode Pantry")
    page.check("#id_kind_0")
    page.select_option("#id_category", index=1)
    page.fill("#id_description", "A pantry people find by its postcode.")
    page.fill("#id_postcode", unknown)
    page.click("button[value=submit]")
    summary = page.locator(".govuk-error-summary")
    assert f"We do not know where {unknown} is" in summary.inner_text()
    assert page.input_value("#id_postcode") == unknown
    assert page.input_value("#id_name") == "Postcode Pantry"
    assert axe_violations(page) == []

    page.fill("#id_postcode", known.postcode)
    with page.expect_navigation():
        page.click("button[value=submit]")
    assert "will appear on the map once it has been checked" in page.content()
    asset = Asset.objects.get(name="Postcode Pantry")
    assert (asset.latitude, asset.longitude) == (known.latitude, known.longitude)

    services.asset_approve(asset=asset, user=User.objects.get(email="officer@example.org"))
    page.goto(demo_server + "/assets/?q=Postcode+Pantry")
    markers = page.locator("#asset-map .leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == 1
    geojson = page.request.get(demo_server + "/api/assets.geojson?q=Postcode+Pantry").json()
    assert [f["properties"]["name"] for f in geojson["features"]] == ["Postcode Pantry"]
    page.goto(demo_server + "/community-assets/mine/")
    row = page.locator("tr", has_text="Postcode Pantry")
    assert "On the map." in row.inner_text()


def test_the_map_is_linked_and_its_assets_are_in_site_search(page, demo_server):
    page.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
    # From the header, on any page.
    page.goto(demo_server + "/")
    header_link = page.locator(".govuk-service-navigation__link", has_text="Community assets")
    with page.expect_navigation():
        header_link.click()
    assert page.locator("h1").inner_text() == "Community assets map"
    # From the home page, "take part now", the programme and the call for assets.
    for path in [
        "/",
        "/take-part/",
        "/programmes/day-opportunities/",
        "/programmes/day-opportunities/share-your-community-assets/",
    ]:
        page.goto(demo_server + path)
        link = page.locator("main a", has_text="community assets map").first
        with page.expect_navigation():
            link.click()
        assert page.locator("h1").inner_text() == "Community assets map", path
    # Site search finds a published asset and opens its page.
    page.goto(demo_server + "/search/?query=allotment")
    result = page.locator("main a", has_text="Bank Top Allotments").first
    assert_accessible(page, page.url)
    with page.expect_navigation():
        result.click()
    assert "Bank Top Allotments" in page.locator("h1").inner_text()
    assert "/community-assets/" in page.url


def test_on_a_phone_leaflet_waits_for_the_map_and_the_box_does_not_move(strict_page, demo_server):
    """Leaflet is off the first paint: it loads as the map comes near, into a reserved box."""
    from assetmap.models import Asset

    problems = []
    strict_page.on(
        "console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}")
    )
    strict_page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    strict_page.set_viewport_size({"width": 412, "height": 600})
    strict_page.goto(demo_server + "/assets/")
    strict_page.wait_for_load_state("networkidle")
    box = strict_page.locator("#asset-map")
    top, height = box.evaluate("e => [e.getBoundingClientRect().top + scrollY, e.offsetHeight]")
    assert top > 600 + 200  # well below the fold, so not loaded yet
    assert strict_page.evaluate("typeof window.L") == "undefined"
    assert strict_page.locator(".assetmap-list__item").count() >= 1

    box.scroll_into_view_if_needed()
    strict_page.locator("#asset-map .marker-cluster").first.wait_for()
    assert box.evaluate("e => [e.getBoundingClientRect().top + scrollY, e.offsetHeight]") == [
        top,
        height,
    ]

    asset = Asset.objects.published().mapped().order_by("id").first()
    strict_page.goto(demo_server + asset.get_absolute_url())
    strict_page.locator("#asset-map").scroll_into_view_if_needed()
    strict_page.locator("#asset-map .leaflet-marker-icon").first.wait_for()
    # The clustering plugin is only fetched where markers cluster.
    assert strict_page.evaluate("typeof window.L.markerClusterGroup") == "undefined"
    assert not problems, "\n".join(problems)
