"""Photos of a public filing: the type read from the content (JPEG, PNG, HEIC), at most
PHOTO_BYTES, decoded by Pillow (a file it cannot decode is refused) and re-encoded as JPEG
without any metadata (GPS position, camera, time), so nothing but the pixels is kept."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from citizens.models import Photo, PublicFiling
from common.errors import Invalid

PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONG_SIDE = 2560


def sniff(head: bytes) -> str | None:
    """The image type by its first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"heim",
        b"heis",
    ):
        return "heic"
    return None


def clean_image(data: bytes) -> tuple[bytes, int, int]:
    """The photo re-encoded as JPEG without metadata, and its size; Invalid naming ``file``."""
    from PIL import Image, ImageOps

    if not data:
        raise Invalid({"file": _("required: choose a photo")})
    if len(data) > PHOTO_BYTES:
        raise Invalid({"file": _("at most 10 MB")})
    kind = sniff(data[:16])
    if kind is None:
        raise Invalid({"file": _("not a JPEG, PNG or HEIC photo")})
    if kind == "heic":
        try:
            from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

            register_heif_opener()
        except ImportError:
            raise Invalid({"file": _("HEIC photos are not accepted here: send a JPEG")}) from None
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            turned = ImageOps.exif_transpose(opened) or opened
            image = turned.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise Invalid({"file": _("the photo cannot be read: send another one")}) from None
    image.thumbnail((LONG_SIDE, LONG_SIDE))
    out = io.BytesIO()
    # A new image has no info: no EXIF, no XMP, no ICC profile, no comment.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


def read_upload(upload: Any) -> tuple[bytes, int, int]:
    """An uploaded file checked and cleaned (``clean_image``)."""
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_BYTES:
        raise Invalid({"file": _("at most 10 MB")})
    return clean_image(upload.read(PHOTO_BYTES + 1))


def photo_store(filing: PublicFiling, upload: Any) -> Photo:
    return photo_save(filing, *read_upload(upload))


def photo_save(filing: PublicFiling, cleaned: bytes, width: int, height: int) -> Photo:
    digest = hashlib.sha256(cleaned).hexdigest()
    photo = Photo(
        filing=filing,
        content_type="image/jpeg",
        size=len(cleaned),
        width=width,
        height=height,
        sha256=digest,
    )
    photo.file.save(f"{digest[:32]}.jpg", ContentFile(cleaned), save=False)
    photo.save()
    return photo
