"""Theme sets over a bare engagement whose free text the test controls."""

import csv
import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def evaluation_set():
    """(texts, theme keys, themes [{key, name, words}]) of the labelled evaluation set."""
    with (DATA / "evaluation.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    themes = json.loads((DATA / "themes.json").read_text(encoding="utf-8"))
    return [r["text"] for r in rows], [r["theme"] for r in rows], themes
