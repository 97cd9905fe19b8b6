"""The response form: a stance and optional comment per proposal, an amount per
simulator line, and an alternative suggestion.

The form only parses what was typed; the rules (bounds, steps, the target,
which proposals and lines belong to the conversation) are checked by
`services.budget_response_record`, whose errors the view puts back on the
fields here.
"""

import hashlib
import re

from django import forms

from commissioning.models import Ward
from coproduce.forms import GovukForm, HoneypotMixin

from .models import ProposalAnswer, pounds
from .services import COMMENT_MAX_LENGTH, line_key, simulator_errors

AMOUNT_RE = re.compile(r"^-?\d+$")
# The service's key for a budget that misses its target, and the code of that error here.
TARGET = "target"


def rules_version(conversation, lines):
    """A fingerprint of the simulator's rules the form was drawn with.

    If the rules change between showing the form and sending it (or the
    hidden field is tampered with), the resident is asked to check again
    rather than having their choices judged against rules they never saw.
    """
    parts = [conversation.target_kind, str(conversation.target_amount)]
    for line in lines:
        parts.append(":".join(str(v) for v in (line.pk, *line.rule_values())))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class AmountField(forms.CharField):
    """A whole number of pounds; accepts “£1,250,000” and “1250000”."""

    def __init__(self, *, line, **kwargs):
        self.line = line
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "type": "number",
                "inputmode": "numeric",
                "min": self.line.minimum,
                "max": self.line.maximum,
                "step": self.line.step,
                "class": "govuk-input--width-10",
                "data-budget-line": self.line.pk,
                "data-kind": self.line.kind,
                "data-current": self.line.current,
                "data-name": self.line.name,
                "spellcheck": "false",
            }
        )
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        compact = re.sub(r"[£,\s]", "", value)
        if not AMOUNT_RE.match(compact):
            raise forms.ValidationError(
                f"Enter the amount for {self.line.name} as a whole number of pounds, "
                f"like {self.line.current}.",
                code="invalid",
            )
        amount = int(compact)
        if amount < 0:
            raise forms.ValidationError(
                f"The amount for {self.line.name} cannot be negative.", code="negative"
            )
        return amount


class BudgetResponseForm(GovukForm):
    """Built for one conversation's proposals and lines."""

    def __init__(self, *args, conversation, proposals, lines, **kwargs):
        self.conversation = conversation
        self.proposals = proposals
        self.lines = lines
        super().__init__(*args, **kwargs)
        for proposal in proposals:
            self.fields[f"proposal_{proposal.pk}"] = forms.ChoiceField(
                label=f"What do you think of {proposal.reference}?",
                choices=ProposalAnswer.STANCES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether you support or oppose {proposal.reference} "
                    "(or choose “Unsure”).",
                    "invalid_choice": f"Choose support, oppose or unsure for {proposal.reference}.",
                },
            )
            self.fields[f"comment_{proposal.pk}"] = forms.CharField(
                label=f"Comments on {proposal.reference}",
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Comments are read by a moderator before they are published.",
            )
        for line in lines:
            self.fields[f"line_{line.pk}"] = AmountField(
                line=line,
                label=f"{line.name} (£)",
                help_text=(
                    f"Now {pounds(line.current)}. Between {pounds(line.minimum)} and "
                    f"{pounds(line.maximum)}, in steps of {pounds(line.step)}. "
                    f"The council proposes {pounds(line.proposed)}."
                    + (f" {line.unit}" if line.unit else "")
                ),
                error_messages={"required": f"Enter an amount for {line.name}."},
            )
        self.fields["alternative"] = forms.CharField(
            label="Would you do something else instead?",
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Suggest another way to save money or raise income. "
            "Suggestions are read by a moderator before they are published.",
        )
        self.fields["rules_version"] = forms.CharField(widget=forms.HiddenInput)
        self.initial.setdefault("rules_version", rules_version(conversation, lines))
        for line in lines:
            self.initial.setdefault(f"line_{line.pk}", line.current)

    def clean_rules_version(self):
        value = self.cleaned_data["rules_version"]
        if value != rules_version(self.conversation, self.lines):
            raise forms.ValidationError(
                "The budget simulator changed while you were filling it in, or the form was "
                "altered. Check your choices against the figures shown and send it again.",
                code="rules_changed",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        # Every problem with the budget at once, whatever else is missing: the
        # service checks again, but a resident should not fix mistakes in rounds.
        allocations = {line.pk: cleaned.get(f"line_{line.pk}") for line in self.lines}
        problems = simulator_errors(
            conversation=self.conversation, lines=self.lines, allocations=allocations
        )
        for line in self.lines:
            field = f"line_{line.pk}"
            if field not in self.errors and cleaned.get(field) is not None:
                for message in problems.get(line_key(line.pk), []):
                    self.add_error(field, message)
        if TARGET in problems:
            self.add_error(None, [forms.ValidationError(m, code=TARGET) for m in problems[TARGET]])
        return cleaned

    def proposal_fields(self):
        """(proposal, stance field, comment field) for the template."""
        return [(p, self[f"proposal_{p.pk}"], self[f"comment_{p.pk}"]) for p in self.proposals]

    def line_fields(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def answers(self):
        return {p.pk: self.cleaned_data[f"proposal_{p.pk}"] for p in self.proposals}

    def allocations(self):
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}

    def comments(self):
        comments = {p.pk: self.cleaned_data.get(f"comment_{p.pk}", "") for p in self.proposals}
        comments[None] = self.cleaned_data.get("alternative", "")
        return comments

    def service_error_field(self, key):
        """The field a service's error key belongs to (`coproduce.forms.add_service_errors`):
        "line:3" is line_3, "comment:general" the alternative; "target" goes to the top."""
        kind, _, ident = key.partition(":")
        if kind == "comment":
            return "alternative" if ident == "general" else f"comment_{ident}"
        if kind in ("line", "proposal"):
            return f"{kind}_{ident}"
        return key

    @property
    def target_errors(self):
        """Why the budget misses its target: shown at the top and again by the totals."""
        return [
            message
            for error in self.non_field_errors().as_data()
            if error.code == TARGET
            for message in error.messages
        ]

    @classmethod
    def initial_from(cls, response):
        """Initial values from a saved response, so it can be edited."""
        initial = {}
        if response is None:
            return initial
        for answer in response.answers.all():
            initial[f"proposal_{answer.proposal_id}"] = answer.stance
        for allocation in response.allocations.all():
            initial[f"line_{allocation.line_id}"] = allocation.amount
        for comment in response.comments.all():
            key = f"comment_{comment.proposal_id}" if comment.proposal_id else "alternative"
            initial[key] = comment.text
        initial["wants_feedback"] = response.wants_feedback
        return initial


class ResidentResponseForm(HoneypotMixin, BudgetResponseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wants_feedback"] = forms.BooleanField(
            label="Email me when the council decides",
            required=False,
        )


class PaperResponseForm(BudgetResponseForm):
    """What an officer keys in from a paper form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper_reference"] = forms.CharField(
            label="Paper form reference",
            max_length=40,
            required=False,
            help_text="The number written on the form, so it cannot be entered twice.",
        )
        self.fields["ward"] = forms.ModelChoiceField(
            label="Ward",
            queryset=Ward.objects.all(),
            required=False,
            help_text="From the postcode on the form, if given.",
        )
