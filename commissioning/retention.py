"""Retention: each class of personal data is kept for the days `settings.RETENTION` sets.

The kinds registered with `commissioning.personal_data` that declare a
`retain(before)` are applied here, by `manage.py apply_retention` (from cron)
or the `retention_apply_task` (on the task worker). A class set to `None` is
kept until someone deletes it. Applying twice changes nothing the second time.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.checks import Error, register
from django.db import transaction
from django.utils import timezone

from .personal_data import registered_personal_data

# What each class of data is, in words, for the command's report and the README.
CLASSES = {
    "panel_applications": "Panel applications (counted from the close of recruitment)",
    "invitation_addresses": "Civic lottery invitation addresses",
    "equality_monitoring": "Equality monitoring answers (counted from the close of the consultation)",
    "unverified_accounts": "Accounts whose email address was never confirmed",
    "audit_entries": "Audit trail entries",
    "sent_messages": "Emails, text messages and letters sent",
}


@dataclass(frozen=True)
class RetentionResult:
    label: str
    retention: str
    days: int | None
    before: object
    changed: int

    @property
    def description(self):
        return CLASSES.get(self.retention, self.retention)


def retention_days(retention):
    return settings.RETENTION.get(retention)


def retention_apply(*, now=None):
    """Apply every registered retention; one result per kind, in registration order.

    Each kind runs in its own transaction, so one failing leaves the others applied.
    """
    now = now or timezone.now()
    results = []
    for kind in registered_personal_data():
        if kind.retain is None:
            continue
        days = retention_days(kind.retention)
        if days is None:
            results.append(RetentionResult(kind.label, kind.retention, None, None, 0))
            continue
        before = now - timedelta(days=days)
        with transaction.atomic():
            changed = kind.retain(before) or 0
        results.append(RetentionResult(kind.label, kind.retention, days, before, changed))
    return results


def unregistered_classes():
    """Classes of data with a period but nothing registered to apply it (yet)."""
    applied = {kind.retention for kind in registered_personal_data() if kind.retain}
    return sorted(set(settings.RETENTION) - applied)


@register()
def retention_settings_check(app_configs, **kwargs):
    """Every registered retention has a period (or an explicit None) in settings."""
    errors = []
    periods = getattr(settings, "RETENTION", None)
    if not isinstance(periods, dict):
        return [Error("settings.RETENTION must be a dict of days.", id="commissioning.E010")]
    for kind in registered_personal_data():
        if kind.retain is None:
            continue
        if kind.retention not in periods:
            errors.append(
                Error(
                    f"{kind.label} declares retention {kind.retention!r} "
                    "but settings.RETENTION has no period for it.",
                    id="commissioning.E011",
                )
            )
    for key, days in periods.items():
        if days is not None and (not isinstance(days, int) or days < 1):
            errors.append(
                Error(
                    f"settings.RETENTION[{key!r}] must be a whole number of days (1 or more) "
                    "or None.",
                    id="commissioning.E012",
                )
            )
    return errors
