"""Photos made small enough for a PDF attachment: five of them must fit under 2 MB.

WeasyPrint embeds a JPEG as it is (no re-encoding), so what we hand it is what the PDF weighs.
Stored photos are up to 2048 px (accounts.profiles.images); a card prints them a few
centimetres wide, where 1200 px on the long side at quality 80 is still sharp at 300 dpi.
"""

import io

from PIL import Image, ImageOps

PDF_PHOTO_MAX_SIDE = 1200
PDF_JPEG_QUALITY = 80
# A raster image already this small (both in pixels and bytes) is embedded untouched.
_PASS_THROUGH_BYTES = 400 * 1024
RASTER_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def downscale_photo(
    data: bytes, *, max_side: int = PDF_PHOTO_MAX_SIDE, quality: int = PDF_JPEG_QUALITY
) -> bytes:
    """`data` (any image Pillow reads) re-encoded as a JPEG at most `max_side` px on its long
    side, upright, without metadata. Raises PIL.UnidentifiedImageError for a non-image."""
    with Image.open(io.BytesIO(data)) as image:
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: a 4000x3000 photo is never
        # decoded at full size.
        image.draft("RGB", (max_side, max_side))
        # Bicubic with Pillow's reducing gap: Lanczos costs ~50 % more here for no visible
        # difference at print size. Turned upright once small (in place: no full-size copy).
        image.thumbnail((max_side, max_side))
        ImageOps.exif_transpose(image, in_place=True)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def fit_for_pdf(data: bytes, content_type: str) -> tuple[bytes, str]:
    """A raster image as the PDF should embed it; anything else (SVG, CSS) unchanged."""
    if content_type not in RASTER_TYPES:
        return data, content_type
    if len(data) <= _PASS_THROUGH_BYTES:
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) <= PDF_PHOTO_MAX_SIDE:
                return data, content_type
    return downscale_photo(data), "image/jpeg"
