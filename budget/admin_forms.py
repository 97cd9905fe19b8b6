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
TARGET_FIELDS = ("target_kind", "target_amount")


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
        return [
            *self._target_changes(cleaned),
            *self._line_changes(),
            *self._proposal_changes(),
        ]

    def _target_changes(self, cleaned):
        from .models import BudgetConversationPage

        stored = (
            BudgetConversationPage.objects.filter(pk=self.instance.pk)
            .values(*TARGET_FIELDS)
            .first()
        )
        if stored and any(
            field in cleaned and cleaned[field] != stored[field] for field in TARGET_FIELDS
        ):
            return ["the target cannot change"]
        return []

    def _line_changes(self):
        from .models import SimulatorLine

        stored = {
            line.pk: line.rule_values()
            for line in SimulatorLine.objects.filter(page_id=self.instance.pk)
        }
        formset = self._valid_formset("lines")
        if formset is None:
            return []
        forms = _filled_forms(formset)
        changes = [change for form in forms if (change := _line_change(form, stored))]
        kept = {
            form.instance.pk
            for form in forms
            if form.instance.pk is not None and not form.cleaned_data.get("DELETE")
        }
        if set(stored) - kept - {form.instance.pk for form in formset.deleted_forms}:
            changes.append("lines cannot be removed")
        return changes

    def _proposal_changes(self):
        from .models import Proposal

        stored = set(
            Proposal.objects.filter(page_id=self.instance.pk).values_list("pk", flat=True)
        )
        formset = self._valid_formset("proposals")
        if formset is None:
            return []
        return [
            change for form in _filled_forms(formset) if (change := _proposal_change(form, stored))
        ]

    def _valid_formset(self, name):
        """The page's inline formset `name`, or None when absent or invalid."""
        formset = self.formsets.get(name)
        if formset is not None and formset.is_valid():
            return formset
        return None


def _filled_forms(formset):
    """The forms of a valid formset that were filled in (extra blank forms are not)."""
    return [form for form in formset.forms if form.cleaned_data]


def _line_change(form, stored):
    """What saving this simulator line's form would change in the rules, or None.

    `stored` maps each saved line's pk to its rule values.
    """
    from .models import SimulatorLine

    data = form.cleaned_data
    pk = form.instance.pk
    if data.get("DELETE"):
        return f"the line “{form.instance.name}” cannot be removed" if pk else None
    if pk is None:
        return f"a line (“{data.get('name', '')}”) cannot be added"
    submitted = tuple(data.get(f) for f in SimulatorLine.RULE_FIELDS)
    if pk in stored and submitted != stored[pk]:
        return (
            f"the kind, current amount, minimum, maximum and step of "
            f"“{data.get('name') or form.instance.name}” cannot change"
        )
    return None


def _proposal_change(form, stored):
    """What saving this proposal's form would change in the rules, or None.

    `stored` is the set of the saved proposals' pks.
    """
    data = form.cleaned_data
    pk = form.instance.pk
    if data.get("DELETE") and pk in stored:
        return f"the proposal “{form.instance}” cannot be removed"
    if pk is None and not data.get("DELETE"):
        return "proposals cannot be added"
    return None


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
