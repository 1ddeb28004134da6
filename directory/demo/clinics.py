"""Clinics: names a clinic would choose, local addresses and phone numbers, a short blurb.

Names follow local habits (Thai names in Bangkok, "Massothérapie" in Montréal,
"Massagepraxis" in Berlin) and the name decides the clinic's focus, which in turn shapes
what its therapists practise.  Websites and email addresses use the reserved `.example`
top-level domain, so no real business is ever linked.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from slugify import slugify

from directory.demo.credentials import fill_pattern
from directory.demo.profiles import FOCUS_PRIMARY
from directory.demo.reference import PlacedCity, Reference

CLINIC_COLUMNS = (
    "id",
    "slug",
    "name",
    "website",
    "booking_url",
    "phone",
    "email",
    "address",
    "postal_code",
    "city_id",
    "latitude",
    "longitude",
    "description",
    "is_active",
    "created_at",
    "updated_at",
)

WORDS = (
    "Still Water",
    "Cedar",
    "Willow",
    "North Star",
    "Evergreen",
    "Juniper",
    "Kindred",
    "Balance",
    "Restore",
    "Good Hands",
    "Lighthouse",
    "Bluebird",
    "Hearth",
    "Linden",
    "Alder",
    "Meridian",
    "Sage",
    "Fernleaf",
    "Tidewater",
    "Riverstone",
    "Quiet Oak",
    "Open Hand",
    "Mend",
    "Kinetic",
    "Align",
    "Unwind",
    "Thrive",
    "Root & Branch",
    "Slow Hands",
    "Daybreak",
)
THAI_WORDS = (
    "Sabai",
    "Sawasdee",
    "Chaba",
    "Mali",
    "Suan Dok",
    "Ruen Thai",
    "Sukjai",
    "Khunyai",
    "Baan Suan",
    "Saeng Dao",
    "Dok Kaew",
    "Jasmine",
    "Lotus",
    "Sabai Jai",
)
FRENCH_WORDS = (
    "Harmonie",
    "Équilibre",
    "Zénith",
    "Mieux-Être",
    "Oasis",
    "Sérénité",
    "Boréal",
    "Ressource",
    "L'Érable",
    "Détente",
)

# (pattern, focus, weight).  {hood} neighbourhood, {word} a brand word, {surname} the founder.
ENGLISH_NAMES = (
    ("{hood} Massage Therapy", "general", 6),
    ("{hood} Massage Clinic", "general", 4),
    ("{hood} Wellness {centre}", "wellness", 3),
    ("{hood} Sports Massage", "sports", 3),
    ("{hood} Therapeutic Massage", "rehab", 3),
    ("{hood} Bodywork", "general", 2),
    ("{word} Massage & Wellness", "wellness", 4),
    ("{word} Bodywork Studio", "general", 2),
    ("{word} Massage Collective", "general", 2),
    ("{word} Physio & Massage", "rehab", 3),
    ("{word} Sports Therapy", "sports", 2),
    ("{surname} Massage Therapy", "general", 3),
    ("{word} Remedial Massage", "rehab", 2),
    ("{hood} Thai Massage", "thai", 1),
    ("The {word} Clinic", "general", 2),
    ("{hood} Physio & Massage", "rehab", 2),
    ("{surname} & {partner} Massage Therapy", "general", 1),
)
THAI_NAMES = (
    ("{hood} Thai Massage", "thai", 5),
    ("Baan {thai} Thai Massage", "thai", 4),
    ("{thai} Massage & Spa", "wellness", 3),
    ("{hood} Traditional Thai Massage", "thai", 3),
    ("{thai} Health Massage", "thai", 2),
    ("{hood} Sports & Thai Massage", "sports", 2),
    ("{word} Physio & Massage", "rehab", 1),
)
FRENCH_NAMES = (
    ("Massothérapie {hood}", "general", 5),
    ("Clinique de massothérapie {french}", "rehab", 3),
    ("Massothérapie sportive {hood}", "sports", 2),
    ("Espace {french} massothérapie", "wellness", 3),
    ("Centre de massothérapie {surname}", "general", 2),
)
GERMAN_NAMES = (
    ("Massagepraxis {hood}", "general", 5),
    ("Praxis für Massage {surname}", "general", 3),
    ("{word} Massage Studio", "wellness", 2),
    ("Sportmassage {hood}", "sports", 2),
    ("Physio & Massage {hood}", "rehab", 2),
    ("Thai Massage {hood}", "thai", 1),
)
DUTCH_NAMES = (
    ("Massagepraktijk {hood}", "general", 5),
    ("Sportmassage {hood}", "sports", 2),
    ("{word} Massage Studio", "wellness", 2),
    ("Massagepraktijk {surname}", "general", 2),
)
NAMES_BY_LANGUAGE = {"th": THAI_NAMES, "fr": FRENCH_NAMES, "de": GERMAN_NAMES, "nl": DUTCH_NAMES}

KINDS = {
    "thai": "traditional Thai massage clinic",
    "sports": "sports and remedial massage clinic",
    "rehab": "clinical massage therapy practice",
    "wellness": "calm massage and wellness studio",
    "general": "massage therapy clinic",
}
EXTRAS = (
    "Evening and weekend appointments are available.",
    "We are two minutes' walk from the nearest station.",
    "Wheelchair accessible, with a ground-floor treatment room.",
    "Gift cards are available at the front desk.",
    "Please arrive five minutes early for your first visit.",
    "Free parking behind the building.",
)
INSURANCE = "Receipts are accepted by most extended health plans."
EMAIL_NAMES = ("hello", "info", "frontdesk", "bookings", "contact")


@dataclass(frozen=True)
class ClinicFacts:
    """What therapist and review generation needs to know about a clinic."""

    id: int
    name: str
    city: PlacedCity
    hood: str
    focus: str
    created_at: datetime


class ClinicMaker:
    """Makes clinic rows with globally unique names and slugs."""

    def __init__(
        self,
        rng: random.Random,
        ref: Reference,
        anchor: datetime,
        taken_names: set[str],
        taken_slugs: set[str],
    ) -> None:
        self.rng = rng
        self.ref = ref
        self.anchor = anchor
        self.taken_names = taken_names
        self.taken_slugs = taken_slugs
        self.city_cumulative = list(accumulate(city.demo.weight for city in ref.cities))

    def pick_city(self) -> PlacedCity:
        return self.rng.choices(self.ref.cities, cum_weights=self.city_cumulative)[0]

    def make(self, clinic_id: int) -> tuple[tuple, ClinicFacts]:
        """One clinic row, in a city drawn by weight, and the facts its therapists need."""
        rng = self.rng
        city = self.pick_city()
        demo = city.demo
        hood = rng.choice(demo.neighbourhoods)
        street = rng.choice(demo.streets)
        patterns = NAMES_BY_LANGUAGE.get(demo.language, ENGLISH_NAMES)
        pattern, focus, _ = rng.choices(patterns, [weight for *_, weight in patterns])[0]
        base = pattern.format(
            hood=hood,
            word=rng.choice(WORDS),
            thai=rng.choice(THAI_WORDS),
            french=rng.choice(FRENCH_WORDS),
            surname=city.mix.person(rng).last,
            partner=city.mix.person(rng).last,
            centre=demo.style.centre_spelling,
        )
        name = self._unique_name(base, city, hood, street)
        self.taken_names.add(name)
        slug = self._unique_slug(slugify(name)[:110], city)
        latitude, longitude = self._near(city.latitude, city.longitude)
        created_at = self.anchor - timedelta(
            days=rng.randint(1900, 2900), minutes=rng.randint(0, 1439)
        )
        compact = slug.replace("-", "")[:40]
        website = "" if rng.random() < 0.08 else f"https://www.{compact}.example"
        row = (
            clinic_id,
            slug,
            name,
            website,
            f"{website}/book" if website else "",
            fill_pattern(rng, demo.phone),
            f"{rng.choice(EMAIL_NAMES)}@{compact}.example",
            self._address(city, street),
            fill_pattern(rng, rng.choice(demo.postcodes)),
            city.id,
            latitude,
            longitude,
            self._description(name, city, hood, focus),
            True,
            created_at,
            created_at + timedelta(days=rng.randint(0, 400)),
        )
        return row, ClinicFacts(clinic_id, name, city, hood, focus, created_at)

    def _unique_name(self, base: str, city: PlacedCity, hood: str, street: str) -> str:
        """`base`, else told apart as a business would: by area, city, then street."""
        candidates = [base]
        if hood not in base:
            candidates.append(f"{base} {hood}")
        if city.demo.name not in base:
            candidates.append(f"{base} {city.demo.name}")
        on = " on " if city.demo.language == "en" else " "
        candidates.append(f"{base}{on}{street}")
        for candidate in candidates:
            if candidate not in self.taken_names:
                return candidate
        number = 2
        while f"{base} {number}" in self.taken_names:
            number += 1
        return f"{base} {number}"

    def _unique_slug(self, base: str, city: PlacedCity) -> str:
        slug = base
        if slug in self.taken_slugs:
            slug = f"{base}-{slugify(city.demo.name)}"
        number = 2
        while slug in self.taken_slugs:
            slug = f"{base}-{number}"
            number += 1
        self.taken_slugs.add(slug)
        return slug

    def _near(self, latitude: float, longitude: float) -> tuple[float, float]:
        """A point up to about 3 km from the city centre, where clinics actually are."""
        rng = self.rng
        d_lat = rng.uniform(-0.027, 0.027)
        d_lon = rng.uniform(-0.027, 0.027) / max(0.2, math.cos(math.radians(latitude)))
        return round(latitude + d_lat, 6), round(longitude + d_lon, 6)

    def _address(self, city: PlacedCity, street: str) -> str:
        """A street address written the way the country writes it."""
        rng = self.rng
        demo = city.demo
        if demo.style.number_after_street:
            return f"{street} {rng.randint(1, 180)}"
        if demo.country == "TH":
            return f"{rng.randint(1, 250)}/{rng.randint(1, 40)} {street}"
        number = rng.randint(1, 2400)
        if rng.random() < 0.25:
            unit = rng.randint(101, 420)
            if demo.language == "fr":
                return f"{number} {street}, bureau {unit}"
            return (
                f"{'Suite' if demo.country in ('CA', 'US') else 'Unit'} {unit}, {number} {street}"
            )
        return f"{number} {street}"

    def _description(self, name: str, city: PlacedCity, hood: str, focus: str) -> str:
        rng = self.rng
        offered = [
            self.ref.modality_terms[slug].phrase
            for slug, _ in FOCUS_PRIMARY[focus]
            if slug in self.ref.modality_terms
        ][:3]
        sentences = [f"{name} is a {KINDS[focus]} in {hood}, {city.demo.name}."]
        if offered:
            listed = ", ".join(offered[:-1]) + (" and " if len(offered) > 1 else "") + offered[-1]
            sentences.append(
                f"Our therapists offer {listed}, adjusted to what your body needs that day."
            )
        sentences.extend(rng.sample(EXTRAS, rng.randint(0, 2)))
        if city.demo.country in ("CA", "US") and rng.random() < 0.5:
            sentences.append(INSURANCE)
        return " ".join(sentences)
