"""Therapist rows and everything hanging off a profile: specialties, languages, credentials."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from slugify import slugify

from directory.demo.bulk import IdAllocator, RowBatch
from directory.demo.clinics import ClinicFacts
from directory.demo.credentials import AccreditationMaker
from directory.demo.profiles import build_profile, pronouns
from directory.demo.reference import Reference
from directory.demo.reviews import ReviewedTherapist

THERAPIST_COLUMNS = (
    "id",
    "clinic_id",
    "slug",
    "name",
    "headline",
    "bio",
    "years_experience",
    "price_min",
    "price_max",
    "currency",
    "session_minutes",
    "accepting_new_clients",
    "does_not_treat",
    "is_published",
    "published_at",
    "deleted_at",
    "created_at",
    "updated_at",
)
MODALITY_LINK_COLUMNS = ("clinic_id", "therapist_id", "modality_id")
CONDITION_LINK_COLUMNS = ("clinic_id", "therapist_id", "condition_id")
LANGUAGE_LINK_COLUMNS = ("clinic_id", "therapist_id", "language_code")

PUBLISHED, DRAFT, DELETED = "published", "draft", "deleted"
ACCREDITATION_COUNTS = ((0, 1, 2, 3), (12, 55, 25, 8))


class TherapistMaker:
    """Makes one therapist at a time and adds its rows to a batch."""

    def __init__(
        self,
        rng: random.Random,
        ref: Reference,
        anchor: datetime,
        ids: IdAllocator,
        accreditations: AccreditationMaker,
        taken_slugs: set[str],
    ) -> None:
        self.rng = rng
        self.ref = ref
        self.anchor = anchor
        self.ids = ids
        self.accreditations = accreditations
        self.taken_slugs = taken_slugs
        self.next_suffix: dict[str, int] = {}

    def unique_slug(self, name: str, city_name: str) -> str:
        """The name's slug, else with the city, else numbered: readable and never reused."""
        base = slugify(name)[:100]
        for candidate in (base, f"{base}-{slugify(city_name)}"):
            if candidate not in self.taken_slugs:
                self.taken_slugs.add(candidate)
                return candidate
        number = self.next_suffix.get(base, 2)
        while f"{base}-{number}" in self.taken_slugs:
            number += 1
        self.next_suffix[base] = number + 1
        slug = f"{base}-{number}"
        self.taken_slugs.add(slug)
        return slug

    def make(self, clinic: ClinicFacts, status: str, batch: RowBatch) -> ReviewedTherapist:
        """A therapist of `clinic` in `status` (published, draft or deleted), rows in `batch`."""
        rng, anchor, ref = self.rng, self.anchor, self.ref
        therapist_id = self.ids.next("therapists")
        city = clinic.city
        person = city.mix.person(rng)
        profile = build_profile(
            rng, person, city, clinic.name, clinic.hood, clinic.focus, anchor.year, ref
        )
        slug = self.unique_slug(person.name, city.demo.name)

        if status == DRAFT:
            created = anchor - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 1439))
        else:
            created = anchor - timedelta(days=rng.randint(60, 1800), minutes=rng.randint(0, 1439))
        created = max(created, clinic.created_at + timedelta(days=1))
        published_at = deleted_at = None
        if status != DRAFT:
            published_at = created + timedelta(days=rng.randint(1, 14), minutes=rng.randint(0, 600))
        if status == DELETED:
            deleted_at = max(
                published_at + timedelta(days=1), anchor - timedelta(days=rng.randint(5, 200))
            )
        updated = max(t for t in (created, published_at, deleted_at) if t is not None)
        batch.add(
            "therapists",
            (
                therapist_id,
                clinic.id,
                slug,
                person.name,
                profile.headline,
                profile.bio,
                profile.years_experience,
                profile.price_min,
                profile.price_max,
                city.demo.style.currency,
                profile.session_minutes,
                rng.random() < 0.8,
                profile.does_not_treat,
                status == PUBLISHED,
                published_at,
                deleted_at,
                created,
                updated,
            ),
        )
        for slug_ in profile.modalities:
            batch.add("therapist_modalities", (clinic.id, therapist_id, ref.modality_ids[slug_]))
        for slug_ in profile.conditions:
            batch.add("therapist_conditions", (clinic.id, therapist_id, ref.condition_ids[slug_]))
        for code in profile.languages:
            batch.add("therapist_languages", (clinic.id, therapist_id, code))
        count = rng.choices(*ACCREDITATION_COUNTS)[0]
        for row in self.accreditations.for_therapist(therapist_id, clinic.id, city, count):
            batch.add("accreditations", row)

        return ReviewedTherapist(
            id=therapist_id,
            clinic_id=clinic.id,
            clinic_name=clinic.name,
            city=city,
            person=person,
            modalities=profile.modalities,
            conditions=profile.conditions,
            listed_at=published_at or created,
            quality=rng.gauss(0.0, 0.06),
            words=review_words(person.first, person.is_female, clinic.name, city.demo.name),
        )


def review_words(first: str, is_female: bool, clinic_name: str, city_name: str) -> dict[str, str]:
    """The placeholders every review of this therapist shares (see review_text)."""
    return {**pronouns(is_female), "first": first, "clinic": clinic_name, "city": city_name}
