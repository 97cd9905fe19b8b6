"""What the browser sees: Lighthouse on every public page type of the demo.

The demo borough is loaded and served with production settings by gunicorn,
exactly as the load benchmark serves it (`bench_load.prepare_demo`). Each page
is fetched once first, so the anonymous page cache holds it as a visitor would
find it, then Lighthouse (from npm, `node_modules/.bin/lighthouse`) audits it
in Debian's Chromium, headless: mobile, simulated throttling, the four
categories. Every request the page makes is checked to stay on loopback;
anything else is reported under "external_requests".

Environment: CHROME_PATH (default /usr/bin/chromium), BENCH_LIGHTHOUSE_PORT
(the site's port, default 8105; Chromium's debugging port is the next one),
BENCH_LIGHTHOUSE_RUNS (runs per page, the median by performance is kept,
default 1), BENCH_LIGHTHOUSE_REPORTS (a folder to keep each full report in),
BENCH_LIGHTHOUSE_PAGES (comma-separated page labels as in the table, e.g.
"asset map page,an asset", to audit only those; the full table in
`lighthouse.md` is then left alone and the rows go to `lighthouse-pages.md`).
Writes `benchmarks/results/lighthouse.json` and `lighthouse.md`.
"""

import json
import os
import statistics
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.bench_load import ROOT, _gunicorn, page_urls, prepare_demo

CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PORT = int(os.environ.get("BENCH_LIGHTHOUSE_PORT", "8105"))
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "1"))
REPORTS = os.environ.get("BENCH_LIGHTHOUSE_REPORTS")
PAGES = [
    label.strip()
    for label in os.environ.get("BENCH_LIGHTHOUSE_PAGES", "").split(",")
    if label.strip()
]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {
    "cls": "cumulative-layout-shift",
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "si_ms": "speed-index",
}
LOOPBACK = {"127.0.0.1", "localhost"}


def lighthouse_urls():
    """The load benchmark's public page types, less the GeoJSON, plus "what we heard"."""
    from commissioning.demo import DEMO_HEARD_SLUG
    from commissioning.models import EngagementPage, HeardSummary

    urls = {name: url for name, url in page_urls().items() if name != "assets GeoJSON"}
    heard = (
        EngagementPage.objects.live()
        .public()
        .filter(slug=DEMO_HEARD_SLUG, pk__in=HeardSummary.objects.published().values("engagement"))
        .first()
    )
    if heard is not None:
        urls["what we heard"] = heard.url
    return urls


def _audit(url, debugging_port, attempts=3):
    """One Lighthouse run; returns the parsed report.

    Lighthouse now and then fails to record the trace on a loaded machine
    (NO_NAVSTART); such a run is tried again.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _audit_once(url, debugging_port)
        except subprocess.CalledProcessError:
            if attempt == attempts:
                raise
            print(f"  Lighthouse failed on {url}; trying again", flush=True)
    return None


def _audit_once(url, debugging_port):
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        output = Path(tmp) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            "--throttling-method=simulate",
            f"--port={debugging_port}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        ]
        env = {**os.environ, "CHROME_PATH": CHROME}
        subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=300)
        return json.loads(output.read_text())


def _external(report):
    items = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    hosts = []
    for item in items:
        parts = urlsplit(item.get("url", ""))
        if parts.scheme in ("http", "https") and parts.hostname not in LOOPBACK:
            hosts.append(item["url"])
    return hosts


def _summary(report):
    scores = {
        name: round(report["categories"][name]["score"] * 100)
        if report["categories"][name]["score"] is not None
        else None
        for name in CATEGORIES
    }
    metrics = {key: report["audits"][audit]["numericValue"] for key, audit in METRICS.items()}
    metrics = {
        key: round(value, 3) if key == "cls" else round(value) for key, value in metrics.items()
    }
    failing = sorted(
        audit_id
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        for audit_id in [ref["id"]]
        if (report["audits"][audit_id].get("score") is not None)
        and report["audits"][audit_id]["score"] < 1
        and report["audits"][audit_id]["scoreDisplayMode"]
        in ("binary", "numeric", "metricSavings")
    )
    return {
        **scores,
        **metrics,
        "below_full_marks": failing,
        "external_requests": _external(report),
        "lighthouse": report["lighthouseVersion"],
        "user_agent": report["environment"]["hostUserAgent"],
    }


def _measure(label, url):
    runs = []
    for n in range(RUNS):
        report = _audit(url, PORT + 1)
        if REPORTS:
            folder = Path(REPORTS)
            folder.mkdir(parents=True, exist_ok=True)
            name = label.replace(" ", "-")
            (folder / f"{name}-{n}.json").write_text(json.dumps(report))
        runs.append(_summary(report))
    runs.sort(key=lambda row: row["performance"] or 0)
    kept = runs[len(runs) // 2]
    if RUNS > 1:
        kept["performance_runs"] = [row["performance"] for row in runs]
        kept["performance_median"] = statistics.median(kept["performance_runs"])
    return kept


def _markdown(pages):
    lines = [
        "| page | performance | accessibility | best practices | SEO | CLS "
        "| FCP ms | LCP ms | TBT ms | below full marks |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in pages.items():
        if "status" in row:
            lines.append(f"| {name} | answered {row['status']} | | | | | | | | |")
            continue
        lines.append(
            f"| {name} | {row['performance']} | {row['accessibility']} | "
            f"{row['best-practices']} | {row['seo']} | {row['cls']} | {row['fcp_ms']} | "
            f"{row['lcp_ms']} | {row['tbt_ms']} | {', '.join(row['below_full_marks']) or '–'} |"
        )
    return "\n".join(lines) + "\n"


def _status(url):
    # The page cache keeps a gzipped copy for browsers that accept it.
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is needed: npm install (it is a devDependency)")
    env = prepare_demo()
    urls = lighthouse_urls()
    if PAGES:
        unknown = sorted(set(PAGES) - set(urls))
        if unknown:
            raise SystemExit(f"No page called {', '.join(unknown)} (have: {', '.join(urls)})")
        urls = {label: path for label, path in urls.items() if label in PAGES}
    pages = {}
    with tempfile.TemporaryFile() as log:
        site, process = _gunicorn("coproduce.wsgi", env, log, port=PORT)
        try:
            for label, path in urls.items():
                url = f"http://127.0.0.1:{site}{path}"
                status = _status(url)  # and fills the anonymous page cache
                pages[label] = {"status": status} if status != 200 else _measure(label, url)
                print(f"  audited {label} ({path})", flush=True)
        finally:
            process.terminate()
            process.wait(timeout=30)
    table = _markdown(pages)
    results = Path(__file__).resolve().parent / "results"
    (results / ("lighthouse-pages.md" if PAGES else "lighthouse.md")).write_text(table)
    print(table)
    external = sorted({u for row in pages.values() for u in row.get("external_requests", [])})
    return {
        "form_factor": "mobile",
        "throttling": "simulate",
        "runs_per_page": RUNS,
        "chrome": CHROME,
        "urls": urls,
        "external_requests": external,
        "pages": pages,
    }
