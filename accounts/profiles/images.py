"""Turns an uploaded photo into what we store: checked by content, decoded once, rotated upright,
EXIF dropped, re-encoded as a normalised JPEG plus a thumbnail.

Pillow does the work: `Image.open(formats=...)` identifies the file by its bytes (the name and
the declared content type are ignored), its decompression-bomb check and our lower pixel limit
refuse huge canvases before anything is decoded, and `load()` refuses truncated files
(`ImageFile.LOAD_TRUNCATED_IMAGES` stays False). Re-encoding without the `exif` argument is what
strips EXIF, GPS position included.
"""

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from ohmanager.exceptions import ApplicationError, InvalidInput

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 50 megapixels: above any phone's default photo, far below a bomb (Pillow's own default
# limit is ~89 MP, and it refuses outright at twice that).
MAX_PIXELS = 50_000_000
NORMALISED_MAX_EDGE = 2048
THUMBNAIL_MAX_EDGE = 480
JPEG_QUALITY = 85
STORED_EXTENSION = "jpg"
STORED_CONTENT_TYPE = "image/jpeg"


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
            # Between Pillow's limit and twice it, Pillow only warns: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=ACCEPTED_FORMATS) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise _invalid(
                        f"The image is too large ({opened.width}x{opened.height} pixels).",
                        "image_too_many_pixels",
                    )
                opened.load()  # decodes everything; a truncated file fails here
                icc_profile = opened.info.get("icc_profile")
                upright = ImageOps.exif_transpose(opened)  # before EXIF is dropped
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _invalid("The image has too many pixels.", "image_too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise _invalid(
            "The file is not a JPEG, PNG or WebP image.", "unsupported_image_type"
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Pillow reports damaged and truncated files with these.
        raise _invalid("The image file is damaged or incomplete.", "damaged_image") from error

    picture = _flatten(upright)
    picture.thumbnail((NORMALISED_MAX_EDGE, NORMALISED_MAX_EDGE), Image.Resampling.LANCZOS)
    thumb = picture.copy()
    thumb.thumbnail((THUMBNAIL_MAX_EDGE, THUMBNAIL_MAX_EDGE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=_encode(picture, icc_profile),
        thumbnail=_encode(thumb, icc_profile),
        width=picture.width,
        height=picture.height,
    )
