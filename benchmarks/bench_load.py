"""Public pages under load, side by side with a bare Django view (the floor).

The demo borough is loaded into this benchmark's database; the site is then
served with production settings by gunicorn (2 workers), and so is the floor,
a fixed-string Django view behind Django's default middleware
(`benchmarks/floor/`). wrk, from a second process on loopback, drives each
public page type at 8 and 32 connections, measuring the floor again just
before each page, anonymous and signed in as the demo resident. Every figure
is requests per second, its ratio to the floor, and p50/p95/p99 latency.

Every request says `Accept-Encoding: gzip, deflate, br`, as browsers do, so
pages come back compressed as they reach residents (about 3 KB rather than
12 KB for the home page).

Needs wrk (`apt-get install wrk`). BENCH_LOAD_SECONDS sets each run's length
(default 5), BENCH_LOAD_CONNECTIONS the connection counts (default "8,32"),
BENCH_LOAD_PAGES a comma-separated choice of pages by their label in the
table (default every page, e.g. "home page,search").
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "5"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_LOAD_CONNECTIONS", "8,32").split(",")]
PAGES = [p.strip() for p in os.environ.get("BENCH_LOAD_PAGES", "").split(",") if p.strip()]
WORKERS = 2


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_env(database_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coproduce.settings.production",
        "SECRET_KEY": "load-benchmark-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONUNBUFFERED": "1",
    }


def _wait_for(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on {port} stopped with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on {port} did not answer within {timeout} s")


def _gunicorn(app, env, log, port=None):
    port = port or _free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _wait_for(port, process)
    return port, process


def _signed_in_cookie(env):
    """A session for the demo resident, made under the production settings' secret key."""
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.contrib.auth import get_user_model\n"
        "client = Client()\n"
        "client.force_login(get_user_model().objects.get(email='resident@example.org'))\n"
        "print(client.cookies['sessionid'].value)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    return f"sessionid={out.stdout.strip().splitlines()[-1]}"


def page_urls():
    """One URL per public page type of the demo, plus the non-page public views."""
    from django.urls import reverse
    from wagtail.models import Page

    from assetmap.models import Asset

    urls = {}
    pages = Page.objects.live().public().filter(depth__gt=1).order_by("depth", "path")
    for page in pages.specific():
        name = type(page)._meta.verbose_name
        if name not in urls and page.url:
            urls[name] = page.url
    urls["take part now"] = reverse("commissioning:take_part")
    asset = Asset.objects.published().order_by("pk").first()
    if asset is not None:
        urls["an asset"] = reverse("assetmap:asset_detail", args=[asset.pk])
    urls["assets GeoJSON"] = reverse("assetmap:geojson")
    urls["search"] = reverse("search") + "?query=library"
    if PAGES:
        unknown = sorted(set(PAGES) - set(urls))
        if unknown:
            raise SystemExit(
                f"BENCH_LOAD_PAGES: no page {', '.join(unknown)} (have: {', '.join(urls)})"
            )
        urls = {label: urls[label] for label in PAGES}
    return urls


def _status(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wrk(url, connections, cookie):
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{SECONDS}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        # As every browser sends it; the floor's few bytes are not compressed either way.
        "-H",
        "Accept-Encoding: gzip, deflate, br",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    figures = json.loads(line)
    seconds = figures["duration_us"] / 1e6
    return {
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "errors": figures["socket_errors"] + figures["non_2xx_3xx"],
    }


def _measure(site, floor, path, cookie):
    rows = {}
    for connections in CONNECTIONS:
        base = _wrk(f"http://127.0.0.1:{floor}/", connections, None)
        page = _wrk(f"http://127.0.0.1:{site}{path}", connections, cookie)
        rows[f"c{connections}"] = {
            **page,
            "floor_rps": base["rps"],
            "ratio": round(page["rps"] / base["rps"], 3) if base["rps"] else None,
        }
    return rows


def _markdown(results):
    lines = [
        "| page | who | conns | req/s | × floor | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, by_who in results.items():
        for who, by_conns in by_who.items():
            if "status" in by_conns:
                lines.append(f"| {name} | {who} | | answered {by_conns['status']} | | | | | |")
                continue
            for conns, row in by_conns.items():
                lines.append(
                    f"| {name} | {who} | {conns[1:]} | {row['rps']} | {row['ratio']} | "
                    f"{row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['errors']} |"
                )
    return "\n".join(lines) + "\n"


def prepare_demo():
    """Load the demo borough into this benchmark's database, ready for gunicorn.

    Returns the production settings' environment for serving it: static files
    collected (hashed and compressed by whitenoise) and the cache table made.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    # The runner turns DEBUG off, which load_demo takes for production.
    with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    connection.close()
    name = connection.settings_dict["NAME"]
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{name}"
    if not database_url.startswith("sqlite"):
        database_url = database_url.rsplit("/", 1)[0] + f"/{name}"
    env = _production_env(database_url)
    for command in (["collectstatic", "--no-input"], ["createcachetable"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"], env=env, cwd=ROOT, check=True
        )
    return env


def run():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed for the load benchmark: apt-get install wrk")
    env = prepare_demo()
    urls = page_urls()
    cookie = _signed_in_cookie(env)
    floor_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.floor.settings"}
    with tempfile.TemporaryFile() as log:
        site, site_process = _gunicorn("coproduce.wsgi", env, log)
        floor, floor_process = _gunicorn("benchmarks.floor.wsgi", floor_env, log)
        try:
            results = {}
            for label, path in urls.items():
                results[label] = {}
                for who, who_cookie in (("anonymous", None), ("signed in", cookie)):
                    status = _status(f"http://127.0.0.1:{site}{path}", who_cookie)
                    if status != 200:
                        results[label][who] = {"status": status}
                        continue
                    results[label][who] = _measure(site, floor, path, who_cookie)
                print(f"  measured {label} ({path})", flush=True)
        finally:
            for process in (site_process, floor_process):
                process.terminate()
                process.wait(timeout=30)
    table = _markdown(results)
    (Path(__file__).resolve().parent / "results" / "load.md").write_text(table)
    print(table)
    return {"seconds_per_run": SECONDS, "workers": WORKERS, "urls": urls, "pages": results}
