"""Finding cities by what people type."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from rapidfuzz import fuzz, process

from directory.extensions import db
from directory.places.models import City


def find_city(text: str) -> City | None:
    """The city a person means by 'Toronto', 'london, ca', a slug, or 'Name, Region, CC'.

    Several cities share a name; the most populous wins unless a country code (or region
    code) after a comma narrows it.
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None
    by_slug = db.session.scalar(sa.select(City).where(City.slug == parts[0].lower()))
    if by_slug is not None and len(parts) == 1:
        return by_slug
    query = sa.select(City).where(sa.func.lower(City.name) == parts[0].lower())
    for qualifier in parts[1:]:
        code = qualifier.upper()
        query = query.where(sa.or_(City.country_code == code, City.admin1_code == code))
    return db.session.scalar(query.order_by(City.population.desc(), City.id).limit(1))


def city_label(city: City) -> str:
    return f"{city.name}, {city.country_code}"


# How alike (0-100, rapidfuzz's ratio) a city's name must be to what was typed to be
# offered, and how many are offered.
SIMILAR_CITY_SCORE = 75
SIMILAR_CITIES = 3


@dataclass(frozen=True)
class CityName:
    """A city as a suggestion: `label` ("Seattle, US") is what find_city reads it by."""

    name: str
    label: str
    population: int


def similar_cities(typed: str, limit: int = SIMILAR_CITIES) -> list[CityName]:
    """The cities whose names are spelt most like `typed` ("Seatle": Seattle), best first;
    of names equally alike, the more populous first.  No query: the names are read once
    per process (reference data, written by migrations only)."""
    names = _city_names()
    folded = _fold(typed.split(",")[0])
    if not folded:
        return []
    found = process.extract(
        folded, list(names), scorer=fuzz.ratio, limit=limit * 4, score_cutoff=SIMILAR_CITY_SCORE
    )
    # Scores within a few points are equally good spellings; then size decides.
    found.sort(key=lambda match: (-round(match[1] / 5), -names[match[0]].population))
    return [names[key] for key, _score, _index in found[:limit]]


def _city_names() -> dict[str, CityName]:
    """The most populous city of each name, by its name folded (lower case, no accents)."""
    loaded = current_app.extensions.get("city_names")
    if loaded is None:
        loaded = {}
        rows = db.session.execute(
            sa.select(City.name, City.country_code, City.population).order_by(
                City.population.desc(), City.id
            )
        )
        for name, country_code, population in rows:
            loaded.setdefault(_fold(name), CityName(name, f"{name}, {country_code}", population))
        current_app.extensions["city_names"] = loaded
    return loaded


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
