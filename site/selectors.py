"""Reads for site-wide pages."""

from django.urls import reverse
from wagtail.models import Page

from .cache import GENERATION_KEY, remembered
from .restrictions import public_pages


def _featured(*, page, request):
    """Featured pages with their introductions, in a fixed number of queries.

    The specific pages are fetched together (one query per page type, not per
    page) so that the home page's queries do not grow with its featured list.
    """
    items = list(page.featured.all())
    pages = {
        featured.pk: featured
        for featured in Page.objects.filter(pk__in=[item.page_id for item in items])
        .defer_streamfields()
        .specific()
    }
    featured = []
    for item in items:
        specific = pages.get(item.page_id)
        if specific is None:
            continue
        featured.append(
            {
                "title": specific.title,
                "url": specific.get_url(request=request),
                "summary": item.summary or getattr(specific, "introduction", ""),
            }
        )
    return featured


def home_page_context(*, page, request):
    """The featured pages (the same for everyone: remembered until the next
    content change, per host, as links are relative to it) and what is open now."""
    from commissioning.selectors import home_take_part

    key = f"home-featured:{page.pk}:{request.get_host()}"
    return {
        "featured_pages": remembered(
            GENERATION_KEY, key, lambda: _featured(page=page, request=request)
        ),
        "take_part": home_take_part(request=request),
        "take_part_url": reverse("commissioning:take_part"),
    }


def search_terms(*, text):
    """The words of a search as plain text: quotes and runs of spaces removed.

    SQLite's full-text search reads a double quote as the start of a phrase and
    fails on an unbalanced one; a resident's stray quote is just a typo.
    """
    return " ".join(text.replace('"', " ").split())


def search_pages(*, text):
    """Live, public pages matching `text`, best first; nothing for an empty search."""
    terms = search_terms(text=text)
    if not terms:
        return Page.objects.none()
    return public_pages(Page.objects.live()).specific().search(terms)


def messages_overview(scope, *, shown=50):
    """For officers: what was sent under `scope` by channel, route and status, and the
    latest messages not (yet) sent with their errors, in four queries whatever the count."""
    from django.db.models import Count

    from .messaging import notify_enabled
    from .models import OutboundMessage

    channels = dict(OutboundMessage.CHANNELS)
    routes = dict(OutboundMessage.ROUTES)
    statuses = dict(OutboundMessage.STATUSES)
    messages = OutboundMessage.objects.filter(scope=scope)
    counts = [
        {
            "channel": channels.get(row["channel"], row["channel"]),
            "route": routes.get(row["route"], "–"),
            "status": statuses.get(row["status"], row["status"]),
            "count": row["count"],
        }
        for row in messages.values("channel", "route", "status")
        .annotate(count=Count("pk"))
        .order_by("channel", "route", "status")
    ]
    unsent = list(
        messages.exclude(status=OutboundMessage.SENT)
        .defer("pdf", "body")
        .order_by("-created_at", "-pk")[:shown]
    )
    retryable = messages.filter(status=OutboundMessage.FAILED)
    if notify_enabled():
        retryable = retryable | messages.filter(
            status=OutboundMessage.NO_ROUTE, channel=OutboundMessage.SMS
        )
    return {
        "notify_enabled": notify_enabled(),
        "messages_retryable": retryable.exists(),
        "message_counts": counts,
        "messages_unsent": unsent,
        "messages_unsent_shown": shown,
        "messages_unsent_more": len(unsent) == shown,
    }
