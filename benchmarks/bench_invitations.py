"""The civic lottery's first stage at a real borough's scale: import 150,000 addresses,
draw 10,000 invitations, make the letters PDF (one A4 page each).

Figures: the seconds and peak Python memory (tracemalloc) of each step, the
PDF's size, and the process's peak resident memory (ru_maxrss). Set
`BENCH_INVITATIONS_SCALE` (e.g. 0.01) for a short smoke run.

Run with `python -m benchmarks invitations` (a fresh migrated SQLite database).
"""

import os
import resource
import time
import tracemalloc

SCALE = float(os.environ.get("BENCH_INVITATIONS_SCALE", "1"))
ADDRESSES = int(150_000 * SCALE)
INVITED = int(10_000 * SCALE)
SEED = 20261201


def _measure(step):
    tracemalloc.start()
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, round(seconds, 2), round(peak / 2**20, 1)


def _officer():
    from accounts.models import User

    user = User.objects.create_user(email="bench-officer@example.org", password="x" * 12)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def run():
    from benchmarks.bench_panels import _panel, _programme
    from commissioning.models import Ward
    from panels.demo_letters import demo_addresses_csv
    from panels.invitations import addresses_import, invitations_draw
    from panels.letters import invitation_letters_pdf

    panel = _panel(_programme(), seats=30, slug="bench-invitations")  # the wards come with it
    officer = _officer()
    csv_bytes = demo_addresses_csv(list(Ward.objects.all()), count=ADDRESSES, seed=SEED)
    report, import_seconds, import_peak = _measure(
        lambda: addresses_import(panel=panel, user=officer, data=csv_bytes)
    )
    draw, draw_seconds, draw_peak = _measure(
        lambda: invitations_draw(panel=panel, user=officer, size=INVITED, seed=SEED)
    )
    (pdf, letters), pdf_seconds, pdf_peak = _measure(lambda: invitation_letters_pdf(panel))
    return {
        "addresses_in_file": ADDRESSES,
        "csv_megabytes": round(len(csv_bytes) / 2**20, 1),
        "addresses_imported": report.imported,
        "rows_refused": report.refused_count,
        "import_seconds": import_seconds,
        "import_peak_python_mb": import_peak,
        "invited": draw.invited,
        "draw_seconds": draw_seconds,
        "draw_peak_python_mb": draw_peak,
        "letters": letters,
        "pdf_seconds": pdf_seconds,
        "pdf_peak_python_mb": pdf_peak,
        "pdf_megabytes": round(len(pdf) / 2**20, 1),
        "ms_per_letter": round(1000 * pdf_seconds / max(letters, 1), 2),
        # Linux reports kilobytes.
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
