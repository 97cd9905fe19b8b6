"""Run benchmarks, each in its own process on its own fresh database.

python -m benchmarks            # every benchmarks/bench_*.py
python -m benchmarks site panels
python -m benchmarks --list
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SETTINGS = "coproduce.settings.dev"


def available():
    return sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        return run_child(args.child)
    names = available()
    if args.list:
        print("\n".join(names))
        return 0
    unknown = sorted(set(args.names) - set(names))
    if unknown:
        parser.error(f"no benchmark called {', '.join(unknown)} (have: {', '.join(names)})")
    failed = []
    for name in args.names or names:
        if run_in_process(name) != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def run_in_process(name):
    """Run one benchmark in a child process, on a temporary SQLite file unless DATABASE_URL."""
    print(f"\n== {name}", flush=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        if not os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            env["BENCH_FRESH_DATABASE"] = "1"
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks", "--child", name], env=env, cwd=HERE.parent
        )
    return child.returncode


def run_child(name):
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    django.setup()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    module = import_module(f"benchmarks.bench_{name}")
    fresh_file = os.environ.get("BENCH_FRESH_DATABASE") == "1"
    started = time.perf_counter()
    if fresh_file:
        call_command("migrate", verbosity=0, interactive=False)
    else:
        # A server named by DATABASE_URL: a new database beside the configured one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{name}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    # A new database: nothing the shared cache kept from another run's may answer.
    cache.clear()
    try:
        figures = module.run()
    finally:
        if not fresh_file:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    record = {
        "benchmark": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.machine(),
        },
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": _version("wagtail"),
        "database": connection.vendor,
        "total_seconds": round(time.perf_counter() - started, 2),
        "figures": figures,
    }
    for key, value in figures.items():
        print(f"  {key}: {value}")
    RESULTS.mkdir(exist_ok=True)
    # A run on another database than SQLite keeps its own file beside SQLite's.
    suffix = "" if connection.vendor == "sqlite" else f"-{connection.vendor}"
    target = RESULTS / f"{name}{suffix}.json"
    partial = target.with_suffix(".json.tmp")
    partial.write_text(json.dumps(record, indent=2, default=str) + "\n")
    partial.replace(target)
    print(f"  recorded in {target.relative_to(HERE.parent)}")
    return 0


def _version(package):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
