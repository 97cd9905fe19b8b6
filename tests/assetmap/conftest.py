import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assetmap.models import AssetMapPage
from commissioning.models import ProgrammeIndexPage, ProgrammePage
from tests.commissioning.factories import WardFactory

from .factories import (
    AssetCategoryFactory,
    CommunityGroupFactory,
    GroupMembershipFactory,
    PostcodeFactory,
)


@pytest.fixture
def ward(db):
    return WardFactory(name="Fernhill", slug="fernhill", postcode_prefixes="KX5")


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Brookside", slug="brookside", postcode_prefixes="KX2")


@pytest.fixture
def postcodes(db):
    """Two Fernhill postcodes (KX5) and one in Brookside (KX2), as the council loads them."""
    return [
        PostcodeFactory(postcode="KX5 1AB", latitude=53.6501, longitude=-2.1102),
        PostcodeFactory(postcode="KX5 2CD", latitude=53.6603, longitude=-2.1304),
        PostcodeFactory(postcode="KX2 3EF", latitude=53.6205, longitude=-2.1806),
    ]


@pytest.fixture
def category(db):
    return AssetCategoryFactory(name="Green spaces", slug="green-spaces")


@pytest.fixture
def other_category(db):
    return AssetCategoryFactory(name="Food", slug="food")


@pytest.fixture
def group(db):
    return CommunityGroupFactory(name="Fernhill Friends", slug="fernhill-friends")


@pytest.fixture
def member(group, user_factory):
    user = user_factory(email="member@example.org")
    GroupMembershipFactory(group=group, user=user)
    return user


@pytest.fixture
def map_page(home_page):
    page = AssetMapPage(title="Community assets map", slug="assets")
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def programme(home_page):
    index = ProgrammeIndexPage(title="Programmes", slug="programmes")
    home_page.add_child(instance=index)
    programme = ProgrammePage(title="Day opportunities", slug="day-opportunities")
    index.add_child(instance=programme)
    return programme


@pytest.fixture
def count_queries():
    """count_queries(callable) -> (number of queries, result)."""

    def run(func):
        with CaptureQueriesContext(connection) as context:
            result = func()
        return len(context.captured_queries), result

    return run
