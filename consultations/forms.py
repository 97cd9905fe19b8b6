"""Forms that ask a consultation's questions.

Fields come from the question classes in `questions`; every answer is checked
by the question's `validate`, the same check the submission service repeats. Each form
carries a signed token with the structure hash of the questions it showed and
the time it was shown: a changed questionnaire (stale form), a forged token or
a form sent back faster than a person could gives a clear message instead of
saving anything.
"""

import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.demographics import ATTRIBUTES, PREFER_NOT_TO_SAY
from commissioning.models import Ward
from coproduce.forms import GovukForm, HoneypotMixin

from .models import EqualityRecord
from .questions import STALE_MESSAGE

TOKEN_SALT = "consultations.form"
TOKEN_MAX_AGE = 60 * 60 * 24  # a day: long enough to come back from a break
# Anonymous forms sent back sooner than this after being shown are from bots.
MIN_SECONDS_TO_SUBMIT = 2

TAMPERED_MESSAGE = (
    "This form is incomplete or out of date. Please check your answers and try again."
)
TOO_QUICK_MESSAGE = "That was very quick. Please check your answers and send them again."


def form_token(structure_hash, *, issued_at=None):
    return signing.dumps(
        {"s": structure_hash, "t": int(issued_at if issued_at is not None else time.time())},
        salt=TOKEN_SALT,
        compress=True,
    )


def check_form_token(token, *, structure_hash, min_seconds=0):
    """Raise ValidationError (code stale, tampered or too_quick) if the token is not good."""
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(TAMPERED_MESSAGE, code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError(TAMPERED_MESSAGE, code="tampered") from error
    if not isinstance(data, dict) or "s" not in data or "t" not in data:
        raise ValidationError(TAMPERED_MESSAGE, code="tampered")
    if data["s"] != structure_hash:
        raise ValidationError(STALE_MESSAGE, code="stale")
    if min_seconds and time.time() - data["t"] < min_seconds:
        raise ValidationError(TOO_QUICK_MESSAGE, code="too_quick")


class QuestionsForm(GovukForm):
    """Asks a list of questions; `self.answers` holds the cleaned answers."""

    enforce_required = True

    def __init__(
        self, *args, questions, structure_hash, anonymous=False, enforce_required=None, **kwargs
    ):
        self.questions = questions
        self.structure_hash = structure_hash
        self.anonymous = anonymous
        if enforce_required is not None:
            self.enforce_required = enforce_required
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields.update(question.form_fields(enforce_required=self.enforce_required))
        self.answers = {}

    def token(self):
        return form_token(self.structure_hash)

    def clean(self):
        cleaned = super().clean()
        check_form_token(
            self.data.get("form_token"),
            structure_hash=self.structure_hash,
            min_seconds=MIN_SECONDS_TO_SUBMIT if self.anonymous else 0,
        )
        for question in self.questions:
            if question.field_name in self.errors or question.other_field_name in self.errors:
                continue
            value = question.value_from_cleaned(cleaned)
            try:
                question.validate(value, enforce_required=self.enforce_required)
            except ValidationError as error:
                self.add_error(error.params["field"], error.messages[0])
                continue
            self.answers[question.id] = value
        return cleaned

    def question_fields(self):
        """(question, field, other field, ranking rows) for the template."""
        items = []
        for question in self.questions:
            field = self[question.field_name]
            items.append(
                {
                    "question": question,
                    "field": field,
                    "other": self[question.other_field_name] if question.has_other else None,
                    "ranking": question.ranking_context(field),
                }
            )
        return items


class SectionForm(HoneypotMixin, QuestionsForm):
    """One section of the questionnaire, as residents answer it."""


# Asked in the words of the ONS census questions; values are the shared vocabulary's.
EQUALITY_QUESTIONS = {
    "age_band": "How old are you?",
    "gender": "What is your gender?",
    "ethnicity": "What is your ethnic group?",
    "disability": "Are your day-to-day activities limited by a health problem or disability?",
}


def _equality_fields():
    fields = {}
    for key, (label, choices) in ATTRIBUTES.items():
        fields[key] = forms.ChoiceField(
            label=EQUALITY_QUESTIONS.get(key, label),
            choices=[*choices, PREFER_NOT_TO_SAY],
            widget=forms.RadioSelect,
            required=False,
            error_messages={"invalid_choice": "Choose one of the options shown."},
        )
    wards = [(w.slug, w.name) for w in Ward.objects.only("slug", "name").order_by("name")]
    fields["ward"] = forms.ChoiceField(
        label="Which ward do you live in?",
        choices=[
            *wards,
            (EqualityRecord.OUTSIDE, "I do not live in the borough"),
            PREFER_NOT_TO_SAY,
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose one of the options shown."},
    )
    return fields


EQUALITY_KEYS = [*ATTRIBUTES, "ward"]


class EqualityForm(HoneypotMixin, GovukForm):
    """Optional equality monitoring: every question may be skipped."""

    def __init__(self, *args, structure_hash, anonymous=False, **kwargs):
        self.structure_hash = structure_hash
        self.anonymous = anonymous
        super().__init__(*args, **kwargs)
        self.fields.update(_equality_fields())

    def token(self):
        return form_token(self.structure_hash)

    def clean(self):
        cleaned = super().clean()
        check_form_token(
            self.data.get("form_token"),
            structure_hash=self.structure_hash,
            min_seconds=MIN_SECONDS_TO_SUBMIT if self.anonymous else 0,
        )
        return cleaned

    def equality(self):
        return {key: self.cleaned_data.get(key) or "" for key in EQUALITY_KEYS}


class CheckAnswersForm(HoneypotMixin, GovukForm):
    """The last step: hear back, then send."""

    wants_feedback = forms.BooleanField(
        label="Tell me what happens as a result of this consultation",
        required=False,
        help_text="We will email you once the council has decided what to do.",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Only if you want to hear back. We use it for nothing else.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, structure_hash, anonymous=False, **kwargs):
        self.structure_hash = structure_hash
        self.anonymous = anonymous
        super().__init__(*args, **kwargs)
        if not anonymous:
            del self.fields["email"]

    def token(self):
        return form_token(self.structure_hash)

    def clean(self):
        cleaned = super().clean()
        check_form_token(
            self.data.get("form_token"),
            structure_hash=self.structure_hash,
            min_seconds=MIN_SECONDS_TO_SUBMIT if self.anonymous else 0,
        )
        wants_email = self.anonymous and cleaned.get("wants_feedback")
        if wants_email and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your email address so we can tell you what happens.")
        return cleaned


class PaperResponseForm(QuestionsForm):
    """Every question on one page, for an officer typing in a paper response.

    Paper forms come back with gaps, so required questions may be left blank.
    """

    enforce_required = False

    received_on = forms.DateField(
        label="Date the paper response was received",
        help_text="For example, 27 3 2026 or 2026-03-27.",
        input_formats=["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "invalid": "Enter a real date, like 27 3 2026.",
            "required": "Enter the date the paper response was received.",
        },
    )
    email = forms.EmailField(
        label="Respondent's email address, if they asked to hear back",
        required=False,
    )

    def __init__(self, *args, equality_monitoring=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.equality_monitoring = equality_monitoring
        if equality_monitoring:
            for key, field in _equality_fields().items():
                self.fields[f"eq_{key}"] = field

    def service_error_field(self, key):
        """The field a service's error key belongs to (`coproduce.forms.add_service_errors`):
        a question's id is its field, an equality key its `eq_` field."""
        by_id = {question.id: question.field_name for question in self.questions}
        if key in by_id:
            return by_id[key]
        return key if key in self.fields else f"eq_{key}"

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise ValidationError("The date received must be today or in the past.")
        return received

    def equality(self):
        if not self.equality_monitoring:
            return None
        return {key: self.cleaned_data.get(f"eq_{key}") or "" for key in EQUALITY_KEYS}

    def equality_fields(self):
        return [self[f"eq_{key}"] for key in EQUALITY_KEYS] if self.equality_monitoring else []
