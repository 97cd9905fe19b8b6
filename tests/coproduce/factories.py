import wagtail_factories


class ImageFactory(wagtail_factories.ImageFactory):
    title = "Volunteers planting trees on Fernhill green"
    description = "Volunteers planting trees on Fernhill green"


def body_with_every_block(*, image, link_page):
    """Raw StreamField data using each block of `BodyBlock`."""
    return [
        {
            "type": "text",
            "value": '<h2 id="why-we-ask">Why we ask</h2><p>Residents know their streets.</p>',
        },
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "Volunteers planting trees",
                "decorative": False,
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Have your say",
                "text": "The budget conversation is open until March.",
                "link": {"text": "Start now", "page": link_page.pk, "external_url": ""},
            },
        },
        {
            "type": "accordion",
            "value": {
                "heading": "Frequently asked questions",
                "items": [
                    {"heading": "Who can take part?", "content": "<p>Anyone who lives here.</p>"},
                    {"heading": "How long does it take?", "content": "<p>Ten minutes.</p>"},
                ],
            },
        },
    ]
