"""What the platform holds about a person: one registry for download and deletion.

Each app that keeps personal data registers, in its `AppConfig.ready()`, an
exporter (`export(user) -> list[dict]`, JSON-serialisable) and an anonymiser
(`anonymise(user) -> None`). `accounts` builds the "download my data" file and
runs the deletion through this registry, so it never imports an engagement
app. The spine registers its own participation records below.

Anonymisers keep contributions (responses, scores, assets) for the record and
the statistics, and remove what identifies the person: free-text contact
details, emails, names typed into answers.
"""

from collections.abc import Callable
from dataclasses import dataclass

_REGISTRY: dict[str, "PersonalData"] = {}


@dataclass(frozen=True)
class PersonalData:
    label: str
    export: Callable
    anonymise: Callable


def register_personal_data(label, *, export, anonymise):
    """Register (or replace, so `ready()` may run twice) one kind of personal data."""
    _REGISTRY[label] = PersonalData(label=label, export=export, anonymise=anonymise)


def registered_personal_data():
    return list(_REGISTRY.values())


def personal_data_export(user):
    """{label: [records]} for every registered kind, in registration order."""
    return {entry.label: list(entry.export(user)) for entry in _REGISTRY.values()}


def personal_data_anonymise(user):
    for entry in _REGISTRY.values():
        entry.anonymise(user)


def _isoformat(value):
    return value.isoformat() if value else None


def participation_export(user):
    from commissioning.models import Participation

    participations = (
        Participation.objects.filter(user=user)
        .select_related("engagement", "ward")
        .order_by("created_at", "pk")
    )
    return [
        {
            "engagement": p.engagement.title,
            "engagement_path": p.engagement.url_path,
            "kind": p.engagement.kind,
            "stage": p.engagement.stage,
            "channel": p.get_channel_display(),
            "ward": p.ward.name if p.ward else None,
            "email": p.email,
            "wants_feedback": p.wants_feedback,
            "created_at": _isoformat(p.created_at),
            "updated_at": _isoformat(p.updated_at),
        }
        for p in participations
    ]


def participation_anonymise(user):
    """Keep the record that someone took part (reach counts); drop how to reach them."""
    from commissioning.models import Participation

    Participation.objects.filter(user=user).update(email="", wants_feedback=False)


register_personal_data(
    "participations", export=participation_export, anonymise=participation_anonymise
)


def demographic_profile_export(user):
    from commissioning.demographics import PROFILE_ATTRIBUTES, attribute_label
    from commissioning.models import DemographicProfile

    profile = DemographicProfile.objects.filter(user=user).first()
    if profile is None:
        return []
    record = {"consented_at": _isoformat(profile.consented_at)}
    for attribute, (label, _choices) in PROFILE_ATTRIBUTES.items():
        value = getattr(profile, attribute)
        record[label] = attribute_label(attribute, value) if value else None
    return [record]


def demographic_profile_anonymise(user):
    """On account deletion, what a person told us about themselves goes entirely."""
    from commissioning.models import DemographicProfile

    DemographicProfile.objects.filter(user=user).delete()


register_personal_data(
    "about_you",
    export=demographic_profile_export,
    anonymise=demographic_profile_anonymise,
)
