"""Writes for site-wide pages."""

import hashlib

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

QUERY_ID_SECONDS = 24 * 60 * 60


def search_hit_record(*, text):
    """Count one search for the admin's popular searches report.

    Wagtail's `Query.get(text).add_hit()` costs three queries; once a search
    has been counted today, its query's id is remembered and the count is one
    `UPDATE`. A query or day row that is gone updates nothing, and the search
    is counted Wagtail's way again.
    """
    today = timezone.now().date()  # the date Wagtail's add_hit uses
    key = "search-query:" + hashlib.sha256(normalise_query_string(text).encode()).hexdigest()
    query_id = cache.get(key)
    if query_id is not None:
        counted = QueryDailyHits.objects.filter(query_id=query_id, date=today).update(
            hits=F("hits") + 1
        )
        if counted:
            return
    query = Query.get(text)
    query.add_hit(date=today)
    cache.set(key, query.pk, QUERY_ID_SECONDS)
