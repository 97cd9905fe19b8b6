"""A questionnaire read from the `questions` StreamField.

`Question` is the one place that knows, per question type, which form fields
ask it, how an answer is checked, how it is shown and how it is stored as
answer rows. Forms, services, results and exports all go through it, so the
web form, paper entry and re-validation at submission obey the same rules.

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

from django import forms
from django.core.exceptions import ValidationError

from . import blocks as b

OTHER = "other"
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]
SHORT_TEXT_MAX = 250
OTHER_TEXT_MAX = 500


@dataclass
class Question:
    id: str
    type: str
    label: str
    hint: str = ""
    required: bool = True
    max_characters: int = 0
    choices: list = field(default_factory=list)  # [(id, label)] (ranking items too)
    allow_other: bool = False
    min_selections: int | None = None
    max_selections: int | None = None
    scale_min: int = 1
    scale_max: int = 5
    low_label: str = ""
    high_label: str = ""
    number: int = 0  # 1-based position in the questionnaire

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
    def is_free_text(self):
        return self.type in (b.SHORT_TEXT, b.LONG_TEXT)

    @property
    def has_other(self):
        return self.allow_other and self.type in (b.SINGLE_CHOICE, b.MULTIPLE_CHOICE)

    def option_labels(self):
        """Every stored choice value and its label, in order."""
        if self.type == b.YES_NO:
            return dict(YES_NO_CHOICES)
        if self.type == b.SCALE:
            return {str(n): self.scale_label(n) for n in range(self.scale_min, self.scale_max + 1)}
        labels = dict(self.choices)
        if self.has_other:
            labels[OTHER] = "Other"
        return labels

    def scale_label(self, n):
        if n == self.scale_min:
            return f"{n} – {self.low_label}"
        if n == self.scale_max:
            return f"{n} – {self.high_label}"
        return str(n)

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
        """The form fields asking this question, by name. Requiredness is
        checked in `validate`, so every field here is optional."""
        # Required questions are marked required so they are not labelled
        # "(optional)"; `validate` still checks every answer afterwards.
        common = {
            "label": self.label,
            "help_text": self.hint,
            "required": self.required and enforce_required,
        }
        required = {"required": self._required_message()}
        invalid = {"invalid_choice": "Choose one of the options shown.", **required}
        fields = {}
        # Text fields have no `maxlength`: browsers cut longer text silently,
        # so `validate` refuses it with a message instead.
        if self.type == b.SHORT_TEXT:
            fields[self.field_name] = forms.CharField(error_messages=required, **common)
        elif self.type == b.LONG_TEXT:
            field = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 5}), error_messages=required, **common
            )
            # Counted as people type (templates/components/field.html).
            field.character_count = self.max_characters
            fields[self.field_name] = field
        elif self.type in (b.SINGLE_CHOICE, b.YES_NO, b.SCALE):
            options = list(self.option_labels().items())
            fields[self.field_name] = forms.ChoiceField(
                choices=options, widget=forms.RadioSelect, error_messages=invalid, **common
            )
        elif self.type == b.MULTIPLE_CHOICE:
            hint = self.hint
            if self.min_selections or self.max_selections:
                hint = f"{hint} {self.selection_rule()}".strip()
            fields[self.field_name] = forms.MultipleChoiceField(
                choices=list(self.option_labels().items()),
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": "Choose only from the options shown.",
                    **required,
                },
                **{**common, "help_text": hint},
            )
        elif self.type == b.RANKING:
            positions = [("", "")] + [(str(n), str(n)) for n in range(1, len(self.choices) + 1)]
            fields[self.field_name] = RankingField(
                fields=[
                    forms.ChoiceField(choices=positions, required=False, error_messages=invalid)
                    for _ in self.choices
                ],
                widget=forms.MultiWidget(
                    widgets=[forms.Select(choices=positions)] * len(self.choices)
                ),
                require_all_fields=False,
                error_messages=required,
                **{
                    **common,
                    "help_text": self.hint
                    or f"Number each item from 1 (most important) to {len(self.choices)}.",
                },
            )
        if self.has_other:
            fields[self.other_field_name] = forms.CharField(
                label="If you chose “Other”, please say", required=False
            )
        for form_field in fields.values():
            # The error summary names the question ("Choose an answer" alone
            # would repeat for every question left out).
            form_field.summary_label = self.label
        return fields

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

    def value_from_cleaned(self, cleaned):
        """Turn a form's cleaned data into this question's answer (or None)."""
        raw = cleaned.get(self.field_name)
        other = _text(cleaned.get(self.other_field_name))
        if self.is_free_text:
            return _text(raw) or None
        if self.type in (b.YES_NO,):
            return raw or None
        if self.type == b.SCALE:
            return int(raw) if raw else None
        if self.type == b.SINGLE_CHOICE:
            if not raw and not other:
                return None
            return {"choice": raw or "", "other": other}
        if self.type == b.MULTIPLE_CHOICE:
            if not raw and not other:
                return None
            return {"choices": list(raw or []), "other": other}
        if self.type == b.RANKING:
            if not raw:
                return None
            ranked = sorted(zip(raw, self.choices, strict=True), key=lambda pair: int(pair[0]))
            return [cid for _, (cid, _label) in ranked]
        return None

    def initial(self, value):
        """Form initial data from a stored answer."""
        if value is None:
            return {}
        if self.type == b.SINGLE_CHOICE:
            return {
                self.field_name: value.get("choice"),
                self.other_field_name: value.get("other"),
            }
        if self.type == b.MULTIPLE_CHOICE:
            return {
                self.field_name: value.get("choices"),
                self.other_field_name: value.get("other"),
            }
        if self.type == b.SCALE:
            return {self.field_name: str(value)}
        if self.type == b.RANKING:
            position = {item: n for n, item in enumerate(value, start=1)}
            return {self.field_name: [str(position.get(cid, "")) for cid, _ in self.choices]}
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
        if value is None or value == "" or value == []:
            if required:
                raise self._error(self._required_message())
            return
        option_ids = set(self.option_labels())
        if self.is_free_text:
            limit = self.max_characters if self.type == b.LONG_TEXT else SHORT_TEXT_MAX
            if not isinstance(value, str):
                raise self._error("Enter your answer as text.")
            if len(value) > limit:
                raise self._error(
                    f"Your answer must be {limit:,} characters or fewer (it has {len(value):,})."
                )
        elif self.type == b.YES_NO:
            if value not in option_ids:
                raise self._error("Choose yes or no.")
        elif self.type == b.SCALE:
            if not isinstance(value, int) or str(value) not in option_ids:
                raise self._error(f"Choose a number from {self.scale_min} to {self.scale_max}.")
        elif self.type == b.SINGLE_CHOICE:
            if not isinstance(value, dict) or value.get("choice") not in option_ids:
                if isinstance(value, dict) and value.get("other") and not value.get("choice"):
                    raise self._error("Choose “Other” if you want to give your own answer.")
                raise self._error("Choose one of the options shown.")
            self._validate_other(value.get("choice") == OTHER, value.get("other", ""))
        elif self.type == b.MULTIPLE_CHOICE:
            chosen = value.get("choices") if isinstance(value, dict) else None
            if not isinstance(chosen, list) or not set(chosen) <= option_ids:
                raise self._error("Choose only from the options shown.")
            if len(set(chosen)) != len(chosen):
                raise self._error("Choose each option only once.")
            if not chosen and value.get("other"):
                raise self._error("Choose “Other” if you want to give your own answer.")
            if not chosen and required:
                raise self._error(self._required_message())
            if chosen:
                if self.min_selections and len(chosen) < self.min_selections:
                    raise self._error(f"Choose at least {self.min_selections}.")
                if self.max_selections and len(chosen) > self.max_selections:
                    raise self._error(f"Choose no more than {self.max_selections}.")
            self._validate_other(OTHER in chosen, value.get("other", ""))
        elif self.type == b.RANKING:
            ids = [cid for cid, _ in self.choices]
            if not isinstance(value, list) or sorted(value) != sorted(ids):
                raise self._error(f"Give each item a different number from 1 to {len(ids)}.")

    def _validate_other(self, chose_other, text):
        if chose_other and not (text or "").strip():
            raise ValidationError(
                "Say what your other answer is.", params={"field": self.other_field_name}
            )
        if text and not chose_other:
            raise ValidationError(
                "Choose “Other” if you want to give your own answer, or clear this box.",
                params={"field": self.other_field_name},
            )
        if len(text or "") > OTHER_TEXT_MAX:
            raise ValidationError(
                f"Your answer must be {OTHER_TEXT_MAX} characters or fewer.",
                params={"field": self.other_field_name},
            )

    def _required_message(self):
        if self.is_free_text:
            return "Enter your answer to this question."
        if self.type == b.MULTIPLE_CHOICE:
            return "Choose at least one option."
        if self.type == b.RANKING:
            return "Rank every item."
        return "Choose an answer to this question."

    def _error(self, message):
        return ValidationError(message, params={"field": self.field_name})

    # Display and storage --------------------------------------------------------

    def display(self, value):
        """The answer in words (check-your-answers, exports)."""
        if value is None or value == "" or value == []:
            return ""
        labels = self.option_labels()
        if self.is_free_text:
            return value
        if self.type in (b.YES_NO, b.SCALE):
            return labels.get(str(value), str(value))
        if self.type == b.SINGLE_CHOICE:
            if value.get("choice") == OTHER:
                return f"Other: {value.get('other', '')}"
            return labels.get(value.get("choice"), "")
        if self.type == b.MULTIPLE_CHOICE:
            parts = [
                f"Other: {value.get('other', '')}" if c == OTHER else labels.get(c, "")
                for c in value.get("choices", [])
            ]
            return "; ".join(parts)
        if self.type == b.RANKING:
            return "; ".join(f"{n}. {labels.get(c, '')}" for n, c in enumerate(value, start=1))
        return str(value)

    def rows(self, value):
        """Answer rows (choice, number, text) for a validated answer.

        One row per chosen option, so results are a GROUP BY on `choice`.
        """
        if value is None or value == "" or value == []:
            return []
        if self.is_free_text:
            return [{"choice": "", "number": None, "text": value}]
        if self.type == b.YES_NO:
            return [{"choice": value, "number": None, "text": ""}]
        if self.type == b.SCALE:
            return [{"choice": str(value), "number": value, "text": ""}]
        if self.type == b.SINGLE_CHOICE:
            choice = value["choice"]
            return [
                {
                    "choice": choice,
                    "number": None,
                    "text": value.get("other", "") if choice == OTHER else "",
                }
            ]
        if self.type == b.MULTIPLE_CHOICE:
            return [
                {"choice": c, "number": None, "text": value.get("other", "") if c == OTHER else ""}
                for c in value["choices"]
            ]
        if self.type == b.RANKING:
            return [{"choice": c, "number": n, "text": ""} for n, c in enumerate(value, start=1)]
        return []

    def value_from_rows(self, rows):
        """The inverse of `rows`, for exports of stored answers."""
        if not rows:
            return None
        if self.is_free_text:
            return rows[0]["text"]
        if self.type == b.YES_NO:
            return rows[0]["choice"]
        if self.type == b.SCALE:
            return rows[0]["number"]
        other = next((r["text"] for r in rows if r["choice"] == OTHER), "")
        if self.type == b.SINGLE_CHOICE:
            return {"choice": rows[0]["choice"], "other": other}
        if self.type == b.MULTIPLE_CHOICE:
            return {"choices": [r["choice"] for r in rows], "other": other}
        if self.type == b.RANKING:
            return [r["choice"] for r in sorted(rows, key=lambda r: r["number"] or 0)]
        return None


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
            question = _question(child, number=len(self.questions) + 1)
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

    def section_of(self, question_id):
        for section in self.sections:
            if any(q.id == question_id for q in section.questions):
                return section
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
                continue
            if replacement.type != old.type:
                problems.append(
                    f"“{old.label}” already has responses, so it cannot change from "
                    f"{old.type_label.lower()} to {replacement.type_label.lower()}."
                )
                continue
            kept = {cid for cid, _ in replacement.choices}
            for cid, label in old.choices:
                if cid not in kept:
                    problems.append(
                        f"The choice “{label}” of “{old.label}” cannot be removed: the question "
                        "already has responses. You can reword the choice instead."
                    )
            if old.type == b.RANKING and len(replacement.choices) != len(old.choices):
                problems.append(
                    f"Items cannot be added to the ranking question “{old.label}” once it has "
                    "responses: earlier rankings would be incomplete."
                )
            if old.has_other and not replacement.has_other:
                problems.append(
                    f"The “Other” choice of “{old.label}” cannot be turned off: the question "
                    "already has responses."
                )
            if (old.scale_min, old.scale_max) != (replacement.scale_min, replacement.scale_max):
                problems.append(f"The scale of “{old.label}” cannot change once it has responses.")
            if old.type == b.LONG_TEXT and replacement.max_characters < old.max_characters:
                problems.append(
                    f"The character limit of “{old.label}” cannot be lowered once it has responses."
                )
        return problems


def _question(child, *, number):
    value = child.value
    choices_value = value.get("items") if child.block_type == b.RANKING else value.get("choices")
    choices = []
    if choices_value is not None:
        for item in choices_value.bound_blocks:
            choices.append((str(item.id), item.value))
    return Question(
        id=str(child.id),
        type=child.block_type,
        label=value["question"],
        hint=value.get("hint") or "",
        required=bool(value.get("required")),
        max_characters=value.get("max_characters") or 0,
        choices=choices,
        allow_other=bool(value.get("allow_other")),
        min_selections=value.get("min_selections"),
        max_selections=value.get("max_selections"),
        scale_min=value.get("minimum") if value.get("minimum") is not None else 1,
        scale_max=value.get("maximum") or 5,
        low_label=value.get("low_label") or "",
        high_label=value.get("high_label") or "",
        number=number,
    )


def _text(raw):
    """Typed text as counted on the page: a line break is one character
    (browsers send it as two)."""
    return (raw or "").replace("\r\n", "\n").strip()


def _hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]
