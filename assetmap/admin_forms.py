"""The asset map's admin forms: the admin saves through the same services as the public site."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from coproduce.forms import add_service_errors

from . import services
from .models import GroupMembership


class AssetAdminForm(WagtailAdminModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "ward" in self.fields:
            self.fields["ward"].required = False
            self.fields["ward"].help_text = "Leave empty to work it out from the postcode."

    def clean(self):
        cleaned = super().clean()
        # Location problems show next to the fields before anything is saved.
        if all(name in cleaned for name in ("latitude", "longitude", "postcode", "ward")):
            try:
                services.asset_location_resolve(
                    dict(cleaned), previous=self.instance if self.instance.pk else None
                )
            except ValidationError as error:
                add_service_errors(self, error)
        return cleaned

    def service_data(self):
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k in (*services.FIELDS, "tags", "outcomes")
        }


class CommunityGroupAdminForm(WagtailAdminModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    def service_data(self):
        return {
            k: self.cleaned_data.get(k, "") for k in ("name", "description", "website", "email")
        }


class GroupMembershipAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Only the role changes; remove the membership to change who or which group.
            for name in ("group", "user"):
                if name in self.fields:
                    self.fields[name].disabled = True


class GroupMembershipInviteAdminForm(WagtailAdminModelForm):
    """Adding someone to a group in the admin sends them an invitation, as on the group page."""

    email = forms.EmailField(
        label="Their email address",
        help_text="We email them a link; they join when they accept it, signed in with this "
        "address.",
    )

    class Meta:
        model = GroupMembership
        fields = ["group", "role"]
