"""Finding cities by what people type."""

from __future__ import annotations

import sqlalchemy as sa

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
