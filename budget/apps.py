from django.apps import AppConfig


class BudgetConfig(AppConfig):
    """Budget conversations: proposals, responses, the simulator and results."""

    name = "budget"
    verbose_name = "Budget conversations"
    default_auto_field = "django.db.models.BigAutoField"

    # Applied to the role groups by accounts.roles.roles_sync() after migrate.
    role_permissions = {
        "officer": [
            "budget.view_budgetresponse",
            "budget.export_budgetresponse",
            "budget.enter_paper_budgetresponse",
            "budget.view_comment",
            "budget.change_comment",
        ],
    }

    def ready(self):
        from commissioning.personal_data import register_personal_data
        from commissioning.summaries import register_summary

        from . import themes
        from .models import BudgetConversationPage
        from .personal_data import budget_anonymise, budget_export
        from .selectors import budget_summary

        register_summary(BudgetConversationPage, budget_summary)
        themes.register()
        register_personal_data(
            "budget conversations", export=budget_export, anonymise=budget_anonymise
        )
