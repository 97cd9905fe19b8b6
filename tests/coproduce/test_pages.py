"""Each site page type renders; search, sitemap, account and admin entry points answer."""

import pytest
from django.urls import reverse

from coproduce.models import HomePageFeatured
from tests.pages import StandardPageFactory

from .factories import ImageFactory, body_with_every_block

pytestmark = pytest.mark.django_db


def test_home_page_shows_hero_introduction_take_part_and_featured(client, home_page):
    about = StandardPageFactory(
        parent=home_page, title="How we commission", introduction="The cycle."
    )
    home_page.hero_heading = "Shape Kelderby's services"
    home_page.introduction = "See what is open now."
    home_page.save()
    HomePageFeatured.objects.create(home=home_page, page=about, sort_order=0)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Shape Kelderby&#x27;s services" in html
    assert "See what is open now." in html
    assert "Take part now" in html
    assert f'href="{about.url}"' in html
    assert "The cycle." in html  # the featured page's introduction stands in for a summary


def test_standard_page_renders_every_block(client, home_page):
    target = StandardPageFactory(parent=home_page, title="Budget conversation")
    page = StandardPageFactory(parent=home_page, title="Taking part", show_contents=True)
    page.body = body_with_every_block(image=ImageFactory(), link_page=target)
    page.save_revision().publish()

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    # Rich text, and its h2 in the contents list.
    assert "Residents know their streets." in html
    assert 'href="#why-we-ask"' in html
    # Image, with the alt text given in the block.
    assert 'alt="Volunteers planting trees"' in html
    # Call to action linking to the chosen page.
    assert "Have your say" in html
    assert f'href="{target.url}"' in html
    # Accordion with each item.
    assert 'class="govuk-accordion"' in html
    assert "Who can take part?" in html
    assert "Ten minutes." in html
    # Breadcrumbs lead home.
    assert 'class="govuk-breadcrumbs"' in html


def test_search_finds_live_pages_only(client, home_page):
    StandardPageFactory(parent=home_page, title="Library opening hours")
    draft = StandardPageFactory(parent=home_page, title="Library closures draft", live=False)

    response = client.get(reverse("search"), {"query": "library"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Library opening hours" in html
    assert draft.title not in html
    assert "1 result for" in html


def test_search_paginates(client, home_page):
    for number in range(15):
        StandardPageFactory(parent=home_page, title=f"Allotment site {number}")

    first = client.get(reverse("search"), {"query": "allotment"})
    second = client.get(reverse("search"), {"query": "allotment", "page": 2})

    assert "15 results for" in first.content.decode()
    assert len(first.context["results"]) == 10
    assert len(second.context["results"]) == 5
    assert 'class="govuk-pagination"' in first.content.decode()
    assert "query=allotment&amp;page=2" in first.content.decode()


def test_search_syntax_is_read_as_a_normal_query(client, home_page):
    """Quotes and operators that SQLite's full-text search would parse are just text."""
    StandardPageFactory(parent=home_page, title="Library opening hours")
    queries = [
        '"',
        'a"b',
        'library"',
        '"library',
        '""',
        "*",
        "library*",
        "(",
        ")",
        "^",
        "-",
        "+",
        "NEAR(",
        "AND",
        "OR",
        "NOT",
        "a:b",
        "library OR",
        "'",
        "\\",
    ]

    for query in queries:
        response = client.get(reverse("search"), {"query": query})
        assert response.status_code == 200, query
    html = client.get(reverse("search"), {"query": 'library"'}).content.decode()
    assert "Library opening hours" in html


@pytest.mark.parametrize("page_number", ["abc", "999", "-1"])
def test_search_with_a_bad_page_number_still_answers(client, home_page, page_number):
    StandardPageFactory(parent=home_page, title="Allotment rules")

    response = client.get(reverse("search"), {"query": "allotment", "page": page_number})

    assert response.status_code == 200
    assert "Allotment rules" in response.content.decode()


def test_search_with_an_empty_query_shows_the_form_only(client, home_page):
    response = client.get(reverse("search"), {"query": ""})

    assert response.status_code == 200
    assert response.context["results"] is None
    assert "result" not in response.content.decode().split("</form>")[1]


def test_search_with_an_overlong_query_says_so(client, home_page):
    response = client.get(reverse("search"), {"query": "x" * 300})

    assert response.status_code == 200
    assert 'class="govuk-error-summary' in response.content.decode()


def test_search_form_is_labelled(client, home_page):
    html = client.get(reverse("search")).content.decode()

    assert '<label class="govuk-label govuk-label--s" for="id_query">' in html
    assert 'id="id_query"' in html
    assert 'role="search"' in html


def test_sitemap_lists_live_pages(client, home_page):
    live = StandardPageFactory(parent=home_page, slug="bin-collections")
    draft = StandardPageFactory(parent=home_page, slug="secret-draft", live=False)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    assert "http://testserver/" in xml
    assert f"http://testserver{live.url}" in xml
    assert draft.slug not in xml


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_account_pages_render(client, home_page, url):
    response = client.get(url)

    assert response.status_code == 200
    assert 'class="govuk-skip-link"' in response.content.decode()


def test_admin_redirects_anonymous_visitors_to_the_sign_in_page(client, home_page):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_admin_sign_in_through_allauth(client, home_page, user_factory):
    from tests.accounts.factories import PASSWORD, second_factor_for, totp_code

    admin = user_factory(email="admin@example.org", is_staff=True, is_superuser=True)
    secret = second_factor_for(admin)

    client.post("/accounts/login/?next=/admin/", {"login": admin.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, follow=True)

    assert response.status_code == 200
    assert response.wsgi_request.user == admin
    assert response.redirect_chain[-1][0] == "/admin/"


def test_admin_dashboard_does_not_ask_wagtail_for_its_latest_version(
    client, home_page, user_factory
):
    # The upgrade panel's script calls releases.wagtail.org, which the admin CSP refuses.
    client.force_login(user_factory(is_staff=True, is_superuser=True))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert b"w-upgrade" not in response.content


def _meta_description(response):
    import re

    match = re.search(r'<meta name="description" content="([^"]*)">', response.content.decode())
    return match.group(1) if match else None


def test_every_page_has_a_meta_description(client, home_page):
    from tests.pages import StandardPageFactory

    described = StandardPageFactory(
        parent=home_page, search_description="Bins and recycling in Kelderby."
    )
    introduced = StandardPageFactory(parent=home_page, introduction="How council tax is spent.")

    assert _meta_description(client.get(described.url)) == "Bins and recycling in Kelderby."
    assert _meta_description(client.get(introduced.url)) == "How council tax is spent."
    assert "residents decide together" in _meta_description(client.get("/take-part/"))
