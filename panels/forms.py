"""Forms for the public application, scoring and the recommendation."""

from django import forms

from commissioning.models import Ward
from coproduce.forms import GovukForm, HoneypotMixin

from .attributes import SERVICE_USER, WARD, attribute_choices
from .models import Application
from .models.appraisal import MAX_SCORE, MIN_SCORE

QUESTIONS = {
    "age_band": "How old are you?",
    "gender": "What is your gender?",
    "ethnicity": "What is your ethnic group?",
    "disability": "Are your day-to-day activities limited by a health problem or disability?",
    SERVICE_USER: "Do you use this service, or care for someone who does?",
}


class ApplicationForm(HoneypotMixin, GovukForm):
    name = forms.CharField(
        label="Your name", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        help_text="So we can call you about meetings if you prefer.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    availability = forms.MultipleChoiceField(
        label="When could you come to meetings?",
        choices=Application.AVAILABILITY,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select when you could come to meetings."},
    )
    access_needs = forms.CharField(
        label="Anything we should arrange so you can take part",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example a hearing loop, step-free access, an interpreter or help with travel.",
    )
    consent = forms.BooleanField(
        label="I agree that the council may use my answers to these questions to draw a panel "
        "that reflects the borough, and keep them until the panel ends.",
        error_messages={
            "required": "Tick the box to agree to the use of your answers for the selection."
        },
    )

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        ordered = {}
        for key in panel.attributes:
            if key == WARD:
                ordered["ward"] = forms.ModelChoiceField(
                    label="Which ward do you live in?",
                    queryset=Ward.objects.order_by("name"),
                    empty_label="Choose your ward",
                    help_text="Find your ward from your postcode on the council's website.",
                    error_messages={"required": "Choose the ward you live in."},
                )
            else:
                ordered[key] = forms.ChoiceField(
                    label=QUESTIONS[key],
                    choices=attribute_choices(key),
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": f"Answer “{QUESTIONS[key]}” (or choose “Prefer not to say”)."
                        if key != SERVICE_USER
                        else "Say whether you use the service or care for someone who does."
                    },
                )
        # Contact details first, then the lottery questions, then the rest.
        fields = dict(self.fields)
        self.fields = {
            "name": fields.pop("name"),
            "phone": fields.pop("phone"),
            **ordered,
            **fields,
        }


class ScoreForm(GovukForm):
    """One option: a 0–5 score and an optional rationale per criterion."""

    SCORE_CHOICES = [(str(n), str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)]

    def __init__(self, *args, criteria, existing=None, **kwargs):
        existing = existing or {}
        initial = {}
        for criterion in criteria:
            score = existing.get(criterion.pk)
            if score is not None:
                initial[f"score_{criterion.pk}"] = str(score.value)
                initial[f"rationale_{criterion.pk}"] = score.rationale
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            message = f"Give “{criterion.title}” a score from {MIN_SCORE} to {MAX_SCORE}."
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"{criterion.title} (weight {criterion.weight.normalize():f})",
                help_text=criterion.description or "0 is very poor, 5 is excellent.",
                choices=self.SCORE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
            self.fields[f"score_{criterion.pk}"].small = True
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=f"Why this score for “{criterion.title}”",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [
            (c, self.cleaned_data[f"score_{c.pk}"], self.cleaned_data.get(f"rationale_{c.pk}", ""))
            for c in self.criteria
        ]


class RecommendationForm(GovukForm):
    text = forms.CharField(
        label="The panel's recommendation",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What the panel recommends and why, in plain words. It is shown on the panel's page when published.",
        error_messages={"required": "Write the recommendation before saving it."},
    )
