from django import forms

from coproduce.forms import FilterFormMixin, GovukForm

from .models import Ward
from .stages import STAGES


class TakePartFilterForm(FilterFormMixin, GovukForm):
    """Filters for "take part now" (GET: a bookmarkable, shareable list)."""

    ward = forms.ModelChoiceField(
        queryset=Ward.objects.only("pk", "name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label="All wards",
        label="Ward",
    )
    stage = forms.ChoiceField(
        choices=[("", "All stages"), *STAGES], required=False, label="Stage of the cycle"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].hide_optional = True


class TellMeWhatHappensMixin:
    """The "tell me what happens" opt-in every engagement response offers.

    Mix into an engagement app's response form and pass `user=` to it:
    anonymous people also give an email address, required only if they opt
    in. Hand `cleaned_data["wants_feedback"]` and `["feedback_email"]` to
    `commissioning.services.participation_record`.
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback_user = user
        self.fields["wants_feedback"] = forms.BooleanField(
            required=False,
            label="Tell me what happens",
            help_text="We will email you once when a decision answers this stage.",
        )
        if user is None or not user.is_authenticated:
            self.fields["feedback_email"] = forms.EmailField(
                required=False,
                label="Email address",
                help_text="Only if you want to hear what happens. We use it for nothing else.",
            )

    def clean(self):
        cleaned = super().clean()
        wants = cleaned.get("wants_feedback")
        asks_email = "feedback_email" in self.fields and "feedback_email" not in self.errors
        if wants and asks_email and not cleaned.get("feedback_email"):
            self.add_error(
                "feedback_email", "Enter your email address so we can tell you what happens."
            )
        cleaned.setdefault("feedback_email", "")
        if not wants:
            cleaned["feedback_email"] = ""
        return cleaned
