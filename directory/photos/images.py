"""Turning an upload into the only bytes we ever serve: two clean WebP renditions.

An upload is accepted only when Pillow decodes all of it as a JPEG, PNG or WebP image of
at most MAX_BYTES and MAX_PIXELS, with nothing after the image's end (a file that is an
image and something else at once, a "polyglot", is refused, not cleaned).  It is then
turned upright by its EXIF orientation, converted to sRGB and re-encoded from pixels
only: no EXIF (GPS included), no comments, no original byte survives.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
# The longest side of each rendition, in pixels; never enlarged.
LARGE_SIDE = 800
SMALL_SIDE = 240
WEBP_QUALITY = 82

UNREADABLE = (
    "This file is not a photo we can read. Upload a JPEG, PNG or WebP image"
    " (a file renamed to .jpg is still what it was)."
)
INCOMPLETE = "This photo is incomplete or damaged. Export it again and upload the new file."
TRAILING = (
    "This file holds something more after the image (some phones attach a video to"
    " 'motion photos'). Save it as a plain JPEG or PNG and upload that."
)


class ImageRefused(ValueError):
    """The upload is not an image we accept; the message says why, for people."""


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PreparedImage:
    large: Rendition
    small: Rendition


def prepare_upload(data: bytes) -> PreparedImage:
    """Check `data` is a whole, acceptable image and return its two WebP renditions.

    Raises ImageRefused with a message for people; never anything else for bad input.
    """
    if not data:
        raise ImageRefused("The file is empty. Choose a photo to upload.")
    if len(data) > MAX_BYTES:
        raise ImageRefused(
            f"This photo is {len(data) / 1024 / 1024:.1f} MB; the limit is"
            f" {MAX_BYTES // 1024 // 1024} MB. Export a smaller copy and upload that."
        )
    image_format, (width, height) = _probe(data)
    if width * height > MAX_PIXELS:
        raise ImageRefused(
            f"This photo is {width:,} by {height:,} pixels ({width * height / 1e6:.0f}"
            f" megapixels); the limit is {MAX_PIXELS // 1_000_000}. Export a smaller copy"
            " and upload that."
        )
    end = _image_end(image_format, data)
    if end is None:
        raise ImageRefused(INCOMPLETE)
    if data[end:].strip(b"\x00"):  # zero padding is harmless; anything else is not
        raise ImageRefused(TRAILING)
    return renditions(_decode(data))


def renditions(image: Image.Image, effort: int = 4) -> PreparedImage:
    """The large and small WebP renditions of an upright image, from its pixels only.

    `effort` is WebP's method, 0 (fastest) to 6 (smallest file)."""
    image = _to_srgb(image)
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    return PreparedImage(
        large=rendition(image, LARGE_SIDE, effort), small=rendition(image, SMALL_SIDE, effort)
    )


def _probe(data: bytes) -> tuple[str, tuple[int, int]]:
    """The real format and size, read from the header alone (nothing is decoded yet)."""
    try:
        with _open(data) as image:
            return image.format, image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ImageRefused(UNREADABLE) from None


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data), formats=FORMATS)


def _decode(data: bytes) -> Image.Image:
    """Every pixel decoded (a truncated file fails here), then turned upright."""
    try:
        with _open(data) as image:
            image.verify()  # structure and checksums, where the format has them
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _open(data)
            if image.format == "JPEG":
                # DCT scaling: a big JPEG decodes straight to about the size we keep.
                image.draft("RGB", (LARGE_SIDE * 2, LARGE_SIDE * 2))
            image.load()
            if getattr(image, "n_frames", 1) > 1:
                raise ImageRefused("Animated images are not accepted. Upload a still photo.")
            return ImageOps.exif_transpose(image)
    except ImageRefused:
        raise
    except (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError):
        raise ImageRefused(INCOMPLETE) from None
    except Image.DecompressionBombWarning:
        raise ImageRefused(UNREADABLE) from None


def _image_end(image_format: str, data: bytes) -> int | None:
    """Where the image's own structure says it ends; None when that end is missing."""
    # Pillow names a JPEG carrying more pictures after the first (phones' MPO) "MPO".
    find_end = {"JPEG": _jpeg_end, "MPO": _jpeg_end, "PNG": _png_end, "WEBP": _webp_end}
    end = find_end[image_format](data)
    return end if end is not None and end <= len(data) else None


def _jpeg_end(data: bytes) -> int | None:
    """Where the JPEG's end-of-image marker ends, walking its segments; None if absent."""
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:
            return at + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 2
            continue
        if at + 4 > len(data):
            return None
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            while at + 1 < len(data):
                if data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                at += 1
    return None


def _png_end(data: bytes) -> int | None:
    """Where the PNG's IEND chunk ends; None if absent."""
    at = 8
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        at += 12 + length
        if kind == b"IEND":
            return at
    return None


def _webp_end(data: bytes) -> int | None:
    """The end the RIFF header declares (a chunk of odd size is padded to even)."""
    if len(data) < 12 or data[:4] != b"RIFF":
        return None
    (size,) = struct.unpack("<I", data[4:8])
    return 8 + size + (size & 1)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels in sRGB, so dropping the embedded colour profile keeps the colours."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile: the pixels as they are


def rendition(image: Image.Image, side: int, effort: int = 4) -> Rendition:
    """One WebP rendition of an RGB(A) image, at most `side` pixels on its longest side."""
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "WEBP", quality=WEBP_QUALITY, method=effort)
    return Rendition(out.getvalue(), copy.width, copy.height)
