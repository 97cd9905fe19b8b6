"""StreamField blocks of the spine.

A stage's explainer sits under the stage's own heading on the programme
page, so it takes no headings of its own (they would break the outline).
"""

from wagtail import blocks

from coproduce.blocks import CaptionedImageBlock


class ExplainerBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="components/blocks/text.html",
    )
    image = CaptionedImageBlock()
