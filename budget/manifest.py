"""What budget conversations bring to the platform (see commissioning.manifest)."""

from commissioning.manifest import AppManifest, PersonalDataDeclaration


def manifest():
    from .models import BudgetConversationPage, BudgetResponse, Comment, CommentFlag
    from .personal_data import budget_anonymise, budget_export
    from .summaries import budget_summary
    from .themes import budget_texts

    return AppManifest(
        app_label="budget",
        summaries={BudgetConversationPage: budget_summary},
        personal_data=(
            PersonalDataDeclaration(
                "budget conversations",
                export=budget_export,
                anonymise=budget_anonymise,
                models=(BudgetResponse, Comment, CommentFlag),
            ),
        ),
        roles={
            "officer": [
                "budget.view_budgetresponse",
                "budget.export_budgetresponse",
                "budget.enter_paper_budgetresponse",
                "budget.view_comment",
                "budget.change_comment",
            ],
        },
        text_sources={BudgetConversationPage: budget_texts},
        demo="budget.demo",
    )
