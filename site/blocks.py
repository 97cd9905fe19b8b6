"""StreamField blocks for editorial pages."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock


def validate_link_address(value):
    if not value:
        return
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https", "mailto"])(value)


class LinkValue(blocks.StructValue):
    @property
    def url(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("external_url") or ""


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to another address."""

    text = blocks.CharBlock(max_length=80)
    page = blocks.PageChooserBlock(required=False)
    # A CharBlock, not a URLBlock: site paths such as /take-part/ are links too.
    external_url = blocks.CharBlock(
        required=False,
        max_length=500,
        label="Or an address",
        help_text="A path on this site (/take-part/) or a full address (https://…).",
        validators=[validate_link_address],
    )

    class Meta:
        icon = "link"
        value_class = LinkValue

    def clean(self, value):
        cleaned = super().clean(value)
        if not cleaned.get("page") and not cleaned.get("external_url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError("Choose a page or enter an address.")}
            )
        return cleaned


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    link = LinkBlock()

    class Meta:
        icon = "pick"
        template = "components/blocks/call_to_action.html"


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=200)
    content = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])


class AccordionBlock(blocks.StructBlock):
    """Questions and answers, or any sections a reader opens one at a time."""

    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(AccordionItemBlock())

    class Meta:
        icon = "list-ul"
        template = "components/blocks/accordion.html"


class CaptionedImageBlock(ImageBlock):
    class Meta:
        template = "components/blocks/image.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"]


class BodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="components/blocks/text.html"
    )
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()
    accordion = AccordionBlock()
