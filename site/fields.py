"""One form field in GOV.UK Frontend markup: label or legend, hint, error message, input.

Every public form renders its fields through `{% govuk_field field %}`
(`coproduce.templatetags.govuk`). Built in Python rather than a template: a
budget response has twenty-two fields, and a template per field was a
quarter of the page's time. Each kind of field is a class: radios and
checkbox lists (a fieldset with a legend), a single checkbox, the honeypot
people never see, and every other input (a label above it).
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "nullbooleanselect": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}
GROUPED = {"radioselect", "checkboxselectmultiple"}


def widget_html(field, extra_class=""):
    """A field's widget with GOV.UK classes and ARIA links to its hint and error.

    A field with a `character_count` (its most characters) is counted as
    people type by GOV.UK Frontend's character count, described by its message.
    """
    describedby = []
    if getattr(field.field, "character_count", None):
        describedby.append(f"{field.auto_id}-info")
        extra_class = f"govuk-js-character-count {extra_class}".strip()
    if field.help_text:
        describedby.append(f"{field.auto_id}-hint")
    if field.errors:
        describedby.append(f"{field.auto_id}-error")
    css = INPUT_CLASS.get(field.widget_type, "govuk-input")
    if field.errors and field.widget_type not in GROUPED | {"checkbox"}:
        css += f" {css}--error"
    existing = field.field.widget.attrs.get("class", "")
    attrs = {"class": " ".join(c for c in (css, existing, extra_class) if c)}
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


def _optional(field):
    """Optional fields say so in their label, unless the form opts out (search boxes)."""
    if field.field.required or getattr(field.field, "hide_optional", False):
        return ""
    return " (optional)"


def _hint(field, extra_class=""):
    if not field.help_text:
        return ""
    css = f"govuk-hint {extra_class}".strip()
    return format_html(
        '<div id="{}-hint" class="{}">{}</div>', field.auto_id, css, field.help_text
    )


def _errors(field):
    if not field.errors:
        return ""
    # Each message is escaped by format_html; the line breaks between them are ours.
    messages = mark_safe(
        "<br>".join(
            format_html('<span class="govuk-visually-hidden">Error:</span> {}', error)
            for error in field.errors
        )
    )
    return format_html(
        '<p id="{}-error" class="govuk-error-message">{}</p>', field.auto_id, messages
    )


def _group_class(field, extra=""):
    error = " govuk-form-group--error" if field.errors else ""
    return f"govuk-form-group{extra}{error}"


class FieldKind:
    def render(self, field):
        raise NotImplementedError


class Honeypot(FieldKind):
    """The field people never see: bots that fill it are refused (coproduce.forms.HoneypotMixin)."""

    def render(self, field):
        return format_html(
            '<div class="coproduce-honeypot" aria-hidden="true">\n'
            '<label for="{}">{}</label>\n{}\n</div>',
            field.id_for_label,
            field.label,
            str(field),
        )


class Choices(FieldKind):
    """Radios or a list of checkboxes: a fieldset whose legend is the question."""

    def render(self, field):
        radios = field.widget_type == "radioselect"
        kind = "govuk-radios" if radios else "govuk-checkboxes"
        described = " ".join(
            f"{field.auto_id}-{part}"
            for part, present in (("hint", field.help_text), ("error", field.errors))
            if present
        )
        small = " govuk-radios--small" if getattr(field.field, "small", False) else ""
        return format_html(
            '<div class="{}">\n<fieldset class="govuk-fieldset"{}>\n'
            '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}{}</legend>\n'
            '{}{}\n<div class="{}{}" data-module="{}">\n{}\n</div>\n</fieldset>\n</div>',
            _group_class(field),
            format_html(' aria-describedby="{}"', described) if described else "",
            field.label,
            _optional(field),
            _hint(field),
            _errors(field),
            kind,
            small,
            kind,
            self._items(field, kind),
        )

    def _items(self, field, kind):
        return format_html_join(
            "\n",
            '<div class="{}__item">\n<input class="{}__input" id="{}" name="{}" type="{}" value="{}"{}>\n'
            '<label class="govuk-label {}__label" for="{}">{}</label>\n</div>',
            (
                (
                    kind,
                    kind,
                    choice.id_for_label,
                    choice.data["name"],
                    choice.data["type"],
                    str(choice.data["value"]),
                    mark_safe(" checked") if choice.data["selected"] else "",
                    kind,
                    choice.id_for_label,
                    choice.choice_label,
                )
                for choice in field
            ),
        )


class Checkbox(FieldKind):
    """A single yes-or-no box, its label beside it."""

    def render(self, field):
        return format_html(
            '<div class="{}">\n{}\n<div class="govuk-checkboxes govuk-checkboxes--small" '
            'data-module="govuk-checkboxes">\n<div class="govuk-checkboxes__item">\n{}\n'
            '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label>\n{}\n'
            "</div>\n</div>\n</div>",
            _group_class(field),
            _errors(field),
            widget_html(field),
            field.id_for_label,
            field.label,
            _hint(field, "govuk-checkboxes__hint"),
        )


class Input(FieldKind):
    """Any other input: a label above it, with a character count where the field has one."""

    def render(self, field):
        most = getattr(field.field, "character_count", None)
        counted = " govuk-character-count" if most else ""
        module = (
            format_html(' data-module="govuk-character-count" data-maxlength="{}"', str(most))
            if most
            else ""
        )
        info = (
            format_html(
                '\n<div id="{}-info" class="govuk-hint govuk-character-count__message">'
                "You can enter up to {} characters</div>",
                field.auto_id,
                intcomma(most),
            )
            if most
            else ""
        )
        return format_html(
            '<div class="{}"{}>\n<label class="govuk-label govuk-label--s" for="{}">{}{}</label>\n'
            "{}{}\n{}{}\n</div>",
            _group_class(field, counted),
            module,
            field.id_for_label,
            field.label,
            _optional(field),
            _hint(field),
            _errors(field),
            widget_html(field),
            info,
        )


def field_kind(field):
    if getattr(field.field, "is_honeypot", False):
        return Honeypot()
    if field.widget_type in GROUPED:
        return Choices()
    if field.widget_type == "checkbox":
        return Checkbox()
    return Input()


def render_field(field):
    return field_kind(field).render(field)
