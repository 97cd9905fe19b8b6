"""Settings shared by every environment: SQLite's safety options wherever SQLite is used."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from coproduce.settings.base import SQLITE_OPTIONS, database_from_url


def test_a_sqlite_database_url_keeps_the_safety_options():
    config = database_from_url("sqlite:////tmp/coproduce.sqlite3")

    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_a_postgres_database_url_gets_no_sqlite_options():
    config = database_from_url("postgres://coproduce@db.internal:5432/coproduce")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in config.get("OPTIONS", {})


def _setting(module, expression, tmp_path, **environment):
    """`expression` over `coproduce.settings.<module>` as `s`, read in a fresh process."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "REDIS_URL",
            "ASSETMAP_TILE_URL",
        }
    }
    env.update(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="coproduce.kelderby.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **environment,
    )
    code = f"import json; from coproduce.settings import {module} as s; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("module", ["dev", "production"])
def test_every_environment_applies_them_to_database_url(module, tmp_path):
    options = _setting(module, "s.DATABASES['default']['OPTIONS']", tmp_path)

    assert options == SQLITE_OPTIONS


def test_rate_limits_and_allauth_trust_the_same_proxies():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT


def test_map_tiles_are_off_unless_a_council_names_a_tile_server(tmp_path):
    tiles, images = _setting(
        "production",
        "[s.ASSETMAP_TILE_URL, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]",
        tmp_path,
    )
    assert (tiles, images) == ("", ["'self'", "data:"])


def test_a_named_tile_server_is_used_and_allowed_by_the_public_csp(tmp_path):
    url = "https://tiles.kelderby.example/{z}/{x}/{y}.png"
    tiles, images, admin_images = _setting(
        "production",
        "[s.ASSETMAP_TILE_URL, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
        " s.ADMIN_CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]",
        tmp_path,
        ASSETMAP_TILE_URL=url,
    )
    assert tiles == url
    assert "https://tiles.kelderby.example" in images
    assert "https://tiles.kelderby.example" not in admin_images
