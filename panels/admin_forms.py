"""Forms of the panels admin: the panel page's editor, officers' records and the invitations."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .attributes import ATTRIBUTE_CHOICES


class PanelPageAdminForm(WagtailAdminPageForm):
    attributes = forms.MultipleChoiceField(
        choices=ATTRIBUTE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Applicants are asked these, and the lottery balances the panel on them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "officers" in self.fields:
            from panels.rules import officer_role_users

            # Only officers (and superusers) can be assigned, whoever edits the
            # page: an editor cannot tick their own name to read applications.
            field = self.fields["officers"]
            field.queryset = officer_role_users().distinct().order_by("email")
            field.label_from_instance = lambda user: (
                f"{user.get_full_name()} ({user.email})" if user.get_full_name() else user.email
            )


class PanelScopedAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "panel" in self.fields and self.for_user is not None:
            from .rules import (
                panels_officered_by,  # the rules import the models, which import this module
            )

            self.fields["panel"].queryset = panels_officered_by(self.for_user)


class MeetingAdminForm(PanelScopedAdminForm):
    online_url = forms.URLField(
        label="Online meeting link", required=False, assume_scheme="https", max_length=200
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Addresses (CSV)",
        help_text="Columns: uprn, line_1, line_2, town, postcode (with that first row). "
        "Addresses outside the borough's wards are refused.",
        error_messages={"required": "Choose the CSV file of addresses to import."},
    )

    def clean_file(self):
        # Imported here: it imports the models, which import this module.
        from .invitations import max_import_bytes

        upload = self.cleaned_data["file"]
        if upload.size > max_import_bytes():
            raise ValidationError(
                f"The file is larger than {max_import_bytes() // (1024 * 1024)} MB. Split it "
                "into smaller files and import them one after another."
            )
        return upload


class DrawForm(forms.Form):
    size = forms.IntegerField(
        label="How many addresses to invite",
        min_value=1,
        max_value=1_000_000,
        help_text="Typically 10 to 30 letters per seat: a few in a hundred households reply.",
        error_messages={"required": "Enter how many addresses to invite."},
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Leave empty for a random seed. Recorded, so the sample can be checked.",
    )

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        for ward in wards:
            self.fields[f"factor_{ward.slug}"] = forms.DecimalField(
                label=f"Oversampling: {ward.name}",
                initial=1,
                min_value=0.1,
                max_value=5,
                decimal_places=2,
                help_text="1 invites in proportion to the ward's population; 1.5 sends half "
                "as many letters again to a ward whose residents reply less.",
            )
        self.wards = wards

    def factors(self):
        return {w.slug: float(self.cleaned_data[f"factor_{w.slug}"]) for w in self.wards}
