"""A questionnaire read from the `questions` StreamField.

Each question type is a class (keyed by its block type in `QUESTION_CLASSES`)
that knows, for that type only, which form fields ask it, how an answer is
checked, shown, stored as answer rows, exported and counted for the results,
and which edits are refused once responses exist. `Question` holds what every
type shares. Forms, services, results and exports all go through these
classes, so the web form, paper entry and re-validation at submission obey the
same rules. CONTRIBUTING.md says how to add a type.

In-progress answers are JSON-safe values keyed by question id:

- short/long text: "text"
- single choice: {"choice": <choice id or "other">, "other": "text"}
- multiple choice: {"choices": [<choice ids, maybe "other">], "other": "text"}
- scale: 4
- ranking: [<item ids, first to last>]
- yes/no: "yes" or "no"
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from commissioning.charts import bar_chart
from commissioning.summaries import Table

from . import blocks as b

OTHER = "other"
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]
SHORT_TEXT_MAX = 250
OTHER_TEXT_MAX = 500
CHOOSE_SHOWN = "Choose one of the options shown."
# Answers sent against a structure hash that is no longer the questionnaire's.
STALE_MESSAGE = (
    "The questions changed while you were answering. Check your answers below and send them again."
)


def _empty(value):
    return value is None or value == "" or value == []


def _all_text(values):
    """Answers come from forms, paper and imports: refuse anything but a list of strings."""
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


@dataclass
class QuestionResult:
    """One question's results: how many answered, its table rows and chart."""

    question: object
    answered: int
    rows: list = field(default_factory=list)  # [(label, count, share %)]
    chart: object = None
    average: float | None = None


def _share(count, total):
    return round(100 * count / total) if total else 0


@dataclass
class Question:
    """What every question type shares; subclasses say what differs.

    A subclass sets `type` (its block type), reads its own settings from the
    block in `settings_from_block`, builds its form field in `form_field` and
    checks a non-empty answer in `check`; it overrides the rest as it needs.
    """

    id: str
    label: str
    hint: str = ""
    required: bool = True
    number: int = 0  # 1-based position in the questionnaire

    type: ClassVar[str] = ""
    is_free_text: ClassVar[bool] = False
    quotable: ClassVar[bool] = False  # quoted in the officer summary
    required_message: ClassVar[str] = "Choose an answer to this question."
    # Settings only some types have; their defaults keep the fingerprint stable.
    choices: ClassVar[tuple] = ()
    allow_other: ClassVar[bool] = False
    min_selections: ClassVar[None] = None
    max_selections: ClassVar[None] = None
    scale_min: ClassVar[int] = 1
    scale_max: ClassVar[int] = 5
    max_characters: ClassVar[int] = 0

    @classmethod
    def from_block(cls, child, *, number):
        value = child.value
        return cls(
            id=str(child.id),
            label=value["question"],
            hint=value.get("hint") or "",
            required=bool(value.get("required")),
            number=number,
            **cls.settings_from_block(value),
        )

    @classmethod
    def settings_from_block(cls, value):
        return {}

    @property
    def type_label(self):
        return b.QUESTION_TYPES[self.type]

    @property
    def field_name(self):
        return f"q_{self.id}"

    @property
    def other_field_name(self):
        return f"q_{self.id}_other"

    @property
    def has_other(self):
        return False

    def option_labels(self):
        """Every stored choice value and its label, in order."""
        return {}

    def fingerprint(self):
        """What answers depend on; wording and hints are left out on purpose."""
        return [
            self.id,
            self.type,
            self.required,
            [cid for cid, _ in self.choices],
            self.allow_other,
            self.min_selections,
            self.max_selections,
            self.scale_min,
            self.scale_max,
            self.max_characters,
        ]

    # Forms ---------------------------------------------------------------

    def form_fields(self, *, enforce_required=True):
        """The form fields asking this question, by name.

        Required questions are marked required so they are not labelled
        "(optional)"; `validate` still checks every answer afterwards.
        """
        fields = {self.field_name: self.form_field(required=self.required and enforce_required)}
        if self.has_other:
            fields[self.other_field_name] = forms.CharField(
                label="If you chose “Other”, please say", required=False
            )
        for form_field in fields.values():
            # The error summary names the question ("Choose an answer" alone
            # would repeat for every question left out).
            form_field.summary_label = self.label
        return fields

    def form_field(self, *, required):
        raise NotImplementedError

    def _field_options(self, required, **overrides):
        return {
            "label": self.label,
            "help_text": self.hint,
            "required": required,
            "error_messages": {"required": self.required_message},
            **overrides,
        }

    def ranking_context(self, bound_field):
        """Rows for a widget the template draws itself (only ranking has one)."""
        return None

    def value_from_cleaned(self, cleaned):
        """Turn a form's cleaned data into this question's answer (or None)."""
        return cleaned.get(self.field_name) or None

    def initial(self, value):
        """Form initial data from a stored answer."""
        if value is None:
            return {}
        return {self.field_name: value}

    # Rules ----------------------------------------------------------------

    def validate(self, value, *, enforce_required=True):
        """Check one answer against this question; raise ValidationError.

        The error's `params["field"]` names the form field it belongs to.
        Paper responses are typed in as written, so they may leave required
        questions blank (`enforce_required=False`); every answer given is
        still checked.
        """
        required = self.required and enforce_required
        if _empty(value):
            if required:
                raise self._error(self.required_message)
            return
        self.check(value, required=required)

    def check(self, value, *, required):
        """Check an answer that is not empty."""
        raise NotImplementedError

    def _error(self, message):
        return ValidationError(message, params={"field": self.field_name})

    def refused_changes(self, new):
        """Why `new` (the same question, edited) may not replace this one once
        it has responses; the type has already been checked to be the same."""
        return []

    # Display, storage and results -------------------------------------------

    def display(self, value):
        """The answer in words (check-your-answers, exports)."""
        if _empty(value):
            return ""
        return self.display_value(value)

    def display_value(self, value):
        return self.option_labels().get(str(value), str(value))

    def rows(self, value):
        """Answer rows (choice, number, text) for a validated answer.

        One row per chosen option, so results are a GROUP BY on `choice`.
        """
        if _empty(value):
            return []
        return self.answer_rows(value)

    def answer_rows(self, value):
        return [{"choice": value, "number": None, "text": ""}]

    def value_from_rows(self, rows):
        """The inverse of `rows`, for exports of stored answers."""
        if not rows:
            return None
        return self.value_from_answer_rows(rows)

    def value_from_answer_rows(self, rows):
        return rows[0]["choice"]

    def export_columns(self):
        """Column headings in the responses download."""
        return [f"{self.number}. {self.label}"]

    def export_cells(self, rows):
        """This question's cells in one response's row of the download."""
        return [self.display(self.value_from_rows(rows))]

    def result(self, *, counts, answered):
        """Counts and shares per option, from {choice: {"n", "avg", "first"}}
        grouped in the database, with a chart and its table."""
        result = QuestionResult(question=self, answered=answered)
        rows = []
        for key, label in self.option_labels().items():
            count = counts.get(key, {}).get("n", 0)
            rows.append((label, count, _share(count, answered)))
        chart = bar_chart(
            f"{self.number}. {self.label}",
            [(label, count) for label, count, _ in rows],
            description=f"How many of the {answered:,} people who answered chose each option.",
        )
        chart.table = Table(
            caption=chart.title,
            columns=["Answer", "Responses", "Share (%)"],
            rows=[list(r) for r in rows],
        )
        result.rows = rows
        result.chart = chart
        return result


# Free text ---------------------------------------------------------------


def _text(raw):
    """Typed text as counted on the page: a line break is one character
    (browsers send it as two)."""
    return (raw or "").replace("\r\n", "\n").strip()


@dataclass
class _TextQuestion(Question):
    is_free_text: ClassVar[bool] = True
    required_message: ClassVar[str] = "Enter your answer to this question."

    @property
    def limit(self):
        raise NotImplementedError

    def value_from_cleaned(self, cleaned):
        return _text(cleaned.get(self.field_name)) or None

    def check(self, value, *, required):
        if not isinstance(value, str):
            raise self._error("Enter your answer as text.")
        if len(value) > self.limit:
            raise self._error(
                f"Your answer must be {self.limit:,} characters or fewer (it has {len(value):,})."
            )

    def display_value(self, value):
        return value

    def answer_rows(self, value):
        return [{"choice": "", "number": None, "text": value}]

    def value_from_answer_rows(self, rows):
        return rows[0]["text"]

    def result(self, *, counts, answered):
        # Written answers are read, not counted (see selectors.text_answers).
        return QuestionResult(question=self, answered=answered)


@dataclass
class ShortTextQuestion(_TextQuestion):
    type: ClassVar[str] = b.SHORT_TEXT

    @property
    def limit(self):
        return SHORT_TEXT_MAX

    def form_field(self, *, required):
        # No `maxlength`: browsers cut longer text silently, so `check`
        # refuses it with a message instead.
        return forms.CharField(**self._field_options(required))


@dataclass
class LongTextQuestion(_TextQuestion):
    max_characters: int = 0

    type: ClassVar[str] = b.LONG_TEXT
    quotable: ClassVar[bool] = True

    @classmethod
    def settings_from_block(cls, value):
        return {"max_characters": value.get("max_characters") or 0}

    @property
    def limit(self):
        return self.max_characters

    def form_field(self, *, required):
        form_field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 5}), **self._field_options(required)
        )
        # Counted as people type (templates/components/field.html).
        form_field.character_count = self.max_characters
        return form_field

    def refused_changes(self, new):
        if new.max_characters < self.max_characters:
            return [
                f"The character limit of “{self.label}” cannot be lowered once it has responses."
            ]
        return []


# Choices -----------------------------------------------------------------


def _list_items(list_value):
    """(id, label) for each item of a ListBlock value: answers store the ids."""
    if list_value is None:
        return []
    return [(str(item.id), item.value) for item in list_value.bound_blocks]


@dataclass
class _ChoicesQuestion(Question):
    """A question whose options are an editor's list: their ids are stored."""

    choices: list = field(default_factory=list)  # [(id, label)] (ranking items too)

    def refused_changes(self, new):
        kept = {cid for cid, _ in new.choices}
        return [
            f"The choice “{label}” of “{self.label}” cannot be removed: the question "
            "already has responses. You can reword the choice instead."
            for cid, label in self.choices
            if cid not in kept
        ]


@dataclass
class _OtherQuestion(_ChoicesQuestion):
    """Choices, with an optional "Other – please say" and its text box."""

    allow_other: bool = False

    @classmethod
    def settings_from_block(cls, value):
        return {
            "choices": _list_items(value.get("choices")),
            "allow_other": bool(value.get("allow_other")),
        }

    @property
    def has_other(self):
        return self.allow_other

    def option_labels(self):
        labels = dict(self.choices)
        if self.has_other:
            labels[OTHER] = "Other"
        return labels

    def _validate_other(self, chose_other, text):
        if not isinstance(text, str | None):
            raise self._other_error("Enter your other answer as text.")
        if chose_other and not (text or "").strip():
            raise self._other_error("Say what your other answer is.")
        if text and not chose_other:
            raise self._other_error(
                "Choose “Other” if you want to give your own answer, or clear this box."
            )
        if len(text or "") > OTHER_TEXT_MAX:
            raise self._other_error(f"Your answer must be {OTHER_TEXT_MAX} characters or fewer.")

    def _other_error(self, message):
        return ValidationError(message, params={"field": self.other_field_name})

    def _other_text(self, rows):
        return next((r["text"] for r in rows if r["choice"] == OTHER), "")

    def _other_row(self, choice, value, number=None):
        text = value.get("other", "") if choice == OTHER else ""
        return {"choice": choice, "number": number, "text": text}

    def _other_label(self, choice, value, labels):
        return f"Other: {value.get('other', '')}" if choice == OTHER else labels.get(choice, "")

    def refused_changes(self, new):
        problems = super().refused_changes(new)
        if self.has_other and not new.has_other:
            problems.append(
                f"The “Other” choice of “{self.label}” cannot be turned off: the question "
                "already has responses."
            )
        return problems


@dataclass
class SingleChoiceQuestion(_OtherQuestion):
    type: ClassVar[str] = b.SINGLE_CHOICE

    def form_field(self, *, required):
        return _radios(self, required)

    def value_from_cleaned(self, cleaned):
        raw = cleaned.get(self.field_name)
        other = _text(cleaned.get(self.other_field_name))
        if not raw and not other:
            return None
        return {"choice": raw or "", "other": other}

    def initial(self, value):
        if value is None:
            return {}
        return {self.field_name: value.get("choice"), self.other_field_name: value.get("other")}

    def check(self, value, *, required):
        choice = value.get("choice") if isinstance(value, dict) else None
        if not isinstance(choice, str) or choice not in self.option_labels():
            if isinstance(value, dict) and value.get("other") and not value.get("choice"):
                raise self._error("Choose “Other” if you want to give your own answer.")
            raise self._error(CHOOSE_SHOWN)
        self._validate_other(value.get("choice") == OTHER, value.get("other", ""))

    def display_value(self, value):
        return self._other_label(value.get("choice"), value, self.option_labels())

    def answer_rows(self, value):
        return [self._other_row(value["choice"], value)]

    def value_from_answer_rows(self, rows):
        return {"choice": rows[0]["choice"], "other": self._other_text(rows)}


@dataclass
class MultipleChoiceQuestion(_OtherQuestion):
    min_selections: int | None = None
    max_selections: int | None = None

    type: ClassVar[str] = b.MULTIPLE_CHOICE
    required_message: ClassVar[str] = "Choose at least one option."

    @classmethod
    def settings_from_block(cls, value):
        return {
            **super().settings_from_block(value),
            "min_selections": value.get("min_selections"),
            "max_selections": value.get("max_selections"),
        }

    def selection_rule(self):
        low, high = self.min_selections, self.max_selections
        if low and high and low == high:
            return f"Choose {low}."
        if low and low > 1 and high:
            return f"Choose between {low} and {high}."
        if high:
            return f"Choose up to {high}."
        if low:
            return f"Choose at least {low}."
        return ""

    def form_field(self, *, required):
        options = self._field_options(
            required, help_text=f"{self.hint} {self.selection_rule()}".strip()
        )
        options["error_messages"]["invalid_choice"] = "Choose only from the options shown."
        return forms.MultipleChoiceField(
            choices=list(self.option_labels().items()),
            widget=forms.CheckboxSelectMultiple,
            **options,
        )

    def value_from_cleaned(self, cleaned):
        raw = cleaned.get(self.field_name)
        other = _text(cleaned.get(self.other_field_name))
        if not raw and not other:
            return None
        return {"choices": list(raw or []), "other": other}

    def initial(self, value):
        if value is None:
            return {}
        return {self.field_name: value.get("choices"), self.other_field_name: value.get("other")}

    def check(self, value, *, required):
        chosen = value.get("choices") if isinstance(value, dict) else None
        if not _all_text(chosen) or not set(chosen) <= set(self.option_labels()):
            raise self._error("Choose only from the options shown.")
        if len(set(chosen)) != len(chosen):
            raise self._error("Choose each option only once.")
        if not chosen and value.get("other"):
            raise self._error("Choose “Other” if you want to give your own answer.")
        if not chosen and required:
            raise self._error(self.required_message)
        if chosen:
            self._check_count(len(chosen))
        self._validate_other(OTHER in chosen, value.get("other", ""))

    def _check_count(self, count):
        if self.min_selections and count < self.min_selections:
            raise self._error(f"Choose at least {self.min_selections}.")
        if self.max_selections and count > self.max_selections:
            raise self._error(f"Choose no more than {self.max_selections}.")

    def display_value(self, value):
        labels = self.option_labels()
        return "; ".join(self._other_label(c, value, labels) for c in value.get("choices", []))

    def answer_rows(self, value):
        return [self._other_row(c, value) for c in value["choices"]]

    def value_from_answer_rows(self, rows):
        return {"choices": [r["choice"] for r in rows], "other": self._other_text(rows)}


@dataclass
class RankingQuestion(_ChoicesQuestion):
    type: ClassVar[str] = b.RANKING
    required_message: ClassVar[str] = "Rank every item."

    @classmethod
    def settings_from_block(cls, value):
        return {"choices": _list_items(value.get("items"))}

    def option_labels(self):
        return dict(self.choices)

    def _positions(self):
        return [str(n) for n in range(1, len(self.choices) + 1)]

    def form_field(self, *, required):
        positions = [("", ""), *((p, p) for p in self._positions())]
        invalid = {"invalid_choice": CHOOSE_SHOWN, "required": self.required_message}
        hint = self.hint or f"Number each item from 1 (most important) to {len(self.choices)}."
        return RankingField(
            fields=[
                forms.ChoiceField(choices=positions, required=False, error_messages=invalid)
                for _ in self.choices
            ],
            widget=forms.MultiWidget(
                widgets=[forms.Select(choices=positions)] * len(self.choices)
            ),
            require_all_fields=False,
            **self._field_options(required, help_text=hint),
        )

    def ranking_context(self, bound_field):
        value = bound_field.value() or []
        if not isinstance(value, list | tuple):
            value = []
        rows = []
        for n, (cid, label) in enumerate(self.choices):
            current = value[n] if n < len(value) else ""
            rows.append(
                {
                    "id": f"{bound_field.auto_id}_{n}",
                    "name": f"{bound_field.html_name}_{n}",
                    "label": label,
                    "value": str(current or ""),
                    "item_id": cid,
                }
            )
        return {"rows": rows, "positions": self._positions()}

    def value_from_cleaned(self, cleaned):
        raw = cleaned.get(self.field_name)
        if not raw:
            return None
        ranked = sorted(zip(raw, self.choices, strict=True), key=lambda pair: int(pair[0]))
        return [cid for _, (cid, _label) in ranked]

    def initial(self, value):
        if value is None:
            return {}
        position = {item: n for n, item in enumerate(value, start=1)}
        return {self.field_name: [str(position.get(cid, "")) for cid, _ in self.choices]}

    def check(self, value, *, required):
        ids = [cid for cid, _ in self.choices]
        if not _all_text(value) or sorted(value) != sorted(ids):
            raise self._error(f"Give each item a different number from 1 to {len(ids)}.")

    def display_value(self, value):
        labels = self.option_labels()
        return "; ".join(f"{n}. {labels.get(c, '')}" for n, c in enumerate(value, start=1))

    def answer_rows(self, value):
        return [{"choice": c, "number": n, "text": ""} for n, c in enumerate(value, start=1)]

    def value_from_answer_rows(self, rows):
        return [r["choice"] for r in sorted(rows, key=lambda r: r["number"] or 0)]

    def result(self, *, counts, answered):
        result = QuestionResult(question=self, answered=answered)
        table_rows = []
        for cid, label in self.choices:
            row = counts.get(cid)
            average = round(row["avg"], 1) if row and row["avg"] is not None else 0
            table_rows.append((label, average, row["first"] if row else 0))
        table_rows.sort(key=lambda r: r[1] or 999)
        chart = bar_chart(
            f"{self.number}. {self.label}",
            [(label, first) for label, _, first in table_rows],
            description="How many people ranked each item first; the table also gives "
            "each item's average position (1 is most important).",
        )
        chart.table = Table(
            caption=chart.title,
            columns=["Item", "Average position", "Ranked first"],
            rows=[list(r) for r in table_rows],
        )
        result.rows = table_rows
        result.chart = chart
        return result

    def refused_changes(self, new):
        problems = super().refused_changes(new)
        if len(new.choices) != len(self.choices):
            problems.append(
                f"Items cannot be added to the ranking question “{self.label}” once it has "
                "responses: earlier rankings would be incomplete."
            )
        return problems


# Yes or no, and scales ---------------------------------------------------


def _radios(question, required):
    options = question._field_options(required)
    options["error_messages"]["invalid_choice"] = CHOOSE_SHOWN
    return forms.ChoiceField(
        choices=list(question.option_labels().items()), widget=forms.RadioSelect, **options
    )


@dataclass
class YesNoQuestion(Question):
    type: ClassVar[str] = b.YES_NO

    def option_labels(self):
        return dict(YES_NO_CHOICES)

    def form_field(self, *, required):
        return _radios(self, required)

    def check(self, value, *, required):
        if not isinstance(value, str) or value not in self.option_labels():
            raise self._error("Choose yes or no.")


@dataclass
class ScaleQuestion(Question):
    scale_min: int = 1
    scale_max: int = 5
    low_label: str = ""
    high_label: str = ""

    type: ClassVar[str] = b.SCALE

    @classmethod
    def settings_from_block(cls, value):
        return {
            "scale_min": value.get("minimum") if value.get("minimum") is not None else 1,
            "scale_max": value.get("maximum") or 5,
            "low_label": value.get("low_label") or "",
            "high_label": value.get("high_label") or "",
        }

    def option_labels(self):
        return {str(n): self.scale_label(n) for n in range(self.scale_min, self.scale_max + 1)}

    def scale_label(self, n):
        if n == self.scale_min:
            return f"{n} – {self.low_label}"
        if n == self.scale_max:
            return f"{n} – {self.high_label}"
        return str(n)

    def form_field(self, *, required):
        return _radios(self, required)

    def value_from_cleaned(self, cleaned):
        raw = cleaned.get(self.field_name)
        return int(raw) if raw else None

    def initial(self, value):
        if value is None:
            return {}
        return {self.field_name: str(value)}

    def check(self, value, *, required):
        if not isinstance(value, int) or str(value) not in self.option_labels():
            raise self._error(f"Choose a number from {self.scale_min} to {self.scale_max}.")

    def answer_rows(self, value):
        return [{"choice": str(value), "number": value, "text": ""}]

    def value_from_answer_rows(self, rows):
        return rows[0]["number"]

    def result(self, *, counts, answered):
        result = super().result(counts=counts, answered=answered)
        if answered:
            total = sum(int(k) * counts.get(k, {}).get("n", 0) for k in self.option_labels())
            result.average = round(total / answered, 1)
        return result

    def refused_changes(self, new):
        if (self.scale_min, self.scale_max) != (new.scale_min, new.scale_max):
            return [f"The scale of “{self.label}” cannot change once it has responses."]
        return []


# Every question type, keyed by its block type in blocks.QuestionsBlock.
QUESTION_CLASSES = {
    cls.type: cls
    for cls in (
        ShortTextQuestion,
        LongTextQuestion,
        SingleChoiceQuestion,
        MultipleChoiceQuestion,
        ScaleQuestion,
        RankingQuestion,
        YesNoQuestion,
    )
}


class RankingField(forms.MultiValueField):
    """One select per item, numbered 1..n; cleans to each item's position."""

    def compress(self, data_list):
        return data_list

    def clean(self, value):
        positions = super().clean(value) or []
        if not any(positions):
            return None
        if not all(positions) or len(set(positions)) != len(positions):
            raise ValidationError(
                f"Give each item a different number from 1 to {len(positions)}.",
                code="ranking",
            )
        return positions


@dataclass
class Section:
    number: int
    heading: str
    introduction: str = ""
    questions: list = field(default_factory=list)

    def structure_hash(self):
        return _hash([q.fingerprint() for q in self.questions])


class Questionnaire:
    """The sections and questions of a consultation, in order."""

    def __init__(self, stream_value, *, default_heading="Your views"):
        self.sections = []
        self.questions = []
        current = None
        for child in stream_value:
            if child.block_type == b.SECTION:
                current = Section(
                    number=len(self.sections) + 1,
                    heading=child.value["heading"],
                    introduction=child.value.get("introduction") or "",
                )
                self.sections.append(current)
                continue
            if current is None:
                current = Section(number=1, heading=default_heading)
                self.sections.append(current)
            question = QUESTION_CLASSES[child.block_type].from_block(
                child, number=len(self.questions) + 1
            )
            current.questions.append(question)
            self.questions.append(question)
        # A section with no questions is a page with nothing to answer.
        self.sections = [s for s in self.sections if s.questions]
        for n, section in enumerate(self.sections, start=1):
            section.number = n
        self.by_id = {q.id: q for q in self.questions}

    def section(self, number):
        if 1 <= number <= len(self.sections):
            return self.sections[number - 1]
        return None

    def structure_hash(self):
        return _hash([q.fingerprint() for q in self.questions])

    def validate(self, answers, *, enforce_required=True):
        """Every answer checked; returns {question_id: message} (empty when fine).

        Answers to questions that no longer exist are problems too: they mean
        the questionnaire changed since the person started.
        """
        problems = {}
        for question in self.questions:
            try:
                question.validate(answers.get(question.id), enforce_required=enforce_required)
            except ValidationError as error:
                problems[question.id] = error.messages[0]
        for question_id in answers:
            if question_id not in self.by_id:
                problems[question_id] = "This question has been removed since you answered it."
        return problems

    def refused_changes(self, new):
        """Why `new` may not replace this questionnaire once responses exist."""
        problems = []
        for old in self.questions:
            replacement = new.by_id.get(old.id)
            if replacement is None:
                problems.append(
                    f"“{old.label}” already has responses, so it cannot be removed. "
                    "You can reword it or add new questions instead."
                )
            elif replacement.type != old.type:
                problems.append(
                    f"“{old.label}” already has responses, so it cannot change from "
                    f"{old.type_label.lower()} to {replacement.type_label.lower()}."
                )
            else:
                problems.extend(old.refused_changes(replacement))
        return problems


def _hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]
