"""The stratified lottery itself, on top of `sortition-algorithms`, with no database.

Why not `run_stratification`: it returns the chosen panel but not each
person's selection probability (only a formatted report table), and we must
record those. So we call the library's maximin distribution finder and its
lottery rounding ourselves, and compute each person's marginal probability
from the distribution.

Reproducibility: the library draws every random number (the solver seeds and
the final rounding) from one provider, which `set_random_provider(seed)`
seeds. Two more things make it independent of the process: people are keyed
by integers (Python randomises the hashes of strings in each process, which
would change the order the library walks its sets in, and so which of several
equally fair distributions the solver lands on), and committees are sorted
before the rounding step. Pool keys must therefore be whole numbers
(application ids); results are keyed by their string form.
"""

import contextlib
import ctypes
import logging
import math
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field

from requests.structures import CaseInsensitiveDict
from sortition_algorithms.committee_generation import (
    find_distribution_maximin,
    find_random_sample_legacy,
    standardize_distribution,
)
from sortition_algorithms.core import lottery_rounding
from sortition_algorithms.errors import SortitionBaseError
from sortition_algorithms.features import FeatureValueMinMax, set_default_max_flex
from sortition_algorithms.people import People
from sortition_algorithms.utils import override_logging_handlers, set_random_provider

SOLVER_BACKEND = "mip"
# Legacy gives no distribution; each person's chance is estimated from this
# many repeat draws (which keeps the probabilities summing to the seats).
LEGACY_SAMPLES = 200

solver_log = logging.getLogger("coproduce.panels.solver")
_native_output_lock = threading.Lock()


class _ToSolverLog(logging.Handler):
    """Pass the library's own messages ("Using maximin algorithm." …) to the solver log.

    On import `sortition-algorithms` gives its two loggers a handler writing to
    whatever `sys.stdout` was then, and they also propagate to the root
    logger's console handler; a draw in a task worker or gunicorn would print
    its progress into their output. They go to `coproduce.panels.solver` at
    DEBUG instead, with the solver's own output.
    """

    def emit(self, record):
        solver_log.debug(record.getMessage())


def _quieten_library_loggers():
    override_logging_handlers([_ToSolverLog()], [_ToSolverLog()])
    for name in ("sortition_algorithms", "sortition_algorithms_user"):
        logging.getLogger(name).propagate = False


_quieten_library_loggers()


class DrawError(Exception):
    """The draw could not be made (the message is for the officer)."""


@dataclass
class DrawResult:
    selected: list[str]
    probabilities: dict[str, float]
    algorithm_used: str
    notes: list[str] = field(default_factory=list)

    @property
    def min_probability(self):
        return min(self.probabilities.values()) if self.probabilities else None


def build_features(quotas):
    """{attribute: {value: (min, max)}} -> the library's feature collection."""
    features = CaseInsensitiveDict()
    for attribute, values in quotas.items():
        features[attribute] = CaseInsensitiveDict(
            {
                value: FeatureValueMinMax(min=int(lo), max=int(hi))
                for value, (lo, hi) in values.items()
            }
        )
    set_default_max_flex(features)
    return features


def build_people(pool, features):
    people = People([])
    for row, (key, attributes) in enumerate(
        sorted(pool.items(), key=lambda kv: int(kv[0])), start=1
    ):
        people.add(int(key), dict(attributes), features, row)
    return people


def draw(*, pool, quotas, seats, seed, algorithm="maximin", progress=None):
    """Choose `seats` people from `pool` ({key: {attribute: value}}) within `quotas`."""
    if not 0 < seed < 2**31:
        raise DrawError("The seed must be a whole number between 1 and 2,147,483,647.")
    features = build_features(quotas)
    try:
        people = build_people(pool, features)
        set_random_provider(seed)
        with solver_output_to_log():
            if algorithm == "legacy":
                return _draw_legacy(people, features, seats, seed, progress)
            return _draw_maximin(people, features, seats, progress)
    except SortitionBaseError as error:
        raise DrawError(str(error)) from error


@contextlib.contextmanager
def solver_output_to_log():
    """Send what the CBC solver prints (from C, to file descriptor 1) to the log.

    The solver writes its banner and progress straight to the process's
    standard output, which a task worker or gunicorn would mix into its own
    output; Python's `sys.stdout` cannot catch it. Descriptor 1 is pointed at
    a temporary file for the draw, and the lines go to the
    `coproduce.panels.solver` logger at DEBUG afterwards.
    """
    with _native_output_lock, tempfile.TemporaryFile(mode="w+b") as captured:
        sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(captured.fileno(), 1)
        try:
            yield
        finally:
            _flush_c_stdio()
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            captured.seek(0)
            for line in captured.read().decode("utf-8", "replace").splitlines():
                if line.strip():
                    solver_log.debug(line)


def _flush_c_stdio():
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).fflush(None)


def _draw_maximin(people, features, seats, progress):
    committees, probabilities, _report = find_distribution_maximin(
        features, people, seats, [], SOLVER_BACKEND, progress_reporter=progress
    )
    committees, probabilities = standardize_distribution(committees, probabilities)
    order = sorted(range(len(committees)), key=lambda i: sorted(committees[i]))
    committees = [committees[i] for i in order]
    probabilities = [probabilities[i] for i in order]
    [chosen] = lottery_rounding(committees, probabilities, 1)
    marginals = dict.fromkeys(people, 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for key in committee:
            marginals[key] += probability
    return DrawResult(
        selected=[str(key) for key in sorted(chosen)],
        probabilities={str(key): p for key, p in marginals.items()},
        algorithm_used="maximin",
        notes=[f"Maximin distribution over {len(committees)} possible panels."],
    )


def _legacy_once(people, features, seats):
    [committee], _report = find_random_sample_legacy(people, features, seats, [], max_attempts=100)
    return committee


def _draw_legacy(people, features, seats, seed, progress):
    chosen = _legacy_once(people, features, seats)
    counts = dict.fromkeys(people, 0)
    if progress is not None:
        progress.start_phase("legacy_estimate", LEGACY_SAMPLES, message="Estimating chances")
    for sample in range(LEGACY_SAMPLES):
        set_random_provider(seed + sample + 1 if seed + sample + 1 < 2**31 else sample + 1)
        for key in _legacy_once(people, features, seats):
            counts[key] += 1
        if progress is not None and sample % 20 == 0:
            progress.update(sample, message=f"Repeat draw {sample} of {LEGACY_SAMPLES}")
    return DrawResult(
        selected=[str(key) for key in sorted(chosen)],
        probabilities={str(key): n / LEGACY_SAMPLES for key, n in counts.items()},
        algorithm_used="legacy",
        notes=[
            f"Legacy draw; each person's chance is estimated from {LEGACY_SAMPLES} repeat draws "
            f"(accurate to about ±{100 / math.sqrt(LEGACY_SAMPLES):.0f} percentage points)."
        ],
    )


def check_solvable(*, pool, quotas, seats):
    """None if some panel meets every quota with this pool, else the library's advice."""
    from sortition_algorithms.committee_generation import find_any_committee

    features = build_features(quotas)
    try:
        people = build_people(pool, features)
        find_any_committee(features, people, seats, [], SOLVER_BACKEND)
    except SortitionBaseError as error:
        return str(error)
    return None
