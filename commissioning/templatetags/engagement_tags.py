"""One engagement header, one state badge and one way to link to a page's routes."""

from django import template
from django.utils.html import format_html

from commissioning.stages import STATE_LABELS, STATE_TAGS

register = template.Library()


@register.simple_tag
def engagement_tag(state):
    """The GOV.UK tag for an engagement's state: the same word and colour everywhere."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', STATE_TAGS[state], STATE_LABELS[state]
    )


@register.inclusion_tag("components/engagement_header.html", takes_context=True)
def engagement_header(context, page, *, results_url=""):
    """Kind, title, introduction, state and dates at the top of every engagement page.

    `results_url`, when given, is linked once the engagement has closed.
    """
    return {
        "page": page,
        "state": context.get("state") or page.state(),
        "results_url": results_url,
    }


@register.simple_tag(takes_context=True)
def subpage_url(context, page, name, *args):
    """The URL of one of an engagement page's routes (`EngagementPage.subpage_url`)."""
    return page.subpage_url(name, *args, request=context.get("request"))
