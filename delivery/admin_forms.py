"""Admin forms of delivery records: what the services need beyond the model's fields."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from commissioning.models import DecisionItem, ProgrammePage


class DecisionItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.decision.title} – {obj.theme}"


class CommitmentAdminForm(WagtailAdminModelForm):
    """The commitment's fields, plus the dated note that goes on its public timeline."""

    update_on = forms.DateField(
        label="Date of this update",
        required=False,
        help_text="Shown on the public timeline. Leave empty for today.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    update_note = forms.CharField(
        label="What happened",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Published on the timeline with this update, e.g. what was done this month.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "decision_item" in self.fields:
            self.fields["decision_item"] = DecisionItemChoiceField(
                queryset=DecisionItem.objects.filter(decision__live=True)
                .select_related("decision")
                .order_by("decision__title", "sort_order", "pk"),
                label="“We did” item",
                help_text="The item of a published decision this commitment delivers.",
                disabled=self.instance.pk is not None,
            )
        for name in ("outcomes", "social_value_criteria", "wards"):
            if name in self.fields:
                self.fields[name].widget = forms.CheckboxSelectMultiple(
                    choices=self.fields[name].choices
                )
        if "status" in self.fields:
            self.fields["status"].widget = forms.RadioSelect(choices=self.fields["status"].choices)


class ReviewDecisionAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "review" in self.fields:
            self.fields["review"].required = True
        if "outcome" in self.fields:
            self.fields["outcome"].widget = forms.RadioSelect(
                choices=self.fields["outcome"].choices
            )


class ReadingsImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: indicator (its reference), date (YYYY-MM-DD), value, and optionally "
        "note. Nothing is imported if any row has a problem.",
    )


__all__ = ["CommitmentAdminForm", "ProgrammePage", "ReadingsImportForm", "ReviewDecisionAdminForm"]
