"""The manifests: every app declares what it brings, and startup refuses what is missing."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from commissioning import manifest as manifest_module
from commissioning.checks import (
    check_engagement_summaries,
    check_personal_data_declared,
    personal_data_problems,
    summary_problems,
)
from commissioning.manifest import registered_manifests
from commissioning.personal_data import registered_personal_data


def test_the_platform_as_installed_passes_both_checks():
    assert check_personal_data_declared() == []
    assert check_engagement_summaries() == []


def test_every_engagement_app_declares_a_manifest_with_its_demo():
    labels = [manifest.app_label for manifest in registered_manifests()]
    for label in ("commissioning", "budget", "assetmap", "panels", "consultations", "delivery"):
        assert label in labels
    assert all(manifest.demo for manifest in registered_manifests())


def test_the_manifests_fill_the_privacy_registry():
    labels = {entry.label for entry in registered_personal_data()}
    assert {"citizen panels", "budget conversations", "participations"} <= labels


@isolate_apps("commissioning")
def test_a_model_with_personal_fields_and_no_declaration_is_refused():
    class Helpline(models.Model):  # noqa: DJ008
        telephone = models.CharField(max_length=20)

        class Meta:
            app_label = "commissioning"

    class Opening(models.Model):  # noqa: DJ008
        weekday = models.CharField(max_length=10)

        class Meta:
            app_label = "commissioning"

    problems = personal_data_problems([Helpline, Opening], declared=set())
    assert [problem.id for problem in problems] == ["coproduce.E001"]
    assert problems[0].obj is Helpline
    assert personal_data_problems([Helpline], declared={"commissioning.helpline"}) == []


def test_a_user_link_marks_personal_data():
    from panels.models import Application

    problems = personal_data_problems([Application], declared=set())
    assert [problem.obj for problem in problems] == [Application]


def test_an_engagement_page_without_a_summary_is_refused():
    from budget.models import BudgetConversationPage

    problems = summary_problems([BudgetConversationPage], lambda model: False)
    assert [problem.id for problem in problems] == ["coproduce.E002"]


def test_startup_fails_when_an_app_leaves_its_personal_data_out(monkeypatch):
    without_panels = {
        label: manifest
        for label, manifest in manifest_module._MANIFESTS.items()
        if label != "panels"
    }
    monkeypatch.setattr(manifest_module, "_MANIFESTS", without_panels)
    with pytest.raises(SystemCheckError, match="panels.Application holds personal data"):
        call_command("check")
