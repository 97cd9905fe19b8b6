"""Images made with Pillow for the upload tests (nothing is read from disk)."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_bytes(size=(40, 30), exif_gps=False):
    image = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (53.0, 38.0, 12.0), 3: "W", 4: (2.0, 7.0, 30.0)}  # GPS IFD
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_with_claimed_size(width, height):
    """A tiny PNG whose header claims `width` × `height`: a decompression bomb's signature."""
    out = io.BytesIO()
    Image.new("L", (8, 8)).save(out, "PNG")
    data = bytearray(out.getvalue())
    # IHDR starts at byte 8: length(4) type(4) width(4) height(4) …; its CRC follows the 13 bytes.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)
