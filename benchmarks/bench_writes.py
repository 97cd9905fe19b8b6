"""Writes under load: residents sending budget and consultation responses at once.

The demo borough is loaded into this benchmark's database and N verified
residents are made, each with a signed-in session (made under the production
settings' secret key, as a sign-in would). The site is served with
production settings by gunicorn; the database is SQLite in WAL mode with
IMMEDIATE transactions (the runner's temporary file), or the PostgreSQL
server that DATABASE_URL names.

Before the clock starts, each resident loads a form page once, as a browser
would, for its CSRF cookie and token. Then, from this process on loopback,
CONNECTIONS threads (16) each take residents from a queue and send real
HTTP POSTs through the public forms, over `http.client`:

- budget: one POST of the demo's open budget conversation form (a stance on
  every proposal and a balanced simulator) per resident;
- consultation: the demo's open consultation, answered as a person does,
  one POST per section, one for the equality monitoring page, then "check
  your answers" to send it (a response is that last POST).

Each resident responds once to each. Afterwards the rows are counted in the
database: every response, its answers, its participation and its equality
answers must be there, and no request may fail (anything but the form's
redirect counts as an error). Figures: responses per second, POSTs per
second, latency percentiles, errors, and rows expected against rows found.

BENCH_WRITES_RESIDENTS sets N (default 2000), BENCH_WRITES_WORKERS the
gunicorn workers (default 3, as in the README's deployment), and
BENCH_WRITES_CONNECTIONS the concurrent connections (default 16).
"""

import http.client
import json
import os
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.bench_load import _free_port, _production_env, _wait_for

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = int(os.environ.get("BENCH_WRITES_RESIDENTS", "2000"))
WORKERS = int(os.environ.get("BENCH_WRITES_WORKERS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_WRITES_CONNECTIONS", "16"))
TARGET = 400  # responses per second
EMAIL = "bench-writer-{}@example.org"
SEED = 4242


class FormControls(HTMLParser):
    """The controls a browser would send for each form of a page, by the form's action.

    Inputs, checked radios and checkboxes, textareas and selected options;
    buttons are left out (a form sent with Enter sends none).
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": []})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            fields.extend(self._input_value(name, attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            fields.append((self._select, attrs.get("value", "")))

    @staticmethod
    def _input_value(name, attrs):
        """[(name, value)] for an input a browser would send, else []."""
        kind = attrs.get("type", "text")
        if kind in ("submit", "button", "image", "reset", "file"):
            return []
        if kind in ("radio", "checkbox") and "checked" not in attrs:
            return []
        return [(name, attrs.get("value", "on" if kind == "checkbox" else ""))]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html, *, having):
    """The fields of the first form on the page with a control named `having`."""
    parser = FormControls()
    parser.feed(html)
    for form in parser.forms:
        if any(name == having for name, _ in form["fields"]):
            return form["fields"]
    raise RuntimeError(f"no form with a field called {having!r}")


def _hidden(fields, name):
    return next(value for key, value in fields if key == name)


# Building the data (in this process, on the benchmark's database) ------------


def _make_residents(count):
    """`count` verified residents with unusable passwords (no hashing to wait for)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=EMAIL.format(n), password=unusable) for n in range(count)], batch_size=1000
    )
    users = list(User.objects.filter(email__startswith="bench-writer-").order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    return [u.pk for u in users]


SESSIONS_SCRIPT = """
import json, sys, django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
keys = []
backend = settings.AUTHENTICATION_BACKENDS[0]
for user in get_user_model().objects.filter(pk__in=json.load(sys.stdin)).order_by("pk"):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""


def _sessions(env, user_ids):
    """A signed-in session per resident, made as `login()` would under production settings."""
    out = subprocess.run(
        [sys.executable, "-c", SESSIONS_SCRIPT],
        input=json.dumps(user_ids),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _budget_post(conversation, proposals, lines, rng, *, rules):
    """A stance on every proposal and a balanced simulator, as the demo's residents give."""
    from budget.demo import _choices

    data = {"rules_version": rules, "website_url": "", "alternative": ""}
    for proposal in proposals:
        data[f"proposal_{proposal.pk}"] = rng.choice(["support", "oppose", "unsure"])
        data[f"comment_{proposal.pk}"] = ""
    for line_id, amount in _choices(rng, lines, conversation.target_amount).items():
        data[f"line_{line_id}"] = str(amount)
    if rng.random() < 0.3:
        data["wants_feedback"] = "on"
    return data


def _section_posts(page, rng):
    """Each section's fields, as the form shows them filled in with a demo-like answer."""
    from consultations.demo import _answers
    from consultations.forms import SectionForm

    answers = _answers(page, rng)
    posts = []
    for section in page.questionnaire.sections:
        initial = {}
        for question in section.questions:
            initial.update(question.initial(answers.get(question.id)))
        form = SectionForm(
            questions=section.questions, structure_hash=section.structure_hash(), initial=initial
        )
        posts.append(form_fields(f"<form>{form}</form>", having="website_url"))
    return posts


def _equality_post(rng):
    from consultations.demo import _equality

    return _equality(rng) or {}


# The load --------------------------------------------------------------------


class Client:
    """One HTTP/1.1 connection; gunicorn's sync workers close it after each answer,
    and `http.client` opens it again for the next request."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, *, cookie, body=None):
        headers = {"Cookie": cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            raise
        return response, content


@dataclass
class Result:
    ok: bool
    seconds: float
    error: str = ""
    sent: bool = False  # the POST that completed a response


def _in_threads(port, jobs, work):
    """`work(client, job) -> [Result]` over `jobs` on CONNECTIONS threads: (seconds, results)."""
    todo = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    results, lock = [], threading.Lock()

    def worker():
        client, mine = Client(port), []
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                break
            mine.extend(work(client, job))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def _post(client, path, *, cookie, data, expect, completes=False):
    """POST a form; saved when it answers with the redirect the view gives on success."""
    started = time.perf_counter()
    try:
        response, content = client.request(
            "POST", path, cookie=cookie, body=urlencode(data, doseq=True)
        )
    except (http.client.HTTPException, OSError) as error:
        return Result(False, time.perf_counter() - started, f"{type(error).__name__}: {error}")
    seconds = time.perf_counter() - started
    location = response.getheader("Location", "")
    if response.status == 302 and location.split("#")[0].endswith(expect):
        return Result(True, seconds, sent=completes)
    return Result(False, seconds, f"{path} {response.status} {location or content[:300]!r}")


def _get(client, path, cookie):
    response, content = client.request("GET", path, cookie=cookie)
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status} for a signed-in resident")
    return response, content.decode()


def _prepare(port, residents, path):
    """Each resident loads a form page once (untimed), as a browser does: its CSRF cookie
    and token, which serve every form it then sends."""

    def load(client, resident):
        response, html = _get(client, path, resident["cookie"])
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                resident["cookie"] += "; " + value.split(";", 1)[0]
        fields = form_fields(html, having="csrfmiddlewaretoken")
        resident["csrf"] = _hidden(fields, "csrfmiddlewaretoken")
        return []

    _in_threads(port, residents, load)


def _warm(port, paths, cookie):
    """Untimed: let every worker render the pages once (imports, templates, caches)."""
    client = Client(port)
    for _ in range(2 * WORKERS):
        for path in paths:
            _get(client, path, cookie)


def _summary(seconds, results):
    latencies = sorted(r.seconds for r in results) or [0.0]
    errors = [r.error for r in results if not r.ok]
    sent = sum(1 for r in results if r.sent)

    def ms(share):
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 1)

    return {
        "seconds": round(seconds, 2),
        "responses": sent,
        "responses_per_second": round(sent / seconds, 1) if seconds else None,
        "posts": len(results),
        "posts_per_second": round(len(results) / seconds, 1) if seconds else None,
        "p50_ms": ms(0.5),
        "p95_ms": ms(0.95),
        "p99_ms": ms(0.99),
        "errors": len(errors),
        "first_errors": errors[:5],
    }


def _budget_phase(port, residents, conversation):
    path = conversation.url
    _warm(port, [path], residents[0]["cookie"])
    _, html = _get(Client(port), path, residents[0]["cookie"])
    fields = form_fields(html, having="rules_version")
    lines = list(conversation.lines.all())
    proposals = list(conversation.proposals.all())
    rng = random.Random(SEED)
    for resident in residents:
        resident["budget"] = _budget_post(
            conversation, proposals, lines, rng, rules=_hidden(fields, "rules_version")
        )
        resident["budget"]["csrfmiddlewaretoken"] = resident["csrf"]

    def send(client, resident):
        data = resident["budget"]
        return [
            _post(client, path, cookie=resident["cookie"], data=data, expect=path, completes=True)
        ]

    return _summary(*_in_threads(port, residents, send))


def _consultation_plan(page, rng, tokens, csrf):
    """Each POST of one resident's response: (path, data, the redirect that means saved)."""
    base = page.url
    steps = [f"{base}section/{section.number}/" for section in page.questionnaire.sections]
    after = [*steps[1:], f"{base}about-you/"]
    plan = [
        (path, {**dict(fields), "form_token": tokens[path], "csrfmiddlewaretoken": csrf}, then)
        for path, fields, then in zip(steps, _section_posts(page, rng), after, strict=True)
    ]
    common = {"csrfmiddlewaretoken": csrf, "website_url": ""}
    about, check = f"{base}about-you/", f"{base}check-your-answers/"
    equality = _equality_post(rng)
    plan.append((about, {**equality, **common, "form_token": tokens[about]}, check))
    feedback = {"wants_feedback": "on"} if rng.random() < 0.3 else {}
    plan.append((check, {**common, **feedback, "form_token": tokens[check]}, f"{base}sent/"))
    return plan, any(equality.values())


def _consultation_phase(port, residents, page):
    base = page.url
    paths = [f"{base}section/{section.number}/" for section in page.questionnaire.sections]
    paths += [f"{base}about-you/", f"{base}check-your-answers/"]
    _warm(port, paths, residents[0]["cookie"])
    # The questionnaire's form tokens say which questions were shown and when,
    # nothing about who: each page is read once, as any resident would see it.
    client = Client(port)
    tokens = {
        path: _hidden(
            form_fields(_get(client, path, residents[0]["cookie"])[1], having="form_token"),
            "form_token",
        )
        for path in paths
    }
    rng = random.Random(SEED + 1)
    for resident in residents:
        resident["consultation"], resident["equality_answered"] = _consultation_plan(
            page, rng, tokens, resident["csrf"]
        )

    def send(client, resident):
        results = []
        plan = resident["consultation"]
        for n, (path, data, expect) in enumerate(plan):
            result = _post(
                client,
                path,
                cookie=resident["cookie"],
                data=data,
                expect=expect,
                completes=n == len(plan) - 1,
            )
            results.append(result)
            if not result.ok:
                break
        return results

    return _summary(*_in_threads(port, residents, send))


def _counts(user_ids, conversation, consultation):
    """Rows found in the database for the benchmark's residents."""
    from budget.models import BudgetResponse
    from commissioning.models import Participation
    from consultations.models import EqualityRecord, PendingEqualityAnswers, Response

    responses = Response.objects.filter(consultation=consultation, user_id__in=user_ids)
    participations = Participation.objects.filter(user_id__in=user_ids)
    return {
        "budget_responses": BudgetResponse.objects.filter(
            conversation=conversation, user_id__in=user_ids
        ).count(),
        "budget_participations": participations.filter(engagement=conversation).count(),
        "consultation_responses": responses.submitted().count(),
        "consultation_responses_with_answers": responses.submitted()
        .filter(answers__isnull=False)
        .distinct()
        .count(),
        "consultation_participations": participations.filter(engagement=consultation).count(),
        "equality_answers": EqualityRecord.objects.filter(consultation=consultation).count()
        + PendingEqualityAnswers.objects.filter(consultation=consultation).count(),
    }


def _database():
    from django.db import connection

    if connection.vendor != "sqlite":
        return {"vendor": connection.vendor}
    with connection.cursor() as cursor:
        # WAL is kept in the database file, so the production settings' connections use it.
        cursor.execute("PRAGMA journal_mode=WAL")
        mode = cursor.fetchone()[0]
    return {"vendor": "sqlite", "journal_mode": mode, "transaction_mode": "IMMEDIATE"}


def _serve(env, log):
    port = _free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "coproduce.wsgi",
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


def _setup():
    """The demo, the residents and their sessions: (env, residents, user ids, pages, baseline)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from budget.demo import OPEN_SLUG
    from budget.models import BudgetConversationPage
    from consultations.demo import LIBRARIES_SLUG
    from consultations.models import ConsultationPage

    with override_settings(DEBUG=True), open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    conversation = BudgetConversationPage.objects.get(slug=OPEN_SLUG)
    consultation = ConsultationPage.objects.get(slug=LIBRARIES_SLUG)
    user_ids = _make_residents(RESIDENTS)
    baseline = _counts(user_ids, conversation, consultation)
    name = connection.settings_dict["NAME"]
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{name}"
    if not database_url.startswith("sqlite"):
        database_url = database_url.rsplit("/", 1)[0] + f"/{name}"
    database = _database()
    connection.close()
    env = _production_env(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    residents = [{"cookie": f"sessionid={key}"} for key in _sessions(env, user_ids)]
    return env, residents, user_ids, (conversation, consultation), baseline, database


def run():
    started = time.perf_counter()
    env, residents, user_ids, (conversation, consultation), baseline, database = _setup()
    setup_seconds = time.perf_counter() - started
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile() as log:
        port, process = _serve(env, log)
        try:
            _prepare(port, residents, consultation.url + "about-you/")
            budget = _budget_phase(port, residents, conversation)
            answers = _consultation_phase(port, residents, consultation)
        finally:
            process.terminate()
            process.wait(timeout=30)
        log.seek(0)
        server_log = log.read().decode(errors="replace")
    found = _counts(user_ids, conversation, consultation)
    expected = {
        "budget_responses": budget["responses"],
        "budget_participations": budget["responses"],
        "consultation_responses": answers["responses"],
        "consultation_responses_with_answers": answers["responses"],
        "consultation_participations": answers["responses"],
        "equality_answers": baseline["equality_answers"]
        + sum(1 for r in residents if r["equality_answered"]),
    }
    missing = {key: expected[key] - found[key] for key in expected if expected[key] != found[key]}
    errors = budget["errors"] + answers["errors"]
    return {
        "residents": len(residents),
        "connections": CONNECTIONS,
        "gunicorn_workers": WORKERS,
        "database": database,
        "setup_seconds": round(setup_seconds, 1),
        # Other work on the machine slows the figures: this says how busy it was.
        "load_average_1min_before": round(load_before, 2),
        "target_responses_per_second": TARGET,
        "budget": budget,
        "consultation": answers,
        "rows_expected": expected,
        "rows_found": found,
        "rows_missing": missing,
        "all_rows_present": not missing,
        "zero_errors": errors == 0,
        "every_resident_responded": budget["responses"] == answers["responses"] == len(residents),
        "server_log_tail": server_log[-2000:] if errors else "",
    }
