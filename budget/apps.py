from django.apps import AppConfig


class BudgetConfig(AppConfig):
    """Budget conversations: proposals, responses, the simulator and results."""

    name = "budget"
    verbose_name = "Budget conversations"
    default_auto_field = "django.db.models.BigAutoField"
