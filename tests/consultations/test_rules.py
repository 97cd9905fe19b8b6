"""Permissions, tested directly."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consultations import rules
from tests.consultations.factories import consultation_page, programme_page


@pytest.fixture
def pages(home_page):
    now = timezone.now()
    programme = programme_page(home_page)
    closed = {
        "opens_at": now - datetime.timedelta(days=9),
        "closes_at": now - datetime.timedelta(days=1),
    }
    return {
        "open_public": consultation_page(programme, slug="a", results_public=True),
        "closed_public": consultation_page(programme, slug="b", results_public=True, **closed),
        "closed_private": consultation_page(programme, slug="c", **closed),
    }


def test_officer_permissions(officer, editor, resident):
    for check in (
        rules.can_view_responses,
        rules.can_export_responses,
        rules.can_enter_paper_responses,
    ):
        assert check(officer)
        assert not check(resident)
        assert not check(editor)
        assert not check(AnonymousUser())


def test_results_visibility(pages, officer, resident):
    anonymous = AnonymousUser()
    assert rules.can_view_results(anonymous, pages["closed_public"])
    assert not rules.can_view_results(anonymous, pages["open_public"])
    assert not rules.can_view_results(resident, pages["closed_private"])
    assert rules.can_view_results(officer, pages["closed_private"])
    assert rules.can_view_results(officer, pages["open_public"])


def test_free_text_is_for_officers_only(pages, officer, resident):
    assert rules.can_view_free_text(officer, pages["closed_public"])
    assert not rules.can_view_free_text(resident, pages["closed_public"])
    assert not rules.can_view_free_text(AnonymousUser(), pages["closed_public"])
