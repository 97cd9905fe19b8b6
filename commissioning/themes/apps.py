from django.apps import AppConfig


class ThemesConfig(AppConfig):
    """Themes from free text: part of the spine, its own app so its records
    and migrations stay apart from the rest of commissioning."""

    name = "commissioning.themes"
    label = "themes"
    verbose_name = "Themes from free text"
    default_auto_field = "django.db.models.BigAutoField"
