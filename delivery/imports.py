"""Reading CSV imports: every row checked first, nothing saved unless all are good.

The file has a header row with `indicator`, `date` and `value` (and
optionally `note`). `indicator` is the indicator's reference; dates are
YYYY-MM-DD or DD/MM/YYYY.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

REQUIRED = ("indicator", "date", "value")
MAX_ROWS = 5000
MAX_BYTES = 1_000_000


@dataclass
class Problem:
    row: int  # the line in the file, counting the header as line 1
    message: str


@dataclass
class ParsedReading:
    row: int
    indicator: object
    measured_on: datetime.date
    value: Decimal
    note: str


@dataclass
class ImportResult:
    readings: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def _date(text):
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _value(text):
    text = (text or "").strip().replace(",", "").replace("£", "").rstrip("%")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal("1e12") else None


def _decode(data):
    if len(data) > MAX_BYTES:
        return None, "The file is larger than 1 MB. Split it into smaller files."
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."


def _row_problems(number, row, indicators, seen, existing, today):
    """(ParsedReading or None, [messages]) for one row."""
    messages = []
    reference = (row.get("indicator") or "").strip()
    indicator = indicators.get(reference)
    if not reference:
        messages.append("the indicator is missing")
    elif indicator is None:
        messages.append(f"there is no indicator “{reference}”")
    measured_on = _date(row.get("date"))
    if measured_on is None:
        messages.append("the date is not a date like 2026-03-31")
    elif measured_on > today:
        messages.append("the date is in the future")
    value = _value(row.get("value"))
    if value is None:
        messages.append("the value is not a number")
    note = (row.get("note") or "").strip()
    if len(note) > 300:
        messages.append("the note is longer than 300 characters")
    if messages:
        return None, messages
    key = (indicator.pk, measured_on)
    if key in seen:
        return None, [f"it repeats line {seen[key]} (same indicator and date)"]
    if key in existing:
        return None, [f"“{reference}” already has a reading for {measured_on:%-d %B %Y}"]
    seen[key] = number
    return ParsedReading(number, indicator, measured_on, value, note), []


def _header_problem(reader):
    """The problem with the header row, if any; else the column names are normalised."""
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return Problem(
            1,
            "The first line must name the columns indicator, date and value "
            f"(missing: {', '.join(missing)}).",
        )
    reader.fieldnames = header
    return None


def _is_blank(row):
    return not any((v or "").strip() for v in row.values() if isinstance(v, str))


def _parse_rows(reader, result, *, indicators, existing, today):
    seen = {}
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            result.problems.append(Problem(number, f"More than {MAX_ROWS} rows: split the file."))
            break
        if _is_blank(row):
            continue
        parsed, messages = _row_problems(number, row, indicators, seen, existing, today)
        if parsed:
            result.readings.append(parsed)
        for message in messages:
            result.problems.append(Problem(number, message[0].upper() + message[1:] + "."))


def readings_parse(data, *, indicators, existing, today=None):
    """Check every row of `data` (bytes). `indicators` maps reference -> Indicator;
    `existing` is the set of (indicator_id, date) already recorded."""
    today = today or timezone.localdate()
    result = ImportResult()
    text, problem = _decode(data)
    if problem:
        result.problems.append(Problem(0, problem))
        return result
    reader = csv.DictReader(io.StringIO(text))
    header_problem = _header_problem(reader)
    if header_problem:
        result.problems.append(header_problem)
        return result
    _parse_rows(reader, result, indicators=indicators, existing=existing, today=today)
    if not result.readings and not result.problems:
        result.problems.append(Problem(0, "The file has no readings."))
    return result
