"""Public forms of delivery: the progress filters and the service review."""

from django import forms

from commissioning.forms import TellMeWhatHappensMixin
from commissioning.models import Outcome, ProgrammePage, Ward
from coproduce.forms import FilterFormMixin, GovukForm, HoneypotMixin

from .models import ReviewResponse
from .models.commitments import STATUSES
from .selectors import filter_choices

SCORES = [
    ("5", "5 – very well"),
    ("4", "4 – well"),
    ("3", "3 – neither well nor badly"),
    ("2", "2 – badly"),
    ("1", "1 – very badly"),
]


class ProgressFilterForm(FilterFormMixin, GovukForm):
    """Filters for "What we said we would do" (GET: bookmarkable, works without JavaScript)."""

    programme = forms.ModelChoiceField(
        queryset=ProgrammePage.objects.live().order_by("title", "pk").only("pk", "title", "slug"),
        to_field_name="slug",
        required=False,
        empty_label="All programmes",
    )
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.only("pk", "name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label="All wards",
    )
    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.only("pk", "title"), required=False, empty_label="All outcomes"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *STATUSES], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists are read once per content generation, not on every request;
        # a chosen value is still checked against the database when the form
        # is validated.
        for name, choices in filter_choices().items():
            field = self.fields[name]
            field.choices = [("", field.empty_label), *choices]

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class ReviewForm(HoneypotMixin, TellMeWhatHappensMixin, GovukForm):
    """A score from 1 to 5 and a reason for each of the programme's outcomes."""

    relationship = forms.ChoiceField(
        label="How do you know the service?",
        choices=ReviewResponse.RELATIONSHIPS,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how you know the service."},
    )

    def __init__(self, *args, outcomes=(), users_only=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        if users_only:
            self.fields[
                "relationship"
            ].help_text = (
                "This review is for people who use the service or care for someone who does."
            )
        fields = {"relationship": self.fields.pop("relationship")}
        for outcome in self.outcomes:
            fields[f"score_{outcome.pk}"] = forms.ChoiceField(
                label=f"How well does the service help with: {outcome.title}?",
                choices=SCORES,
                widget=forms.RadioSelect,
                required=False,
                help_text="Leave it if you cannot say.",
            )
            fields[f"reason_{outcome.pk}"] = forms.CharField(
                label=f"Why did you give that score for “{outcome.title}”?",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=2000,
            )
        fields["comment"] = forms.CharField(
            label="Anything else you want to tell us about the service?",
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            max_length=4000,
            help_text="Do not include names or contact details.",
        )
        # Scores first, then the rest (feedback opt-in, honeypot) as the mixins add them.
        self.fields = {**fields, **self.fields}

    def scores(self):
        return {
            outcome.pk: (
                self.cleaned_data.get(f"score_{outcome.pk}") or None,
                self.cleaned_data.get(f"reason_{outcome.pk}", ""),
            )
            for outcome in self.outcomes
        }
