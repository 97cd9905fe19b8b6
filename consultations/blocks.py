"""The question blocks a consultation's questionnaire is made of.

Each question is a top-level block of the `questions` StreamField, so its
block id (a UUID Wagtail keeps across edits) is the key answers are stored
under. Choices and ranking items are list items, which also keep their own
ids: answers refer to those ids, so an editor may reword a choice safely.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
SCALE = "scale"
RANKING = "ranking"
YES_NO = "yes_no"
SECTION = "section"

QUESTION_TYPES = {
    SHORT_TEXT: "Short text",
    LONG_TEXT: "Long text",
    SINGLE_CHOICE: "Single choice",
    MULTIPLE_CHOICE: "Multiple choice",
    SCALE: "Scale",
    RANKING: "Ranking",
    YES_NO: "Yes or no",
}


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250, help_text="The question, as residents read it.")
    hint = blocks.TextBlock(required=False, help_text="Optional help shown under the question.")
    required = blocks.BooleanBlock(
        required=False, default=True, help_text="Residents must answer it."
    )

    class Meta:
        icon = "help"


def _choices_block(label="Choices"):
    return blocks.ListBlock(
        blocks.CharBlock(max_length=200, label="Choice"),
        min_num=2,
        label=label,
        help_text="Rewording a choice is safe once responses exist; removing one is not.",
    )


class ShortTextBlock(QuestionBlock):
    class Meta:
        label = "Short text question"
        icon = "pilcrow"


class LongTextBlock(QuestionBlock):
    max_characters = blocks.IntegerBlock(
        default=1000, min_value=50, max_value=10000, help_text="The most characters allowed."
    )

    class Meta:
        label = "Long text question"
        icon = "doc-full"


class SingleChoiceBlock(QuestionBlock):
    choices = _choices_block()
    allow_other = blocks.BooleanBlock(
        required=False, help_text="Add an “Other – please say” choice with a text box."
    )

    class Meta:
        label = "Single choice question"
        icon = "radio-full"


class MultipleChoiceBlock(QuestionBlock):
    choices = _choices_block()
    allow_other = blocks.BooleanBlock(
        required=False, help_text="Add an “Other – please say” choice with a text box."
    )
    min_selections = blocks.IntegerBlock(required=False, min_value=1)
    max_selections = blocks.IntegerBlock(required=False, min_value=1)

    class Meta:
        label = "Multiple choice question"
        icon = "tick-inverse"

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_selections"), value.get("max_selections")
        options = len(value["choices"]) + (1 if value.get("allow_other") else 0)
        errors = {}
        if low and high and low > high:
            errors["min_selections"] = ValidationError("Must not be more than the maximum.")
        if high and high > options:
            errors["max_selections"] = ValidationError(
                "Must not be more than the number of choices."
            )
        if low and low > options:
            errors["min_selections"] = ValidationError(
                "Must not be more than the number of choices."
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class ScaleBlock(QuestionBlock):
    minimum = blocks.IntegerBlock(default=1, min_value=0, max_value=1)
    maximum = blocks.IntegerBlock(default=5, min_value=3, max_value=10)
    low_label = blocks.CharBlock(max_length=60, help_text="e.g. “Very poor”.")
    high_label = blocks.CharBlock(max_length=60, help_text="e.g. “Very good”.")

    class Meta:
        label = "Scale question"
        icon = "order"


class RankingBlock(QuestionBlock):
    items = _choices_block("Items to rank")

    class Meta:
        label = "Ranking question"
        icon = "list-ol"


class YesNoBlock(QuestionBlock):
    class Meta:
        label = "Yes or no question"
        icon = "radio-empty"


class SectionBlock(blocks.StructBlock):
    """Starts a new page of the questionnaire."""

    heading = blocks.CharBlock(max_length=120)
    introduction = blocks.TextBlock(required=False)

    class Meta:
        label = "Section (starts a new page)"
        icon = "title"


class QuestionsBlock(blocks.StreamBlock):
    section = SectionBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    scale = ScaleBlock()
    ranking = RankingBlock()
    yes_no = YesNoBlock()
