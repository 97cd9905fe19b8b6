"""Production settings: the deployment checklist passes, and missing variables are named.

Run in subprocesses, because settings are read once per process.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"]


def manage(*args, env):
    base = {
        key: value
        for key, value in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process.
        if key
        not in {*REQUIRED, "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "coproduce.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production_env(tmp_path):
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "coproduce.kelderby.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }


def test_deployment_checklist_passes_with_no_warnings(production_env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deployment_checklist_passes_with_redis(production_env):
    env = {**production_env, "REDIS_URL": "redis://127.0.0.1:6379/0"}

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing", [REQUIRED, ["SECRET_KEY"], ["ALLOWED_HOSTS"], ["DATABASE_URL"]], ids="-".join
)
def test_missing_variables_stop_with_their_names(production_env, missing):
    env = {name: value for name, value in production_env.items() if name not in missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "Production settings need these environment variables" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    for name in REQUIRED:
        assert (name in message) == (name in missing), message


def test_load_demo_refuses_production_settings(production_env):
    result = manage("load_demo", env=production_env)

    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr
