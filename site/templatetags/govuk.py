"""Template helpers for GOV.UK Frontend markup.

Loaded as a builtin (see TEMPLATES), so every template can use them.
"""

from django import template
from django.utils.html import format_html_join

from coproduce.fields import GROUPED, render_field, widget_html

register = template.Library()


def _hint_id(field):
    return f"{field.auto_id}-hint"


def _error_id(field):
    return f"{field.auto_id}-error"


@register.filter
def is_grouped(field):
    """Radios and checkbox lists render as a fieldset with a legend."""
    return field.widget_type in GROUPED


@register.filter
def is_single_checkbox(field):
    return field.widget_type == "checkbox"


@register.filter
def shows_optional(field):
    """Optional fields say so in their label, unless the form opts out (search boxes)."""
    return not field.field.required and not getattr(field.field, "hide_optional", False)


@register.filter
def is_honeypot(field):
    return getattr(field.field, "is_honeypot", False)


@register.filter
def first_input_id(field):
    """The id the error summary links to: the first radio or checkbox of a group."""
    if field.widget_type in GROUPED:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag
def govuk_widget(field, extra_class=""):
    """Render a field's widget with GOV.UK classes and ARIA links to hint and error."""
    return widget_html(field, extra_class)


@register.simple_tag
def govuk_field(field):
    """One field in GOV.UK markup: label or legend, hint, error message and input."""
    return render_field(field)


@register.simple_tag
def govuk_choice_attrs(field, choice):
    """aria-describedby for a radio or checkbox group, on each input."""
    ids = []
    if field.help_text:
        ids.append(_hint_id(field))
    if field.errors:
        ids.append(_error_id(field))
    if not ids:
        return ""
    return format_html_join(" ", 'aria-describedby="{}"', [(" ".join(ids),)])


@register.filter
def pounds(value):
    """£ with thousands separators and no pence: 1234567 -> £1,234,567."""
    try:
        number = int(round(float(value)))
    except (TypeError, ValueError):
        return ""
    sign = "−" if number < 0 else ""
    return f"{sign}£{abs(number):,}"
