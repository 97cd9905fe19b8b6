"""The demo borough loads, and loading it again changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import IntegerField, Max
from wagtail.models import Page, Revision

pytestmark = pytest.mark.django_db


def snapshot():
    """Row count and highest primary key of every model, and each page's latest revision."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label
        if label in {"sessions.Session", "wagtailsearch.IndexEntry"}:
            continue
        manager = model._base_manager
        if isinstance(model._meta.pk, IntegerField):
            newest = manager.aggregate(top=Max("pk"))["top"]
        else:  # e.g. UUIDs, which have no order in PostgreSQL
            newest = sorted(str(pk) for pk in manager.values_list("pk", flat=True))
        state[label] = (manager.count(), newest)
    state["latest revisions"] = dict(Page.objects.values_list("pk", "latest_revision_id"))
    state["revision count"] = Revision.objects.count()
    return state


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    first = snapshot()

    call_command("load_demo", stdout=StringIO())
    second = snapshot()

    changed = {key: (first[key], second[key]) for key in first if first[key] != second[key]}
    assert not changed, f"a second load_demo changed (before, after): {changed}"


def test_load_demo_builds_the_site():
    from coproduce.models import FooterSettings, HomePage

    call_command("load_demo", stdout=StringIO())

    home = HomePage.objects.get()
    assert home.live
    assert set(home.get_children().live().values_list("slug", flat=True)) >= {
        "about",
        "accessibility",
        "privacy",
    }
    assert len(FooterSettings.objects.get().links) >= 2


def test_migrations_are_up_to_date():
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=StringIO())
    except SystemExit as exit:
        pytest.fail(f"models have changes without migrations (makemigrations --check): {exit}")
