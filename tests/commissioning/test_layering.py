"""The shape every app keeps (CONTRIBUTING): services never import forms."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APPS = ("accounts", "assetmap", "budget", "commissioning", "consultations", "delivery", "panels")


def _imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("app", APPS)
def test_services_do_not_import_forms(app):
    root = Path(settings.BASE_DIR) / app
    for path in [*root.glob("services.py"), *root.glob("*/services.py")]:
        forms = [m for m in _imported_modules(path) if m == "forms" or m.endswith(".forms")]
        assert not forms, f"{path.relative_to(root.parent)} imports {forms}"
