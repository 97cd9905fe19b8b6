"""The lottery engine on its own: seeding, probabilities, quotas."""

import logging

import pytest

from panels.draw import DrawError, check_solvable, draw


def _pool():
    genders = ["woman"] * 14 + ["man"] * 10
    ages = ["young", "old"] * 12
    return {
        str(i): {"gender": g, "age": a} for i, (g, a) in enumerate(zip(genders, ages, strict=True))
    }


QUOTAS = {"gender": {"woman": (3, 3), "man": (3, 3)}, "age": {"young": (2, 4), "old": (2, 4)}}


def test_same_seed_same_panel_and_probabilities():
    first = draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=1234)
    again = draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=1234)
    assert first.selected == again.selected
    assert first.probabilities == pytest.approx(again.probabilities)
    assert first.algorithm_used == "maximin"


def test_probabilities_sum_to_seats_and_panel_meets_quotas():
    result = draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=99)
    assert sum(result.probabilities.values()) == pytest.approx(6)
    assert len(result.selected) == 6
    pool = _pool()
    women = sum(1 for key in result.selected if pool[key]["gender"] == "woman")
    assert women == 3
    # Maximin: with 14 women for 3 seats the lowest chance is 3/14.
    assert result.min_probability == pytest.approx(3 / 14, abs=1e-6)


def test_legacy_estimates_probabilities_that_sum_to_seats():
    result = draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=5, algorithm="legacy")
    assert result.algorithm_used == "legacy"
    assert sum(result.probabilities.values()) == pytest.approx(6)
    assert (
        result.selected
        == draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=5, algorithm="legacy").selected
    )


def test_bad_seed_refused():
    with pytest.raises(DrawError, match="seed"):
        draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=0)


def test_solver_finds_jointly_infeasible_quotas():
    # Every woman is young, every man old: 3 women and at most 2 young cannot both hold.
    pool = {str(i): {"gender": "woman", "age": "young"} for i in range(5)}
    pool.update({str(i): {"gender": "man", "age": "old"} for i in range(5, 10)})
    quotas = {"gender": {"woman": (3, 3), "man": (1, 3)}, "age": {"young": (0, 2), "old": (0, 4)}}
    assert check_solvable(pool=pool, quotas=quotas, seats=4)
    assert check_solvable(pool=_pool(), quotas=QUOTAS, seats=6) is None


def test_seeded_draw_reproduces_in_a_fresh_process_with_another_hash_seed():
    """Python randomises string hashing per process; the draw must not depend on it."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, sys; from panels.draw import draw; "
        "args = json.loads(sys.argv[1]); "
        "q = {k: {v: tuple(r) for v, r in vs.items()} for k, vs in args['quotas'].items()}; "
        "print(json.dumps(draw(pool=args['pool'], quotas=q, seats=6, seed=31).selected))"
    )
    payload = json.dumps({"pool": _pool(), "quotas": QUOTAS})
    outputs = set()
    for hash_seed in ("1", "2"):
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script, payload],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        outputs.add(done.stdout.strip().splitlines()[-1])
    assert outputs == {json.dumps(draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=31).selected)}


def test_solver_output_goes_to_the_log_not_standard_output(capfd, caplog):
    caplog.set_level("DEBUG", logger="coproduce.panels.solver")

    draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=7)
    print("after the draw")

    out, _err = capfd.readouterr()
    assert out == "after the draw\n"
    assert any(record.name == "coproduce.panels.solver" for record in caplog.records)


class _Spy(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.parametrize("algorithm", ["maximin", "legacy"])
def test_the_librarys_messages_go_to_the_solver_log_only(algorithm, capfd, monkeypatch):
    """The library's messages ("Using maximin algorithm.") reach neither output nor root."""
    root, solver = _Spy(), _Spy()
    solver_log = logging.getLogger("coproduce.panels.solver")
    monkeypatch.setattr(solver_log, "propagate", False)
    level = solver_log.level
    # setLevel, not the attribute: it empties the loggers' cached "is DEBUG on?"
    # answers, which a draw in an earlier test of this process leaves behind.
    solver_log.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(root)
    solver_log.addHandler(solver)
    try:
        draw(pool=_pool(), quotas=QUOTAS, seats=6, seed=7, algorithm=algorithm)
    finally:
        logging.getLogger().removeHandler(root)
        solver_log.removeHandler(solver)
        solver_log.setLevel(level)

    assert capfd.readouterr() == ("", "")
    assert not [r for r in root.records if r.name.startswith("sortition_algorithms")]
    if algorithm == "maximin":
        assert "Using maximin algorithm." in [r.getMessage() for r in solver.records]
