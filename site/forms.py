"""GOV.UK Frontend form rendering shared by every public form.

A form opts in by mixing in `GovukFormMixin`: `{{ form }}` then renders an
error summary and each field through `{% govuk_field %}` (label, hint,
error message, `aria-describedby`). The renderer is set per form rather than
globally so the Wagtail admin keeps its own form markup.
"""

from django import forms
from django.forms.renderers import TemplatesSetting

from .widgets import render_widget


class GovukFormRenderer(TemplatesSetting):
    # TemplatesSetting uses the project's template tree (templates/components/).
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"

    def render(self, template_name, context, request=None):
        # Inputs, text areas and selects in Python, as Django's templates render them.
        markup = render_widget(template_name, context)
        if markup is not None:
            return markup
        return super().render(template_name, context, request)


GOVUK_RENDERER = GovukFormRenderer()


class GovukFormMixin:
    default_renderer = GOVUK_RENDERER
    template_name = "components/form.html"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class FilterFormMixin:
    """Filters are all optional by nature, so their labels don't say "(optional)"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.hide_optional = True


class HoneypotMixin:
    """A field people never see; bots that fill it are refused.

    Used instead of a third-party captcha on public forms.
    """

    honeypot_field = "website_url"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[self.honeypot_field].is_honeypot = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.honeypot_field):
            raise forms.ValidationError(
                "Your response could not be accepted. Please try again.", code="honeypot"
            )
        return cleaned


class SearchForm(FilterFormMixin, GovukForm):
    query = forms.CharField(
        label="Search this site",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: next to the fields it
    names, and at the top for the rest, so the person's input is kept.

    A form whose fields are not named as the service's keys says which field
    a key belongs to with `service_error_field(key)` ("line:3" -> "line_3").
    An error shown at the top keeps its key as its code when it has none, so a
    template can show it a second time where it belongs (the budget's target).
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    field_for = getattr(form, "service_error_field", None)
    for key, errors in error.error_dict.items():
        field = field_for(key) if field_for else key
        if field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, [_with_code(e, key) for e in errors])


class ServiceSaveMixin:
    """For a Wagtail admin create or edit view whose `save_instance` calls a service:
    the service's refusal shows on the form (`add_service_errors`), the input kept,
    never a 500 (as the public views do)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except forms.ValidationError as error:
            add_service_errors(form, error)
            # Wagtail's form_invalid reads what is_valid sets when a form fails.
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


def _with_code(error, code):
    if error.code:
        return error
    return forms.ValidationError(error.message, code=code, params=error.params)
