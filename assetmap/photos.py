"""Photo uploads: decoded with Pillow, checked, stripped of metadata, re-encoded.

The file's name and declared type are never trusted: the type is what Pillow
finds in the bytes. Re-encoding keeps only the pixels: EXIF (with any GPS
position), XMP, comment segments and colour profiles (colours are converted to
sRGB first) are dropped, so a phone photo of someone's front door does not
publish where it was taken.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000
# Photos are shown on a web page; larger ones are scaled down on upload.
MAX_SIDE = 2400
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass
class CleanPhoto:
    content: ContentFile
    extension: str
    width: int
    height: int
    token: str


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _in_srgb(image, icc_profile):
    """Colours converted from an embedded profile to sRGB, so the profile can go too."""
    from PIL import ImageCms

    if image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _without_metadata(image):
    """The pixels only: Pillow writes back what `info` holds (a JPEG's comment segment,
    a PNG's or JPEG's ICC profile, XMP, DPI), so nothing of it is kept.
    """
    icc_profile = image.info.get("icc_profile")
    if icc_profile:
        image = _in_srgb(image, icc_profile)
    image.info = {}
    return image


def photo_clean(upload):
    """Check one uploaded file and return it re-encoded, or raise ValidationError."""
    name = getattr(upload, "name", "") or "The file"
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        _refuse(f"{name} is larger than 5 MB. Choose a smaller photo.", "too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _refuse(f"{name} is larger than 5 MB. Choose a smaller photo.", "too_large")
    if not data:
        _refuse(f"{name} is empty.", "empty")
    with warnings.catch_warnings():
        # Pillow warns, then refuses, on images that would decompress to far
        # more memory than their file size suggests; treat the warning as a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in FORMATS:
                    _refuse(f"{name} must be a JPG, PNG or WebP photo.", "type")
                if width * height > MAX_PIXELS:
                    _refuse(
                        f"{name} is {width} × {height} pixels; photos can be at most "
                        "24 megapixels. Make it smaller and try again.",
                        "too_many_pixels",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                image = _without_metadata(image)
                out = io.BytesIO()
                if kind == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                elif kind == "PNG":
                    image.save(out, "PNG", optimize=True)
                else:
                    image.save(out, "WEBP", quality=85)
                width, height = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(
                f"{name} could not be accepted: it would expand to an image far too large "
                "to process. Choose a photo of at most 24 megapixels.",
                "bomb",
            )
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            _refuse(
                f"{name} is not a photo we can read. Upload a JPG, PNG or WebP image.",
                "not_an_image",
            )
    token = secrets.token_hex(16)
    extension = FORMATS[kind]
    return CleanPhoto(
        content=ContentFile(out.getvalue(), name=f"{token}.{extension}"),
        extension=extension,
        width=width,
        height=height,
        token=token,
    )
