"""Widgets rendered in Python (coproduce.widgets) are, to the byte, what Django's templates render."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from coproduce.forms import GovukFormRenderer

DJANGO = TemplatesSetting()
OURS = GovukFormRenderer()

ATTRS = [
    {"id": "id_field"},
    {"id": "id_field", "class": "govuk-input", "required": True, "disabled": False},
    {"id": "id_field", "aria-describedby": "a-hint b-error", "maxlength": 200, "step": None},
    {"id": "x", "data-note": 'say "hi" & <bye>', "data-safe": mark_safe("<b>kept</b>")},
]
VALUES = [None, "", "Kelderby", 'a <b> & "c"', 5, 3.5, Decimal("12.50"), gettext_lazy("Yes")]
CHOICES = [
    ("", "Choose a ward"),
    (1, "Dunmere"),
    ("east", 'East & "Field"'),
    ("Groups", [("a", "Alpha"), ("b", gettext_lazy("Beta"))]),
]
WIDGETS = [
    forms.TextInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.HiddenInput(),
    forms.SearchInput() if hasattr(forms, "SearchInput") else forms.TextInput(),
    forms.TelInput() if hasattr(forms, "TelInput") else forms.TextInput(),
    forms.PasswordInput(render_value=True),
    forms.PasswordInput(),
    forms.DateInput(),
    forms.TimeInput(),
    forms.DateTimeInput(),
    forms.CheckboxInput(),
    forms.Textarea(),
    forms.Select(choices=CHOICES),
    forms.SelectMultiple(choices=CHOICES),
    forms.NullBooleanSelect(),
]


def _both(widget, value, attrs):
    try:
        django = widget.render("field", value, attrs=attrs, renderer=DJANGO)
    except TypeError:  # a value the widget refuses (a list for a yes/no select)
        with pytest.raises(TypeError):
            widget.render("field", value, attrs=attrs, renderer=OURS)
        return None, None
    return widget.render("field", value, attrs=attrs, renderer=OURS), django


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", ATTRS)
def test_every_value_renders_as_djangos_template_renders_it(widget, attrs):
    for value in [*VALUES, True, False, datetime.date(2027, 3, 1), 1, "east", ["a", 1]]:
        ours, django = _both(widget, value, attrs)
        assert ours == django, (type(widget).__name__, value)


def test_the_python_renderers_are_used(monkeypatch):
    from coproduce import widgets

    monkeypatch.setattr(widgets, "_CONTEXT", None)  # any use of them now fails
    with pytest.raises(AttributeError):
        forms.TextInput().render("field", "x", renderer=OURS)


def test_a_select_whose_options_have_their_own_template_is_left_to_it():
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    ours, django = _both(Starred(choices=CHOICES), "east", {"id": "id_field"})
    assert ours == django and "<input" in ours


def test_a_widget_with_another_template_is_left_to_it():
    ours, django = _both(forms.RadioSelect(choices=CHOICES), 1, {"id": "id_field"})
    assert ours == django
