"""`{% what_we_heard %}`: the published "what we heard" under an engagement's own page.

Rendered from `base.html`, so every kind of engagement shows it without its
app's template knowing: it draws only on an engagement page's main template
(not its forms or results pages), and reads one row, remembered per
content generation.
"""

from django import template

from commissioning.models import EngagementPage, HeardSummary
from coproduce.cache import GENERATION_KEY, remembered

register = template.Library()


@register.inclusion_tag("components/what_we_heard.html", takes_context=True)
def what_we_heard(context):
    page = context.get("page")
    if not isinstance(page, EngagementPage):
        return {"heard": None}
    rendering = getattr(getattr(context, "template", None), "name", None)
    if rendering != getattr(page, "template", None):
        return {"heard": None}

    def read():
        return (
            HeardSummary.objects.published()
            .filter(engagement_id=page.pk)
            .only("content", "published_at", "engagement_id")
            .first()
        )

    # Remembered until the next content change (publishing one is a write).
    return {"heard": remembered(GENERATION_KEY, f"heard:{page.pk}", read)}
