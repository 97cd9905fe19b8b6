"""The page editor's form for budget conversations: the rules lock.

Once anyone has responded, the simulator's lines (which lines, their kind,
current amount, bounds and step) and the target are frozen, and proposals
can no longer be added or removed. Wording can still be corrected. A form is
the one place that sees both the page's fields and its inline lines before
anything is saved, so the lock lives here rather than in `Page.clean()`.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

LOCK_MESSAGE = (
    "People have already responded to this conversation, so its rules are locked: {changes}. "
    "Changing them now would make earlier responses incomparable with new ones, and let "
    "people answer twice under different rules. Correct wording only, or start a new "
    "conversation."
)


class BudgetConversationAdminForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        page = self.instance
        if page.pk is None:
            return cleaned
        from .selectors import conversation_has_responses

        if not conversation_has_responses(conversation_id=page.pk):
            return cleaned
        changes = self._rule_changes(cleaned)
        if changes:
            raise forms.ValidationError(
                LOCK_MESSAGE.format(changes="; ".join(changes)), code="rules_locked"
            )
        return cleaned

    def _rule_changes(self, cleaned):
        from .models import BudgetConversationPage, Proposal, SimulatorLine

        changes = []
        stored = (
            BudgetConversationPage.objects.filter(pk=self.instance.pk)
            .values("target_kind", "target_amount")
            .first()
        )
        for field in ("target_kind", "target_amount"):
            if field in cleaned and stored and cleaned[field] != stored[field]:
                changes.append("the target cannot change")
                break

        stored_lines = {
            line.pk: line.rule_values()
            for line in SimulatorLine.objects.filter(page_id=self.instance.pk)
        }
        lines_formset = self.formsets.get("lines")
        if lines_formset is not None and lines_formset.is_valid():
            kept = set()
            for form in lines_formset.forms:
                data = form.cleaned_data
                if not data:
                    continue
                pk = form.instance.pk
                if data.get("DELETE"):
                    if pk:
                        changes.append(f"the line “{form.instance.name}” cannot be removed")
                    continue
                if pk is None:
                    changes.append(f"a line (“{data.get('name', '')}”) cannot be added")
                    continue
                kept.add(pk)
                submitted = tuple(data.get(f) for f in SimulatorLine.RULE_FIELDS)
                if pk in stored_lines and submitted != stored_lines[pk]:
                    changes.append(
                        f"the kind, current amount, minimum, maximum and step of "
                        f"“{data.get('name') or form.instance.name}” cannot change"
                    )
            if set(stored_lines) - kept - {f.instance.pk for f in lines_formset.deleted_forms}:
                changes.append("lines cannot be removed")

        stored_proposals = set(
            Proposal.objects.filter(page_id=self.instance.pk).values_list("pk", flat=True)
        )
        proposals_formset = self.formsets.get("proposals")
        if proposals_formset is not None and proposals_formset.is_valid():
            for form in proposals_formset.forms:
                data = form.cleaned_data
                if not data:
                    continue
                pk = form.instance.pk
                if data.get("DELETE") and pk in stored_proposals:
                    changes.append(f"the proposal “{form.instance}” cannot be removed")
                elif pk is None and not data.get("DELETE"):
                    changes.append("proposals cannot be added")
        return changes


class CommentAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        # Imported here: the services import the models, which import this module.
        from . import services

        problems = services.comment_moderation_errors(
            status=cleaned.get("status"), reason=cleaned.get("rejection_reason")
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned
