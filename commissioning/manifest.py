"""One declaration per app of everything it brings to the platform, read by the spine.

Each project app has a `manifest.py` whose `manifest()` returns an
`AppManifest`: its engagement page models and their summary providers, the
personal data it keeps (with the models each exporter and anonymiser covers),
the permissions of each role, its site-search providers, its free-text
sources for themes, its programme-page sections, its exports, the actions it
offers beside an under-represented group in the brief, and its demo loader. The spine finds the manifests when Django starts
(`manifests_autodiscover`, from `CommissioningConfig.ready()`) and registers
each part with its registry, so the spine never imports an engagement app by
name, and a new engagement app is one declaration.

`commissioning.checks` then refuses to start when a model that holds personal
data is covered by no declaration, or an engagement page has no summary.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def _nothing(*args, **kwargs):
    return []


@dataclass(frozen=True)
class PersonalDataDeclaration:
    """One kind of personal data: which models hold it, how to export and anonymise it,
    and how long it is kept (`retention`, a key of `settings.RETENTION`, with the
    `retain(before)` that applies it)."""

    label: str
    export: Callable = _nothing
    anonymise: Callable = _nothing
    models: tuple = ()
    retain: Callable | None = None
    retention: str = ""


@dataclass(frozen=True)
class ExportDeclaration:
    """A download offered to officers; `personal` marks one that holds personal data."""

    label: str
    url_name: str
    personal: bool = False


@dataclass(frozen=True)
class AppManifest:
    app_label: str
    summaries: Mapping = field(default_factory=dict)  # page model -> provider(engagement)
    personal_data: tuple[PersonalDataDeclaration, ...] = ()
    roles: Mapping[str, Iterable[str]] = field(default_factory=dict)
    search: tuple[Callable, ...] = ()
    text_sources: Mapping = field(default_factory=dict)  # page model -> texts(engagement)
    programme_sections: Mapping[str, Callable] = field(default_factory=dict)
    exports: tuple[ExportDeclaration, ...] = ()
    # Models that point at a user only as the officer who acted (who ran a
    # draw, entered a reading): kept for the audit, not a resident's data.
    staff_records: tuple = ()
    # Models with a field named like personal data that holds none (a postcode
    # centroid table), each with the reason.
    not_personal: Mapping = field(default_factory=dict)
    demo: str = ""  # module with load(*, stdout) and optionally finish(*, stdout)
    # Links offered beside each under-represented group in the officer brief:
    # label -> url_builder(*, programme, stage, gap) (see commissioning.reach).
    reach_actions: Mapping[str, Callable] = field(default_factory=dict)

    def personal_models(self):
        declared = {model for entry in self.personal_data for model in entry.models}
        return declared | set(self.staff_records) | set(self.not_personal)


_MANIFESTS: dict[str, AppManifest] = {}


def manifest_register(manifest):
    """Register every part of `manifest` with its registry (again harmlessly on a re-run)."""
    from .personal_data import register_personal_data
    from .reach import register_reach_action
    from .sections import register_programme_section
    from .summaries import register_summary

    _MANIFESTS[manifest.app_label] = manifest
    for model, provider in manifest.summaries.items():
        register_summary(model, provider)
    for entry in manifest.personal_data:
        register_personal_data(
            entry.label,
            export=entry.export,
            anonymise=entry.anonymise,
            retain=entry.retain,
            retention=entry.retention,
        )
    for name, provider in manifest.programme_sections.items():
        register_programme_section(name, provider)
    for label, url_builder in manifest.reach_actions.items():
        register_reach_action(label, url_builder)
    _register_search(manifest)
    _register_text_sources(manifest)


def _register_search(manifest):
    if not manifest.search:
        return
    from coproduce.search import register_search_provider

    for provider in manifest.search:
        register_search_provider(provider)


def _register_text_sources(manifest):
    if not manifest.text_sources:
        return
    from .themes.sources import register_text_source

    for model, source in manifest.text_sources.items():
        register_text_source(model, source)


def manifests_autodiscover():
    """Import each installed app's `manifest` module, in INSTALLED_APPS order, and register it."""
    for config in apps.get_app_configs():
        name = f"{config.name}.manifest"
        if find_spec(name) is not None:
            manifest_register(import_module(name).manifest())


def registered_manifests():
    return list(_MANIFESTS.values())


def manifest():
    """The spine's own declaration: participation records and decision emails."""
    from .audit import audit_entries_export, audit_entries_retain
    from .models import DecisionNotification, DemographicProfile, HeardSummary, Participation
    from .personal_data import (
        demographic_profile_anonymise,
        demographic_profile_export,
        participation_anonymise,
        participation_export,
    )
    from .selectors import decision_notifications_export
    from .services import decision_notifications_anonymise

    return AppManifest(
        app_label="commissioning",
        personal_data=(
            PersonalDataDeclaration(
                "participations",
                export=participation_export,
                anonymise=participation_anonymise,
                models=(Participation,),
            ),
            PersonalDataDeclaration(
                "decision_notifications",
                export=decision_notifications_export,
                anonymise=decision_notifications_anonymise,
                models=(DecisionNotification,),
            ),
            PersonalDataDeclaration(
                "about_you",
                export=demographic_profile_export,
                anonymise=demographic_profile_anonymise,
                models=(DemographicProfile,),
            ),
            PersonalDataDeclaration(
                "audit_trail",
                export=audit_entries_export,
                retain=audit_entries_retain,
                retention="audit_entries",
            ),
        ),
        # Pages (programmes, decisions) are governed by page permissions; these
        # are the model permissions each role needs on top (see accounts.roles).
        roles={
            "officer": [
                "commissioning.view_brief",
                "commissioning.view_audit_trail",
                "commissioning.view_participation",
                "commissioning.view_decisionnotification",
                "commissioning.add_outcome",
                "commissioning.change_outcome",
                "commissioning.view_outcome",
                "commissioning.view_ward",
                "commissioning.add_socialvaluecriterion",
                "commissioning.change_socialvaluecriterion",
                "commissioning.view_socialvaluecriterion",
                "commissioning.view_assetcategory",
                "commissioning.view_heardsummary",
                "commissioning.change_heardsummary",
            ],
            "editor": [
                "commissioning.add_outcome",
                "commissioning.change_outcome",
                "commissioning.view_outcome",
                "commissioning.add_ward",
                "commissioning.change_ward",
                "commissioning.view_ward",
                "commissioning.add_socialvaluecriterion",
                "commissioning.change_socialvaluecriterion",
                "commissioning.view_socialvaluecriterion",
                "commissioning.add_assetcategory",
                "commissioning.change_assetcategory",
                "commissioning.view_assetcategory",
            ],
        },
        # Who published or took down a "what we heard".
        staff_records=(HeardSummary,),
        demo="commissioning.demo",
    )
