"""Officers' forms for themes (Wagtail admin). Rules live in services."""

from django import forms

from .services import NAME_MAX

OTHER = "other"


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme name",
        max_length=NAME_MAX,
        help_text="How the theme is shown in summaries and exports.",
        error_messages={"required": "Enter a name for the theme."},
    )
    words = forms.CharField(
        label="Describing words",
        required=False,
        max_length=400,
        help_text="A few words or phrases residents might use, separated by commas.",
    )


class SplitForm(ThemeForm):
    name = forms.CharField(
        label="Name of the new theme",
        max_length=NAME_MAX,
        error_messages={"required": "Enter a name for the new theme."},
    )
    words = forms.CharField(
        label="Describing words of the new theme",
        max_length=400,
        help_text="What sets it apart from the theme it is split from, separated by commas.",
        error_messages={"required": "Give a few describing words for the new theme."},
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label="Merge into",
        queryset=None,
        empty_label="Choose a theme",
        error_messages={
            "required": "Choose the theme to merge into.",
            "invalid_choice": "Choose one of the other themes: a theme cannot merge into itself.",
        },
    )

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = theme.theme_set.themes.exclude(pk=theme.pk).order_by(
            "name", "pk"
        )


class ProposeForm(forms.Form):
    count = forms.IntegerField(
        label="How many themes to suggest",
        required=False,
        min_value=2,
        max_value=30,
        help_text="Leave empty to let the machine choose between 4 and 12.",
        error_messages={
            "invalid": "Enter a whole number, or leave it empty.",
            "min_value": "Enter a number of themes from 2 to 30, or leave it empty.",
            "max_value": "Enter a number of themes from 2 to 30, or leave it empty.",
        },
    )


class MoveForm(forms.Form):
    theme = forms.ChoiceField(
        label="Move to",
        error_messages={"invalid_choice": "Choose one of this set's themes, or Other."},
    )

    def __init__(self, *args, theme_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {str(t.pk): t for t in theme_set.themes.order_by("name", "pk")}
        self.fields["theme"].choices = [
            *((pk, t.name) for pk, t in self.themes.items()),
            (OTHER, "Other (none of these themes)"),
        ]

    def chosen_theme(self):
        value = self.cleaned_data["theme"]
        return None if value == OTHER else self.themes[value]
