"""What the platform holds about a person: one registry for download, deletion and retention.

Each app that keeps personal data declares, in its manifest
(`commissioning.manifest`), an exporter (`export(user) -> list[dict]`,
JSON-serialisable) and an anonymiser (`anonymise(user, **options) -> None`).
`accounts` builds the "download my data" file and runs the deletion through
this registry, so it never imports an engagement app. The spine declares its
own participation records in its manifest.

Anonymisers keep contributions (responses, scores, assets) for the record and
the statistics, and remove what identifies the person: free-text contact
details, emails, names typed into answers. The person deleting their account
may ask for more: an anonymiser that declares the keyword-only option
`remove_contributions` is told whether they chose to have their words removed
rather than kept without their name. Anonymisers that declare no option are
called with the user alone.

A kind may also declare how long it is kept: `retention` names its class of
data in `settings.RETENTION` (days), and `retain(before) -> int` anonymises or
deletes that class's records older than `before` and says how many it changed
(`commissioning.retention` runs them daily). Applied twice, a `retain` changes
nothing the second time.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

_REGISTRY: dict[str, "PersonalData"] = {}

ANONYMISE_OPTIONS = ("remove_contributions",)


def _nothing(*args, **kwargs):
    return []


@dataclass(frozen=True)
class PersonalData:
    label: str
    export: Callable = _nothing
    anonymise: Callable = _nothing
    retain: Callable | None = None
    retention: str = ""
    options: frozenset = field(default_factory=frozenset)

    def anonymise_with(self, user, **options):
        self.anonymise(user, **{k: v for k, v in options.items() if k in self.options})


def _declared_options(function):
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):  # a builtin without a signature takes no options
        return frozenset()
    return frozenset(
        name
        for name, parameter in parameters.items()
        if name in ANONYMISE_OPTIONS and parameter.kind is inspect.Parameter.KEYWORD_ONLY
    )


def register_personal_data(
    label, *, export=_nothing, anonymise=_nothing, retain=None, retention=""
):
    """Register (or replace, so `ready()` may run twice) one kind of personal data.

    `retain` and `retention` go together: the callable and the key of
    `settings.RETENTION` that says how many days this kind is kept.
    """
    if bool(retain) != bool(retention):
        raise ValueError(f"{label}: give both retain and retention, or neither.")
    _REGISTRY[label] = PersonalData(
        label=label,
        export=export,
        anonymise=anonymise,
        retain=retain,
        retention=retention,
        options=_declared_options(anonymise),
    )


def registered_personal_data():
    return list(_REGISTRY.values())


def personal_data_export(user):
    """{label: [records]} for every kind that exports, in registration order."""
    return {
        entry.label: list(entry.export(user))
        for entry in _REGISTRY.values()
        if entry.export is not _nothing
    }


def personal_data_anonymise(user, *, remove_contributions=False):
    for entry in _REGISTRY.values():
        entry.anonymise_with(user, remove_contributions=remove_contributions)


# What anonymisers take out of free text people wrote: contact details and
# the person's own names. Names shorter than 3 letters are left (they would
# match inside ordinary words' neighbours, "Al", "Jo" …).
REDACTED = "[removed]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A UK phone number: 0 or +44, then 9–10 more digits with spaces, dots, dashes or brackets.
_PHONE = re.compile(r"(?:\+44\s?\(?0?\)?|\(?0)(?:[\s().-]*\d){9,10}")


def redact_personal_details(text, *, names=()):
    """`text` without email addresses, phone numbers or any of `names` (whole words)."""
    if not text:
        return text
    text = _EMAIL.sub(REDACTED, text)
    text = _PHONE.sub(REDACTED, text)
    words = sorted({n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True)
    for name in words:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def person_names(user):
    """The names a person may have typed about themselves: display name, first and last."""
    names = [user.display_name, user.first_name, user.last_name]
    names.extend(user.display_name.split())
    return [n for n in names if n]


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
