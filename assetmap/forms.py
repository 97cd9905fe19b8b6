"""Public forms of the asset map: the filters, the submission form and the officer's decision."""

from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from taggit.utils import edit_string_for_tags, parse_tags

from commissioning.models import AssetCategory, Outcome, Ward
from coproduce.forms import FilterFormMixin, GovukForm, HoneypotMixin

from .location import bbox_parse
from .models import Asset, CommunityGroup, GroupMembership
from .photos import photo_clean
from .serialisers import oruk_pk

MAX_PHOTOS = 4
MAX_TAGS = 10


class FileInput(forms.ClearableFileInput):
    """A file input that takes several photos (named so it renders as a GOV.UK file upload)."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = FileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(f"Choose at most {MAX_PHOTOS} photos.")
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(photo_clean(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


def coordinate_field(label, example):
    return forms.FloatField(
        label=label,
        required=False,
        help_text=f"In decimal degrees, like {example}.",
        error_messages={"invalid": f"Enter the {label.lower()} as a number, like {example}."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )


class AssetFilterForm(FilterFormMixin, forms.Form):
    """The filters of the map, the list and the open-data endpoints (GET)."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Asset.KINDS]
    )
    category = forms.ModelChoiceField(
        label="Category",
        required=False,
        queryset=AssetCategory.objects.all(),
        to_field_name="slug",
        empty_label="All categories",
        error_messages={"invalid_choice": "There is no such category."},
    )
    ward = forms.ModelChoiceField(
        label="Ward",
        required=False,
        queryset=Ward.objects.all(),
        to_field_name="slug",
        empty_label="All wards",
        error_messages={"invalid_choice": "There is no such ward."},
    )
    tag = forms.SlugField(label="Tag", required=False, max_length=100)
    bbox = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_bbox(self):
        value = self.cleaned_data["bbox"].strip()
        if not value:
            return None
        try:
            return bbox_parse(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def filters(self):
        """The cleaned filters for `selectors.asset_filter`: the valid ones when some are not."""
        if self.is_bound:
            self.is_valid()
        return getattr(self, "cleaned_data", {})


class OrukPageForm(forms.Form):
    """Paging and filters of the Open Referral UK API (its `page`, `per_page`, `search`, …)."""

    DEFAULT_PER_PAGE = 50
    MAX_PER_PAGE = 500

    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PER_PAGE)
    search = forms.CharField(required=False, max_length=100)
    taxonomy_term_id = forms.CharField(required=False, max_length=36)

    def clean_page(self):
        return self.cleaned_data["page"] or 1

    def clean_per_page(self):
        return self.cleaned_data["per_page"] or self.DEFAULT_PER_PAGE

    def clean_taxonomy_term_id(self):
        """The asset category a term id stands for (its pk), or None for no filter."""
        value = self.cleaned_data["taxonomy_term_id"].strip()
        if not value:
            return None
        pk = oruk_pk("category", value)
        if pk is None:
            raise forms.ValidationError("There is no such taxonomy term.")
        return pk


class AssetForm(HoneypotMixin, GovukForm):
    name = forms.CharField(
        label="Name of the asset",
        max_length=150,
        error_messages={"required": "Enter the name of the asset."},
    )
    kind = forms.ChoiceField(
        label="What kind of asset is it?",
        choices=Asset.KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of asset it is."},
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=AssetCategory.objects.all(),
        empty_label="Choose a category",
        error_messages={"required": "Choose a category."},
    )
    description = forms.CharField(
        label="Describe it",
        max_length=4000,
        help_text="What happens there, who it is for, how people can get involved.",
        error_messages={"required": "Describe the asset."},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    group = forms.ModelChoiceField(
        label="Which of your groups looks after it?",
        queryset=CommunityGroup.objects.none(),
        required=False,
        empty_label="None: I am adding it myself",
        help_text="Members of the group can keep it up to date.",
    )
    address = forms.CharField(label="Address", max_length=255, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        required=False,
        help_text="We use it to find the ward, and to put the asset on the map "
        "if you do not give its exact position.",
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )
    ward = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.all(),
        required=False,
        empty_label="Work it out from the postcode",
        help_text="With no postcode or exact position, we show the asset at the centre "
        "of the ward.",
    )
    latitude = coordinate_field("Latitude", "53.6412")
    longitude = coordinate_field("Longitude", "-2.1234")
    opening_times = forms.CharField(
        label="Opening times or when it meets",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility = forms.CharField(
        label="Accessibility",
        required=False,
        max_length=2000,
        help_text="Step-free access, accessible toilet, hearing loop, quiet space…",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label="Contact name", max_length=120, required=False)
    contact_email = forms.EmailField(label="Contact email", required=False)
    contact_phone = forms.CharField(label="Contact phone", max_length=40, required=False)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=500,
        help_text="Words people might search for, separated by commas, like: free, Saturdays, wheelchair accessible.",
    )
    outcomes = forms.ModelMultipleChoiceField(
        label="Which outcomes does it help with?",
        queryset=Outcome.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = PhotosField(
        label="Photos",
        required=False,
        help_text="Up to 4 JPG, PNG or WebP photos, each at most 5 MB and 24 megapixels. "
        "We remove the location and camera details from them.",
    )

    CONTACT_FIELDS = (
        "opening_times",
        "accessibility",
        "contact_name",
        "contact_email",
        "contact_phone",
        "website",
    )

    def __init__(self, *args, user=None, outcomes=None, current_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # The asset's current group stays a choice even for a submitter outside it.
            self.fields["group"].queryset = CommunityGroup.objects.filter(
                Q(memberships__user=user) | Q(pk=getattr(current_group, "pk", None))
            ).distinct()
        if outcomes is not None:
            self.fields["outcomes"].queryset = outcomes

    def clean_tags(self):
        names = [name.strip() for name in parse_tags(self.cleaned_data["tags"]) if name.strip()]
        if len(names) > MAX_TAGS:
            raise ValidationError(f"Use at most {MAX_TAGS} tags.")
        for name in names:
            if len(name) > 50:
                raise ValidationError(
                    f"“{name[:20]}…” is too long for a tag: use at most 50 characters."
                )
        return names

    def clean(self):
        from .services import asset_location_resolve

        cleaned = super().clean()
        # Location problems show with the rest, not only after the other fields are fixed.
        if all(name in cleaned for name in ("latitude", "longitude", "postcode", "ward")):
            try:
                asset_location_resolve(dict(cleaned))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned

    def field_group(self, names):
        return [self[name] for name in names]

    @property
    def contact_fields(self):
        return self.field_group(self.CONTACT_FIELDS)

    def service_data(self):
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in ("photos", self.honeypot_field)
        }
        return data

    @classmethod
    def initial_for(cls, asset, values=None):
        """Initial values from an asset (or from a pending edit's values)."""
        from .services import FIELDS

        if values is None:
            values = {field: getattr(asset, field) for field in FIELDS}
            values["tags"] = [tag.name for tag in asset.tags.all()]
            values["outcomes"] = list(asset.outcomes.all())
        initial = dict(values)
        initial["tags"] = edit_string_for_tags(
            [SimpleNamespace(name=name) for name in values.get("tags", [])]
        )
        return initial


class DecisionForm(GovukForm):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[(APPROVE, "Approve and publish"), (REJECT, "Reject")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for rejecting",
        required=False,
        max_length=2000,
        help_text="The submitter sees this. Say what would make it acceptable.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why it is not accepted: the submitter will see this.")
        return cleaned


class GroupRegisterForm(HoneypotMixin, GovukForm):
    name = forms.CharField(
        label="Name of the group",
        max_length=150,
        error_messages={"required": "Enter the name of the group."},
    )
    description = forms.CharField(
        label="What does the group do?",
        required=False,
        max_length=4000,
        help_text="Who it is for, where and when it meets.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website address, like https://example.org."},
    )
    email = forms.EmailField(
        label="Email address for the group",
        required=False,
        help_text="People who want to get involved may use it.",
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )

    def service_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != self.honeypot_field}


class GroupMemberInviteForm(GovukForm):
    email = forms.EmailField(
        label="Their email address",
        help_text="We email them a link. They join when they accept it, signed in with "
        "this address; if they have no account yet, they can create one.",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=GroupMembership.ROLES,
        initial=GroupMembership.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role."},
    )


class GroupMemberRoleForm(GovukForm):
    role = forms.ChoiceField(
        label="Role",
        choices=GroupMembership.ROLES,
        error_messages={"required": "Choose a role."},
    )
