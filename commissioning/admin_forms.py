"""Admin forms of the spine's pages and snippets."""

import re
from decimal import Decimal

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from commissioning.demographics import ATTRIBUTES, SHARE_TOLERANCE


class DecisionPageAdminForm(WagtailAdminPageForm):
    """Each "you said" item must come from an engagement of this decision's programme."""

    def is_valid(self):
        valid = super().is_valid()
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        formset = self.formsets.get("items")
        if parent is None or formset is None:
            return valid
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            engagement = data.get("engagement")
            if engagement is None or data.get("DELETE"):
                continue
            if not engagement.path.startswith(parent.path) or engagement.depth != parent.depth + 1:
                form.add_error(
                    "engagement",
                    f"Choose an engagement of “{parent.title}”: this decision answers its stages.",
                )
                valid = False
        return valid


def share_field_name(attribute, value):
    """The form field for one demographic value's share, e.g. share__age_band__16_24."""
    return f"share__{attribute}__{re.sub(r'[^0-9a-z]+', '_', value)}"


def _share_fields():
    return {
        share_field_name(attribute, value): forms.DecimalField(
            label=value_label,
            required=False,
            min_value=0,
            max_value=100,
            max_digits=5,
            decimal_places=2,
            help_text="Per cent of residents aged 16 and over.",
        )
        for attribute, (_label, choices) in ATTRIBUTES.items()
        for value, value_label in choices
    }


class _WardAdminForm(WagtailAdminModelForm):
    """The ward's population shares as labelled percentages, one field per group.

    The model keeps them as `demographics` {attribute: {value: share 0..1}};
    officers see "Age band: 16 to 24", never the codes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shares = self.instance.demographics or {}
        for attribute, (_label, choices) in ATTRIBUTES.items():
            for value, _value_label in choices:
                share = shares.get(attribute, {}).get(value)
                name = share_field_name(attribute, value)
                if share is not None and name not in self.initial:
                    percent = round(Decimal(str(share)) * 100, 2).normalize()
                    self.initial[name] = format(percent, "f")

    def clean(self):
        cleaned = super().clean()
        demographics = {}
        for attribute, (label, choices) in ATTRIBUTES.items():
            names = {value: share_field_name(attribute, value) for value, _ in choices}
            given = {v: cleaned[n] for v, n in names.items() if cleaned.get(n) is not None}
            if not given:
                continue
            total = sum(given.values())
            if abs(total - 100) > 100 * SHARE_TOLERANCE:
                first = next(iter(names.values()))
                self.add_error(
                    first,
                    f"{label}: the shares add up to {format(total.normalize(), 'f')}%, not 100%.",
                )
                continue
            demographics[attribute] = {v: float(share) / 100 for v, share in given.items()}
        if not self.errors:
            self.instance.demographics = demographics
        return cleaned


WardAdminForm = type(WagtailAdminModelForm)("WardAdminForm", (_WardAdminForm,), _share_fields())


def ward_demographics_panels():
    """One group of labelled share fields per attribute, for `Ward.panels`."""
    from wagtail.admin.panels import FieldPanel, MultiFieldPanel

    return [
        MultiFieldPanel(
            [FieldPanel(share_field_name(attribute, value)) for value, _ in choices],
            heading=f"{label} (shares of the population, adding up to 100%)",
        )
        for attribute, (label, choices) in ATTRIBUTES.items()
    ]
