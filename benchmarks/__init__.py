"""Benchmarks: `python -m benchmarks [name ...]` (or `make bench`).

Each `benchmarks/bench_<name>.py` defines `run() -> dict`. The runner gives
every benchmark its own process and a fresh database (a temporary SQLite
file, or, when DATABASE_URL is set, a new `bench_<name>` database on that
server, dropped afterwards), with `DJANGO_SETTINGS_MODULE=coproduce.settings.dev`,
migrations applied and Django's test environment set up (so `django.test.Client`
works, emails stay in memory and DEBUG is off, as in production). `run()`
builds its own data, measures, and returns the figures; the runner prints
them and records them in `benchmarks/results/<name>.json` with the date, the
machine's cores and the Python, Django and Wagtail versions.

Timing belongs here, never in the test suite.
"""
