"""Results computed once an engagement has closed, then read from one row.

An app asks for its figures through `stored_result`, giving a fingerprint of
the responses (cheap to read: a count and the last change) and a function
that computes them. While the engagement is open the figures are computed on
every read. Once it has closed, the first read computes and stores them; the
next reads return the stored payload as long as the fingerprint and the
code's version are the same. A late paper response, or a response removed,
changes the fingerprint, so the figures are computed again on the next read:
nothing needs to remember to invalidate them.

The fingerprint is read before the figures are computed, so a response that
arrives in between is counted in the figures but not the fingerprint: the
next read computes once more, and is right again.

Closing is a date passing, not an event, so nothing fires when an engagement
closes: `closed_results_store` (the `store_closed_results` command, run by
cron with `--enqueue` so the task worker does it) reads the results of every
engagement closed in the last `SWEEP_DAYS` that has none stored yet, through
its app's summary provider, which stores them. The first officer or resident
to look then reads one row instead of paying for the count.
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import StoredResult

logger = logging.getLogger(__name__)

# Engagements closed longer ago than this are left to their first reader: a
# type whose results are never stored (nothing to count) must not be read by
# every sweep for ever.
SWEEP_DAYS = 14


def _as_json(payload):
    """The payload as it reads back from the database (tuples become lists, keys strings)."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def stored_result(*, engagement, name, version, fingerprint, compute, now=None):
    """`compute()`'s JSON payload, computed once for a closed engagement (see the module)."""
    now = now or timezone.now()
    if engagement.closes_at > now:
        return _as_json(compute())
    stored = (
        StoredResult.objects.filter(engagement_id=engagement.pk, name=name)
        .values_list("version", "fingerprint", "payload")
        .first()
    )
    if stored is not None and stored[:2] == (version, fingerprint):
        return stored[2]
    payload = _as_json(compute())
    # One row per engagement and name, whoever computes it at the same time:
    # the last to finish writes the same figures again.
    StoredResult.objects.bulk_create(
        [
            StoredResult(
                engagement_id=engagement.pk,
                name=name,
                version=version,
                fingerprint=fingerprint,
                payload=payload,
                computed_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["engagement", "name"],
        update_fields=["version", "fingerprint", "payload", "computed_at"],
    )
    return payload


@dataclass
class Sweep:
    stored: list = field(default_factory=list)  # engagement ids now with stored results
    failed: list = field(default_factory=list)  # engagement ids whose computation raised


def closed_results_store(*, now=None):
    """Compute and store the results of recently closed engagements that have none (see the module)."""
    from .models import EngagementPage
    from .summaries import engagement_summary

    now = now or timezone.now()
    sweep = Sweep()
    pending = (
        EngagementPage.objects.live()
        .closed(now)
        .filter(closes_at__gt=now - timedelta(days=SWEEP_DAYS), stored_results__isnull=True)
        .order_by("closes_at", "pk")
    )
    for engagement in pending:
        try:
            engagement_summary(engagement)
        except Exception:  # noqa: BLE001 - one broken engagement must not stop the others
            logger.exception("Could not store the results of engagement %s", engagement.pk)
            sweep.failed.append(engagement.pk)
            continue
        if StoredResult.objects.filter(engagement_id=engagement.pk).exists():
            sweep.stored.append(engagement.pk)
    return sweep
