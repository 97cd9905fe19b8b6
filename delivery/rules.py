"""Who may do what with delivery records. Plain functions, tested directly.

Officers write commitments, arrangements, indicators, readings and review
decisions; editors edit the review pages' text through page permissions;
residents read the public progress pages, which need no rule.
"""

from commissioning.rules import has_perm as _has


def can_save(user, record):
    """Officers add and change commitments, arrangements, indicators and readings."""
    verb = "add" if record is None or record.pk is None else "change"
    model = type(record)._meta.model_name if record is not None else "commitment"
    return _has(user, f"delivery.{verb}_{model}")


def can_record_readings(user, indicator=None):
    return _has(user, "delivery.add_reading")


def can_record_review_decision(user, programme=None):
    return _has(user, "delivery.add_reviewdecision")


def can_view_review_responses(user, review=None):
    return _has(user, "delivery.view_reviewresponse")
