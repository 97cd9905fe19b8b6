"""Forms for the public application, scoring and the recommendation."""

from django import forms

from commissioning.models import Ward
from coproduce.forms import GovukForm, HoneypotMixin

from .attributes import SERVICE_USER, WARD, attribute_choices
from .models import Application
from .models.appraisal import (
    MAX_SCORE,
    MIN_SCORE,
    RATIONALE_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
)
from .models.recruitment import ACCESS_NEEDS_MAX_LENGTH

QUESTIONS = {
    "age_band": "How old are you?",
    "gender": "What is your gender?",
    "ethnicity": "What is your ethnic group?",
    "disability": "Are your day-to-day activities limited by a health problem or disability?",
    SERVICE_USER: "Do you use this service, or care for someone who does?",
}


def _no_browser_limit(field):
    """Keep the limit on the server only: a browser's maxlength cuts pasted text silently,
    where the server's message says how long it is and keeps all of it in the box."""
    field.widget.attrs.pop("maxlength", None)
    return field


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
        max_length=ACCESS_NEEDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example a hearing loop, step-free access, an interpreter or help with "
        f"travel. Up to {ACCESS_NEEDS_MAX_LENGTH:,} characters: we will contact you to talk "
        "about it.",
        error_messages={
            "max_length": f"Keep what we should arrange to {ACCESS_NEEDS_MAX_LENGTH:,} "
            "characters or fewer (you wrote %(show_value)d). We will call or email you to "
            "talk about it."
        },
    )
    consent = forms.BooleanField(
        label="I agree that the council may use my answers to these questions to draw a panel "
        "that reflects the borough, and keep them until the panel ends.",
        error_messages={
            "required": "Tick the box to agree to the use of your answers for the selection."
        },
    )

    def __init__(self, *args, panel, known_ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        ordered = {}
        for key in panel.attributes:
            if key == WARD:
                ordered["ward"] = forms.ModelChoiceField(
                    label="Which ward do you live in?",
                    queryset=Ward.objects.order_by("name", "pk"),
                    empty_label="Choose your ward",
                    help_text=(
                        f"Your profile says {known_ward.name}, from your postcode. "
                        "Change it here if you have moved."
                        if known_ward is not None
                        else "If you add your postcode to your profile, we fill this in for you."
                    ),
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
        _no_browser_limit(self.fields["access_needs"])
        # Contact details first, then the lottery questions, then the rest.
        fields = dict(self.fields)
        self.fields = {
            "name": fields.pop("name"),
            "phone": fields.pop("phone"),
            **ordered,
            **fields,
        }


class CodeForm(HoneypotMixin, GovukForm):
    """The first step of registering by letter: the code printed on it."""

    code = forms.CharField(
        label="Your code",
        max_length=20,
        help_text="It is on your letter, under “enter your code”: 8 letters and numbers, "
        "like ABCD-2345.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code from your letter."},
    )


class RegistrationForm(ApplicationForm):
    """Registering with a letter's code, without an account: the application's
    questions, with contact details asked for (there is no account to take them
    from) and the ward known from the invited address."""

    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="We email you the result of the draw. If you have no email, give a phone "
        "number and we will write to you.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, panel=panel, **kwargs)
        self.fields.pop("ward", None)
        fields = dict(self.fields)
        self.fields = {"name": fields.pop("name"), "email": fields.pop("email"), **fields}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error(
                "email", "Give an email address or a phone number, so we can tell you the result."
            )
        return cleaned


class AssistedRegistrationForm(RegistrationForm):
    """An officer enters a registration received by phone or on a paper reply slip."""

    code = forms.CharField(
        label="Code on the letter",
        max_length=20,
        help_text="8 letters and numbers, like ABCD-2345.",
        error_messages={"required": "Enter the code from the letter or reply slip."},
    )
    channel = forms.ChoiceField(
        label="How did the registration come in?",
        choices=[
            (Application.PHONE, "By phone"),
            (Application.PAPER, "On a paper reply slip"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the registration came in."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        fields.pop(self.honeypot_field, None)
        self.fields = {"code": fields.pop("code"), "channel": fields.pop("channel"), **fields}
        # The officer fills it in for someone else: speak of them, not "you".
        self.fields["name"].label = "Their name"
        self.fields[
            "email"
        ].help_text = "For the result of the draw. Leave empty if they have none."
        self.fields["phone"].help_text = "Give a phone number or an email address (or both)."
        self.fields["access_needs"].label = "Anything to arrange so they can take part"
        self.fields["consent"].label = (
            "The person agreed that the council may use their answers to draw a panel that "
            "reflects the borough, and keep them until the panel ends."
        )
        self.fields["consent"].error_messages["required"] = (
            "Confirm the person agreed to the use of their answers (ticked on the slip, "
            "or said so on the phone)."
        )


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
                max_length=RATIONALE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"Keep the reason for “{criterion.title}” to "
                    f"{RATIONALE_MAX_LENGTH:,} characters or fewer (you wrote %(show_value)d)."
                },
            )
            _no_browser_limit(self.fields[f"rationale_{criterion.pk}"])

    def rows(self):
        return [
            (c, self.cleaned_data[f"score_{c.pk}"], self.cleaned_data.get(f"rationale_{c.pk}", ""))
            for c in self.criteria
        ]


class RecommendationForm(GovukForm):
    text = forms.CharField(
        label="The panel's recommendation",
        max_length=RECOMMENDATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What the panel recommends and why, in plain words. It is shown on the "
        f"panel's page when published, and cannot be changed after that. Up to "
        f"{RECOMMENDATION_MAX_LENGTH:,} characters.",
        error_messages={
            "required": "Write the recommendation before saving it.",
            "max_length": f"Shorten the recommendation to {RECOMMENDATION_MAX_LENGTH:,} "
            "characters or fewer (it is %(show_value)d): put long evidence in the meeting papers.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_browser_limit(self.fields["text"])


class ReopenForm(GovukForm):
    reason = forms.CharField(
        label="Why reopen the appraisal?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the panel's history. Members can then change their scores and "
        "the recommendation, and publish it again.",
        error_messages={
            "required": "Say why the appraisal is being reopened.",
            "max_length": "Keep the reason to 500 characters or fewer.",
        },
    )
