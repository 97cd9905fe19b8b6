import pytest

from tests.panels.factories import make_panel


@pytest.fixture
def panel(home_page, officer):
    return make_panel(home_page, officers=[officer])
