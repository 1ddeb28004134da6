"""Files to upload: real photos made with Pillow, and files that only pretend to be."""

from __future__ import annotations

import io

from PIL import ExifTags, Image, ImageDraw

# Where the camera says the photo was taken (Toronto), and the camera's name.
LATITUDE = (43.0, 39.0, 7.5)
LONGITUDE = (79.0, 23.0, 2.0)
CAMERA = "Sample Camera 3000"


def photo(size: tuple[int, int] = (1200, 900), colour=(200, 120, 80)) -> Image.Image:
    image = Image.new("RGB", size, colour)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, size[0] // 3, size[1] // 3), fill=(20, 60, 160))  # top-left mark
    return image


def jpeg_with_gps(size: tuple[int, int] = (1200, 900), orientation: int = 6) -> bytes:
    """A real JPEG with GPS coordinates, a camera name and an orientation in its EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: LONGITUDE,
    }
    out = io.BytesIO()
    photo(size).save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def png(size: tuple[int, int] = (640, 480), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (90, 160, 120) if mode == "RGB" else 0).save(out, "PNG")
    return out.getvalue()


def plain_jpeg(size: tuple[int, int] = (640, 480), colour=(200, 120, 80)) -> bytes:
    out = io.BytesIO()
    photo(size, colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


# A JPEG with a ZIP archive after its end: opens as a photo and as an archive.
JPEG_WITH_ZIP = plain_jpeg() + b"PK\x03\x04" + b"\x14\x00" * 40 + b"PK\x05\x06" + b"\x00" * 18
# A PNG with a script after IEND: a browser sniffing it might run the script.
PNG_WITH_HTML = png() + b"<html><script>alert(document.cookie)</script></html>"
# HTML that starts like a GIF: an "image" that is a web page.
HTML_WITH_IMAGE_HEADER = b"GIF89a/*\x00\x00*/=1;<script>alert(1)</script>"
TEXT_FILE = b"These are my notes, not a photo.\nSee you on Tuesday.\n"


def truncated_jpeg() -> bytes:
    data = plain_jpeg((1600, 1200))
    return data[: len(data) // 2]


def truncated_png() -> bytes:
    data = png((800, 600))
    return data[: len(data) - 40]


def fifty_megapixel_png() -> bytes:
    """10,000 x 5,000 pixels of one colour: a tiny file that would decode to 50 MP."""
    out = io.BytesIO()
    Image.new("L", (10_000, 5_000), 0).save(out, "PNG")
    return out.getvalue()
