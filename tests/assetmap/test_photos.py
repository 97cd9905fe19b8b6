"""Photo uploads are decoded, refused with clear messages, and stripped of metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from assetmap.photos import MAX_BYTES, photo_clean

from .images import jpeg_bytes, png_with_claimed_size, upload


def refusal(file):
    with pytest.raises(ValidationError) as caught:
        photo_clean(file)
    return caught.value


def test_a_text_file_renamed_jpg_is_refused():
    error = refusal(upload("garden.jpg", b"This is not a photo, just some text.\n" * 20))
    assert error.code == "not_an_image"
    assert "garden.jpg is not a photo we can read" in error.messages[0]


def test_a_file_over_5_mb_is_refused():
    error = refusal(upload("huge.jpg", jpeg_bytes() + b"\0" * MAX_BYTES))
    assert error.code == "too_large"
    assert "larger than 5 MB" in error.messages[0]


def test_an_image_over_24_megapixels_is_refused():
    out = io.BytesIO()
    Image.new("1", (6000, 4500)).save(out, "PNG")  # 27 megapixels, a small file
    error = refusal(upload("wide.png", out.getvalue(), "image/png"))
    assert error.code == "too_many_pixels"
    assert "6000 × 4500 pixels" in error.messages[0]
    assert "24 megapixels" in error.messages[0]


def test_a_decompression_bomb_is_refused():
    error = refusal(upload("bomb.png", png_with_claimed_size(50_000, 50_000), "image/png"))
    assert error.code == "bomb"
    assert "far too large" in error.messages[0]


def test_a_bomb_just_over_pillows_warning_limit_is_refused_too():
    error = refusal(upload("bomb.png", png_with_claimed_size(10_000, 10_000), "image/png"))
    assert error.code in {"bomb", "too_many_pixels"}


def test_an_unsupported_image_type_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    error = refusal(upload("photo.jpg", out.getvalue()))
    assert error.code == "type"


def test_a_good_photo_is_re_encoded_without_exif_or_gps():
    original = jpeg_bytes(exif_gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there
    clean = photo_clean(upload("IMG_0001 at 12 Mill Lane.jpg", original))
    assert clean.extension == "jpg"
    assert (clean.width, clean.height) == (40, 30)
    assert "Mill Lane" not in clean.content.name
    result = Image.open(io.BytesIO(clean.content.read()))
    assert result.format == "JPEG"
    assert not result.getexif()
    assert "exif" not in result.info


def test_type_is_sniffed_from_content_not_name():
    out = io.BytesIO()
    Image.new("RGB", (12, 12), "green").save(out, "PNG")
    clean = photo_clean(upload("photo.jpg", out.getvalue()))
    assert clean.extension == "png"


def jpeg_segments(data):
    """The marker bytes of a JPEG's segments before the image data."""
    found, index = [], 2
    while index < len(data) and data[index] == 0xFF and data[index + 1] != 0xDA:
        found.append(data[index + 1])
        index += 2 + int.from_bytes(data[index + 2 : index + 4], "big")
    return found


APP0, COM = 0xE0, 0xFE
APP1_TO_APP15 = set(range(0xE1, 0xF0))


def test_a_jpeg_keeps_no_comment_xmp_or_profile_segment():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(
        out,
        "JPEG",
        comment=b"Taken at 53.6412,-2.1234",
        xmp=b"<x:xmpmeta>GPSLatitude 53.6412</x:xmpmeta>",
        icc_profile=b"\0" * 128,
    )
    original = out.getvalue()
    assert COM in jpeg_segments(original)
    clean = photo_clean(upload("door.jpg", original)).content.read()
    segments = jpeg_segments(clean)
    assert COM not in segments
    assert not APP1_TO_APP15 & set(segments)
    assert segments.count(APP0) == 1  # JFIF, which says only how to decode it
    assert b"53.6412" not in clean


def test_a_png_keeps_no_text_or_profile_chunk():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Taken at 53.6412,-2.1234")
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "PNG", pnginfo=info, icc_profile=b"\0" * 128)
    clean = photo_clean(upload("door.png", out.getvalue(), "image/png")).content.read()
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf"):
        assert chunk not in clean
    assert b"53.6412" not in clean
