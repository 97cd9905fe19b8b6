"""Django's commonest form widgets rendered in Python: what its templates render, to the byte.

A form page renders each input, text area and select through two or three
nested templates (the widget's, `input.html`, `attrs.html`, one more per
option), which is most of the time a page with a form takes. `GovukFormRenderer`
(coproduce.forms) renders the templates named here with these functions and
leaves every other template to Django; `tests/coproduce/test_widgets.py`
holds them equal to Django's own templates for every kind of value.
"""

from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

_CONTEXT = Context(autoescape=True)
_WIDGETS = "django/forms/widgets/"
INPUT_KINDS = (
    "input",
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
    "color",
    "checkbox",
)


def _shown(value):
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value):
    """`{{ value|stringformat:'s' }}` (a safe value stays safe, as the filter keeps it)."""
    text = str(value)
    return _shown(mark_safe(text) if isinstance(value, SafeData) else text)


def attrs_html(attrs):
    """`django/forms/widgets/attrs.html`."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_shown(name)}")
        if value is not True:
            parts.append(f'="{_formatted(value)}"')
    return "".join(parts)


def render_input(widget):
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    name = f'name="{_shown(widget["name"])}"'
    return f'<input type="{_shown(widget["type"])}" {name}{value}{attrs_html(widget["attrs"])}>'


def render_textarea(widget):
    value = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


def render_option(option):
    value, attrs = _formatted(option["value"]), attrs_html(option["attrs"])
    return f'<option value="{value}"{attrs}>{_shown(option["label"])}</option>'


def render_select(widget):
    parts = [f'<select name="{_shown(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        # Each option is an include of a template that ends with a newline.
        parts.extend(f"\n  {render_option(option)}\n" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


RENDERERS = {
    **{f"{_WIDGETS}{kind}.html": render_input for kind in INPUT_KINDS},
    f"{_WIDGETS}textarea.html": render_textarea,
    f"{_WIDGETS}select.html": render_select,
}


def render_widget(template_name, context):
    """The widget's markup, or None where its template is not one of these (or an option's is not)."""
    render = RENDERERS.get(template_name)
    widget = context.get("widget")
    if render is None or widget is None:
        return None
    if render is render_select and any(
        option["template_name"] != f"{_WIDGETS}select_option.html"
        for _group, options, _index in widget["optgroups"]
        for option in options
    ):
        return None
    return render(widget)
