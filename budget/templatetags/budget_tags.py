from django import template

from budget.models import pounds as format_pounds

register = template.Library()


@register.filter
def pounds(value):
    """Whole pounds with separators: £1,250,000."""
    if value in (None, ""):
        return ""
    return format_pounds(round(value))


@register.filter
def neg(value):
    return -value


@register.simple_tag
def lookup(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def budget_export_datasets():
    return [("responses", "Responses"), ("comments", "Comments"), ("allocations", "Allocations")]


@register.filter
def paragraphs(text):
    """Plain text to GOV.UK paragraphs: blank lines split paragraphs."""
    import re

    from django.utils.html import format_html_join

    chunks = [c.strip() for c in re.split(r"\n\s*\n", str(text or "")) if c.strip()]
    return format_html_join("", '<p class="govuk-body">{}</p>', ((c,) for c in chunks))
