"""Reads for site-wide pages."""


def home_page_context(page, request):
    """Featured pages, with their introductions, in one query."""
    featured = []
    for item in page.featured.select_related("page").all():
        specific = item.page.specific_deferred
        featured.append(
            {
                "title": item.page.title,
                "url": item.page.get_url(request=request),
                "summary": item.summary or getattr(specific, "introduction", ""),
            }
        )
    return {"featured_pages": featured}
