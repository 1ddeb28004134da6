"""Generated demo headshots: a soft gradient, a silhouette and the therapist's initials.

Drawn with Pillow (nothing is downloaded) and stored through the media storage as WebP,
one picture at the small size serving as both renditions.  The picture depends only on
the initials (its colours too), so a seed gives the same files, and each distinct
picture is drawn once per seed run: a 10,000-therapist seed draws about 500.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from directory.core import media_storage
from directory.demo.bulk import RowBatch
from directory.extensions import db
from directory.photos.images import SMALL_SIDE, PreparedImage, rendition

PHOTO_COLUMNS = (
    "id",
    "clinic_id",
    "kind",
    "therapist_id",
    "position",
    "alt_text",
    "large_name",
    "large_width",
    "large_height",
    "small_name",
    "small_width",
    "small_height",
    "uploaded_by_id",
    "created_at",
)
# The small rendition's size: a generated picture serves as both renditions.
SIDE = SMALL_SIDE
# WebP's fastest method: flat drawings compress well anyway, and a large seed draws hundreds.
EFFORT = 0
# (top, bottom) of each background: calm and distinct; the initials take the bottom colour.
PALETTES = (
    ((94, 129, 172), (52, 78, 112)),
    ((120, 144, 116), (62, 88, 70)),
    ((164, 120, 100), (104, 70, 58)),
    ((128, 112, 160), (74, 62, 104)),
    ((96, 140, 150), (46, 86, 98)),
    ((150, 128, 96), (98, 78, 52)),
)


def initials_of(name: str) -> str:
    words = name.split()
    return (words[0][0] + words[-1][0]).upper() if len(words) > 1 else name[:1].upper()


@lru_cache(maxsize=len(PALETTES))
def _background(palette: int) -> Image.Image:
    """The gradient and silhouette of a palette, drawn once per process."""
    top, bottom = PALETTES[palette]
    gradient = Image.linear_gradient("L").resize((SIDE, SIDE))
    image = Image.composite(
        Image.new("RGB", (SIDE, SIDE), bottom), Image.new("RGB", (SIDE, SIDE), top), gradient
    )
    pen = ImageDraw.Draw(image)
    tint = tuple(min(255, c + 40) for c in top)
    pen.ellipse((SIDE * 0.33, SIDE * 0.2, SIDE * 0.67, SIDE * 0.54), fill=tint)
    pen.rounded_rectangle(
        (SIDE * 0.17, SIDE * 0.6, SIDE * 0.83, SIDE * 1.1), radius=SIDE // 5, fill=tint
    )
    return image


def draw(initials: str, palette: int) -> Image.Image:
    image = _background(palette).copy()
    font = ImageFont.load_default(size=SIDE // 7)
    ImageDraw.Draw(image).text(
        (SIDE * 0.5, SIDE * 0.8), initials, fill=PALETTES[palette][1], font=font, anchor="mm"
    )
    return image


class HeadshotMaker:
    """Makes the headshot rows of one seed run, storing each distinct picture once."""

    def __init__(self, ids, created_at: datetime) -> None:
        self.ids = ids
        self.created_at = created_at
        self._stored: dict[str, tuple[PreparedImage, str, str]] = {}

    def add(self, therapist_id: int, clinic_id: int, name: str, batch: RowBatch) -> None:
        initials = initials_of(name)
        if initials not in self._stored:
            palette = hashlib.sha256(initials.encode()).digest()[0] % len(PALETTES)
            picture = rendition(draw(initials, palette), SIDE, EFFORT)
            name = media_storage.save(db.session(), picture.data, "webp")
            self._stored[initials] = (PreparedImage(picture, picture), name, name)
        prepared, large, small = self._stored[initials]
        batch.add(
            "photos",
            (
                self.ids.next("photos"),
                clinic_id,
                "headshot",
                therapist_id,
                0,
                "",
                large,
                prepared.large.width,
                prepared.large.height,
                small,
                prepared.small.width,
                prepared.small.height,
                None,
                self.created_at,
            ),
        )
