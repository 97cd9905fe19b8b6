"""Fixtures of this folder."""

import pytest

from tests.coproduce.borough import borough_of


@pytest.fixture
def borough(home_page, officer):
    """One page of every public type, with a little of everything on it."""
    return borough_of(home_page, officer)
