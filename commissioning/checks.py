"""Startup checks that keep the manifests honest.

- `coproduce.E001`: a project model holds personal data — a link to a user, or
  a field named like contact or identity details — and no manifest's personal
  data declaration covers it, so "download my data" and account deletion would
  miss it (as panels' applications once did).
- `coproduce.E002`: an engagement page model has no summary provider, so the
  officer brief could not show it.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks

# Field names that mark personal data wherever they appear.
PERSONAL_FIELD_NAMES = {
    "email",
    "phone",
    "telephone",
    "postcode",
    "address",
    "address_line_1",
    "full_name",
    "first_name",
    "last_name",
    "date_of_birth",
    "access_needs",
    "contact_name",
    "contact_email",
    "contact_phone",
}

# Models whose personal data the platform keeps for its own working and
# declares in `accounts` (the user itself), or that hold none of a person's
# own although they point at a user (who published a page, say).
NOT_PERSONAL = {
    settings.AUTH_USER_MODEL.lower(),
}


def _project_app_labels():
    return set(settings.PROJECT_APPS)


def _holds_personal_data(model):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    project = _project_app_labels()
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue
        # Fields a model inherits from Wagtail (a page's owner) are Wagtail's.
        if getattr(field, "model", model)._meta.app_label not in project:
            continue
        if field.is_relation and field.related_model is user_model and field.concrete:
            return True
        if field.name in PERSONAL_FIELD_NAMES:
            return True
    return False


def personal_data_problems(models, declared):
    """Models of `models` holding personal data that `declared` (model labels) leaves out."""
    problems = []
    for model in models:
        label = model._meta.label_lower
        if model._meta.abstract or model._meta.proxy or label in NOT_PERSONAL:
            continue
        if label in declared or not _holds_personal_data(model):
            continue
        problems.append(
            checks.Error(
                f"{model._meta.label} holds personal data but no manifest declares it.",
                hint=(
                    "Add it to the `models` of a PersonalDataDeclaration in its app's "
                    "manifest.py, with an exporter and an anonymiser that cover it."
                ),
                obj=model,
                id="coproduce.E001",
            )
        )
    return problems


def summary_problems(page_models, has_summary):
    return [
        checks.Error(
            f"{model._meta.label} is an engagement page with no summary provider.",
            hint="Map it to a provider in `summaries` of its app's manifest.py.",
            obj=model,
            id="coproduce.E002",
        )
        for model in page_models
        if not has_summary(model)
    ]


def _declared_models():
    from .manifest import registered_manifests

    return {
        model._meta.label_lower if hasattr(model, "_meta") else model.lower()
        for manifest in registered_manifests()
        for model in manifest.personal_models()
    }


def _engagement_page_models():
    from .models import EngagementPage

    return [
        model
        for model in apps.get_models()
        if issubclass(model, EngagementPage) and model is not EngagementPage
    ]


@checks.register(checks.Tags.models)
def check_personal_data_declared(app_configs=None, **kwargs):
    labels = _project_app_labels()
    models = [model for model in apps.get_models() if model._meta.app_label in labels]
    return personal_data_problems(models, _declared_models())


@checks.register(checks.Tags.models)
def check_engagement_summaries(app_configs=None, **kwargs):
    from .summaries import summary_provider

    return summary_problems(
        _engagement_page_models(), lambda model: summary_provider(model) is not None
    )
