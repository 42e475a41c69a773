"""Images for the photo tests, made in memory: sound ones, with EXIF and GPS, and bad ones."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

EXIF_ORIENTATION = 0x0112
EXIF_GPS_IFD = 0x8825
EXIF_MAKE = 0x010F


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (640, 480),
    *,
    color: tuple[int, ...] = (200, 30, 30),
    mode: str = "RGB",
    gps: bool = False,
    orientation: int | None = None,
) -> bytes:
    image = Image.new(mode, size, color)
    exif = Image.Exif()
    if gps:
        exif[EXIF_MAKE] = "PhoneCo"
        # Seoul City Hall: what must never leave the server.
        exif[EXIF_GPS_IFD] = {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 41.0)}
    if orientation is not None:
        exif[EXIF_ORIENTATION] = orientation
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if len(exif) else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real 1-bit PNG of width x height black pixels: ~50 MB of pixel data that deflates to
    tens of kilobytes, 400 megapixels once decoded as RGB."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte + packed bits
    rows_per_block = 500
    assert height % rows_per_block == 0
    block = row * rows_per_block
    compressor = zlib.compressobj(9)
    compressed = (
        b"".join(compressor.compress(block) for _ in range(height // rows_per_block))
        + compressor.flush()
    )
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", compressed)
        + png_chunk(b"IEND", b"")
    )
