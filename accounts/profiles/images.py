"""Turns an uploaded photo into what we store: checked by content, decoded once, rotated upright,
EXIF dropped, re-encoded as a normalised JPEG plus a thumbnail.

Pillow does the work: `Image.open(formats=...)` identifies the file by its bytes (the name and
the declared content type are ignored), its decompression-bomb check and our lower pixel limit
refuse huge canvases from the header, before anything is decoded, and `load()` refuses truncated
files (`ImageFile.LOAD_TRUNCATED_IMAGES` stays False). Re-encoding without the `exif` argument is
what strips EXIF, GPS position included.

Memory is bounded, not just CPU: a decoded pixel costs 4 bytes (Pillow keeps RGB as RGBX), so the
pixel limit bounds the one full-size buffer we allow. JPEGs are decoded at 1/2, 1/4 or 1/8 scale
by libjpeg (`draft`) when we store them smaller; everything else is flattened and shrunk a band
of rows at a time, so no second full-size copy is ever made (no `convert`, no `exif_transpose`
copy, no premultiplied-alpha copy inside `resize`); the EXIF rotation is applied to the small
result. Peak memory per upload: `accounts/tests/test_photo_limits.py`.
"""

import io
import math
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageFile, UnidentifiedImageError

from ohmanager.exceptions import ApplicationError, InvalidInput

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 24 megapixels (6000x4000): a phone's or a camera's default photo (12-24 MP) still fits; one
# decoded copy is at most ~96 MB. Pillow's own limit is ~89 MP (it refuses outright at twice
# that); ours is checked from the header, right after it.
MAX_PIXELS = 24_000_000
# libwebp's decoder keeps two canvases of its own beside the frame it hands over and the image
# Pillow builds from it: ~16 bytes per pixel. 8.4 MP (a 4K frame, 3840x2160, fits) keeps that
# within the same memory budget as a 24 MP JPEG or PNG.
MAX_WEBP_PIXELS = 8_400_000
# A progressive (or multi-scan) JPEG is decoded through a buffer of all its DCT coefficients,
# 2 bytes per sample at full size whatever `draft` asks for: 144 MB for a 24 MP photo without
# chroma subsampling. Only a four-channel (CMYK) JPEG above ~18.7 MP goes past this.
MAX_JPEG_COEFFICIENT_BYTES = 150 * 1024 * 1024
NORMALISED_MAX_EDGE = 2048
THUMBNAIL_MAX_EDGE = 480
JPEG_QUALITY = 85
STORED_EXTENSION = "jpg"


class PayloadTooLarge(ApplicationError):
    status_code = 413
    code = "payload_too_large"
    default_message = "The upload is too large."


def photo_check_size(*, size: int | None) -> None:
    """Refuses a photo over MAX_UPLOAD_BYTES (the view also checks the body's declared length
    before parsing it, so a huge body is refused without being read)."""
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(
            f"A photo may be at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
            code="image_too_large",
        )


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _invalid(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, fields={"image": [message]})


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency is laid over white rather than turned black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """The size `Image.thumbnail((edge, edge))` would give: the aspect kept, rounded the same way,
    never larger than the original."""
    width, height = size
    if width <= edge and height <= edge:
        return size

    def round_aspect(number: float, key) -> int:
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    aspect = width / height
    if aspect <= 1:
        return round_aspect(edge * aspect, key=lambda n: abs(aspect - n / edge)), edge
    return edge, round_aspect(edge / aspect, key=lambda n: 0 if n == 0 else abs(aspect - edge / n))


# Rows flattened and shrunk at a time: 256 rows of a 6000-pixel-wide image are ~6 MB.
BAND_ROWS = 256


def _shrink_flat(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` flattened to RGB (see `_flatten`) and resized to `size` with Lanczos, without a
    second full-size copy: each band of rows is flattened and resampled across, into an image
    `size[0]` wide and as tall as the original; one vertical pass then gives `size`. Pillow's own
    resize runs the same two separable passes (across, then down), so the result is the same."""
    if size == image.size:
        return _flatten(image)
    width, height = image.size
    across = Image.new("RGB", (size[0], height))
    for top in range(0, height, BAND_ROWS):
        band = _flatten(image.crop((0, top, width, min(top + BAND_ROWS, height))))
        if band.width != size[0]:
            band = band.resize((size[0], band.height), Image.Resampling.LANCZOS)
        across.paste(band, (0, top))
    if height == size[1]:
        return across
    return across.resize(size, Image.Resampling.LANCZOS)


# EXIF orientation -> the transposition that turns the stored pixels upright (as
# `ImageOps.exif_transpose`, which would copy the full-size image; we turn the small one).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
EXIF_ORIENTATION = 0x0112


def _jpeg_coefficient_bytes(image: ImageFile.ImageFile) -> int:
    """What libjpeg allocates for the whole-image coefficient buffer, from the frame header:
    per component, its 8x8 blocks at its sampling factors, 64 samples of 2 bytes each."""
    layers = getattr(image, "layer", None) or []
    if not layers:
        return 0
    max_h = max(h for _, h, _, _ in layers) or 1
    max_v = max(v for _, _, v, _ in layers) or 1
    blocks = sum(
        math.ceil(image.width * h / (max_h * 8)) * math.ceil(image.height * v / (max_v * 8))
        for _, h, v, _ in layers
    )
    return blocks * 64 * 2


def _too_many_pixels(width: int, height: int, limit: int) -> InvalidInput:
    return _invalid(
        f"The image is too large ({width}x{height} pixels); "
        f"at most {limit / 1_000_000:g} megapixels.",
        "image_too_many_pixels",
    )


def _encode(image: Image.Image, icc_profile: bytes | None) -> bytes:
    out = io.BytesIO()
    # No `exif=`: the stored copy carries no EXIF. The ICC profile is colour, not personal data.
    image.save(
        out,
        format="JPEG",
        quality=JPEG_QUALITY,
        optimize=True,
        progressive=True,
        icc_profile=icc_profile,
    )
    return out.getvalue()


def photo_process(*, upload: IO[bytes]) -> ProcessedPhoto:
    """Raises InvalidInput (field `image`) for anything that is not a sound JPEG/PNG/WebP of
    acceptable size in pixels. The byte size is checked by the caller before this runs."""
    assert not ImageFile.LOAD_TRUNCATED_IMAGES, "truncated images must be refused"
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Between Pillow's limit and twice it, Pillow only warns: refuse those too. (Our own
            # limit below is far lower, so it holds even where this filter does not, e.g. when
            # another thread restores the warning filters meanwhile.)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=ACCEPTED_FORMATS) as opened:
                width, height = opened.size  # from the header: nothing is decoded yet
                limit = MAX_WEBP_PIXELS if opened.format == "WEBP" else MAX_PIXELS
                if width * height > limit:
                    raise _too_many_pixels(width, height, limit)
                if (
                    opened.format == "JPEG"
                    and _jpeg_coefficient_bytes(opened) > MAX_JPEG_COEFFICIENT_BYTES
                ):
                    # Counted for every JPEG: a "baseline" file may also carry several scans.
                    raise _invalid(
                        f"The image is too large ({width}x{height} pixels in "
                        f"{len(opened.layer)} channels); save it as an RGB JPEG.",
                        "image_too_many_pixels",
                    )
                stored_size = _fit(opened.size, NORMALISED_MAX_EDGE)
                if opened.format == "JPEG" and stored_size != opened.size:
                    # libjpeg decodes at the largest of 1/8, 1/4, 1/2 that is still at least
                    # the stored size: a quarter of the memory and less CPU per halving.
                    opened.draft(None, stored_size)
                opened.load()  # decodes everything; a truncated file fails here
                icc_profile = opened.info.get("icc_profile")
                # After `load()`: a PNG's eXIf chunk may follow the pixel data.
                upright = _UPRIGHT.get(opened.getexif().get(EXIF_ORIENTATION, 1))
                picture = _shrink_flat(opened, stored_size)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _invalid("The image has too many pixels.", "image_too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise _invalid(
            "The file is not a JPEG, PNG or WebP image.", "unsupported_image_type"
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Pillow reports damaged and truncated files with these.
        raise _invalid("The image file is damaged or incomplete.", "damaged_image") from error

    if upright is not None:  # before EXIF is dropped, on the small copy
        picture = picture.transpose(upright)
    thumb = picture.copy()
    thumb.thumbnail((THUMBNAIL_MAX_EDGE, THUMBNAIL_MAX_EDGE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=_encode(picture, icc_profile),
        thumbnail=_encode(thumb, icc_profile),
        width=picture.width,
        height=picture.height,
    )
