"""What the compare page shows: two to four listed therapists, side by side.

The page is addressed by its query string (`/compare?t=<slug>&t=<slug>`), so a comparison
can be bookmarked and shared; the visitor's own list lives in the session
(directory.public.compare_tray).  Ratings and credentials come from the same functions
the profile uses, so the two pages can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from directory.core.errors import BadParameter
from directory.core.geo import haversine_km
from directory.extensions import db
from directory.places.queries import find_city
from directory.public.therapist_profile import (
    PublicAccreditation,
    public_accreditations,
    rating_overview,
)
from directory.reviews.models import ASPECTS
from directory.reviews.ratings import RatingOverview
from directory.search.params import place
from directory.search.query import Place
from directory.taxonomy.models import Condition, Modality
from directory.therapists.models import Therapist
from directory.therapists.queries import listed

MIN_COMPARED = 2
MAX_COMPARED = 4
# Longer than any slug we issue: such a value can only be unknown (answered 404).
MAX_SLUG_LENGTH = 120
# More values than this is not a comparison but noise; refuse before touching the database.
MAX_VALUES = 20


class NotListed(LookupError):
    """A requested slug names no listed therapist."""

    def __init__(self, slug: str):
        super().__init__(slug)
        self.slug = slug


@dataclass(frozen=True)
class ComparedTherapist:
    therapist: Therapist
    rating: RatingOverview
    accreditations: list[PublicAccreditation]
    distance_km: float | None  # from the place asked for, None without one

    @property
    def slug(self) -> str:
        return self.therapist.slug


@dataclass(frozen=True)
class Comparison:
    """The therapists in the order asked for, and the rows they share."""

    therapists: list[ComparedTherapist]
    near: Place | None
    modalities: list[Modality]  # every modality at least one of them practises, by name
    conditions: list[Condition]  # likewise for conditions treated
    aspects: list[str]  # rating aspects at least one of them was rated on

    @property
    def slugs(self) -> list[str]:
        return [c.slug for c in self.therapists]

    @property
    def is_complete(self) -> bool:
        """Enough therapists to put side by side."""
        return len(self.therapists) >= MIN_COMPARED


def requested_slugs(values: list[str]) -> list[str]:
    """The slugs asked for, in order, blanks dropped and repeats collapsed.

    Raises BadParameter("t") for more than MAX_COMPARED distinct therapists.
    """
    if len(values) > MAX_VALUES:
        raise BadParameter("t", f"You can compare at most {MAX_COMPARED} therapists at a time.")
    slugs: list[str] = []
    for value in values:
        slug = value.strip().lower()
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_COMPARED:
        raise BadParameter(
            "t",
            f"You can compare at most {MAX_COMPARED} therapists at a time; "
            f"this link names {len(slugs)}.",
        )
    return slugs


def near_place(value: str | None) -> Place | None:
    """The place distances are measured from: a city slug or name, as the search takes it.

    Raises BadParameter("near") for a place we do not know.
    """
    text = (value or "").strip()
    if not text:
        return None
    city = find_city(text[:120])
    if city is None:
        raise BadParameter("near", f"We do not know a city called {text[:60]!r}.")
    return place(city)


def _listed_therapists(slugs: list[str]) -> dict[str, Therapist]:
    wanted = [slug for slug in slugs if len(slug) <= MAX_SLUG_LENGTH]
    if not wanted:
        return {}
    therapists = db.session.scalars(
        sa.select(Therapist)
        .where(Therapist.slug.in_(wanted), listed())
        .options(
            joinedload(Therapist.clinic),
            selectinload(Therapist.modalities),
            selectinload(Therapist.conditions),
            selectinload(Therapist.languages),
            selectinload(Therapist.headshot),
        )
    )
    return {therapist.slug: therapist for therapist in therapists}


def _distance(therapist: Therapist, near: Place | None) -> float | None:
    if near is None:
        return None
    clinic = therapist.clinic
    return haversine_km(near.latitude, near.longitude, clinic.latitude, clinic.longitude)


def comparison(slugs: list[str], near: Place | None = None) -> Comparison:
    """The listed therapists named by `slugs` (at most MAX_COMPARED, as requested_slugs
    returns them), with their ratings, checked credentials and distance from `near`.

    Raises NotListed for the first slug that names no listed therapist: a comparison
    never silently drops someone the link asked for.
    """
    found = _listed_therapists(slugs)
    for slug in slugs:
        if slug not in found:
            raise NotListed(slug)
    compared = [
        ComparedTherapist(
            therapist=found[slug],
            rating=rating_overview(found[slug]),
            accreditations=public_accreditations(found[slug]),
            distance_km=_distance(found[slug], near),
        )
        for slug in slugs
    ]
    modalities = {m.id: m for c in compared for m in c.therapist.modalities}
    conditions = {t.id: t for c in compared for t in c.therapist.conditions}
    rated = {aspect for c in compared for aspect in c.rating.aspects}
    return Comparison(
        therapists=compared,
        near=near,
        modalities=sorted(modalities.values(), key=lambda m: m.name),
        conditions=sorted(conditions.values(), key=lambda t: t.name),
        aspects=[aspect for aspect in ASPECTS if aspect in rated],
    )
