"""The reference tables the demo draws on, read once from the database.

Cities, modalities, conditions, credential types and languages are loaded by migrations;
the demo never assumes their ids, only their GeoNames names, slugs and codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.demo.cities import DEMO_CITIES, DemoCity
from directory.demo.people import CultureMix
from directory.demo.vocabulary import (
    ConditionTerms,
    ModalityTerms,
    condition_terms,
    modality_terms,
)

FOUNDING_CITY = "Bangkok"
# The founding clinic stands in this Bangkok district (a GeoNames place of its own).
FOUNDING_DISTRICT = ("Bang Rak", "TH")


class ReferenceDataMissing(RuntimeError):
    """The reference tables are empty: the database has not been migrated."""


@dataclass(frozen=True)
class PlacedCity:
    demo: DemoCity
    id: int
    latitude: float
    longitude: float
    mix: CultureMix


@dataclass(frozen=True)
class CredentialKind:
    id: int
    code: str
    name: str
    typical_issuer: str


@dataclass(frozen=True)
class Reference:
    cities: tuple[PlacedCity, ...]
    founding_point: tuple[float, float]
    modality_ids: dict[str, int]
    modality_terms: dict[str, ModalityTerms]
    condition_ids: dict[str, int]
    condition_terms: dict[str, ConditionTerms]
    credentials: dict[str, CredentialKind]
    languages: dict[str, str]  # code -> name

    def city(self, name: str) -> PlacedCity:
        return next(city for city in self.cities if city.demo.name == name)


def load_reference(connection: sa.Connection) -> Reference:
    """Read the reference tables; raises ReferenceDataMissing if they were never loaded."""
    cities = _place_cities(connection)
    if not cities or FOUNDING_CITY not in {city.demo.name for city in cities}:
        raise ReferenceDataMissing(
            "The cities table has none of the demo cities; run `flask --app directory db upgrade`."
        )
    modalities = connection.execute(
        sa.text("SELECT id, slug, name FROM modalities ORDER BY id")
    ).all()
    conditions = connection.execute(
        sa.text("SELECT id, slug, name FROM conditions ORDER BY id")
    ).all()
    if not modalities or not conditions:
        raise ReferenceDataMissing(
            "The modalities or conditions table is empty; run `flask --app directory db upgrade`."
        )
    credentials = connection.execute(
        sa.text("SELECT id, code, name, typical_issuer FROM credential_types ORDER BY id")
    ).all()
    languages = connection.execute(sa.text("SELECT code, name FROM languages ORDER BY code")).all()
    bangkok = next(city for city in cities if city.demo.name == FOUNDING_CITY)
    return Reference(
        cities=tuple(cities),
        founding_point=_founding_point(connection, bangkok),
        modality_ids={row.slug: row.id for row in modalities},
        modality_terms={row.slug: modality_terms(row.slug, row.name) for row in modalities},
        condition_ids={row.slug: row.id for row in conditions},
        condition_terms={row.slug: condition_terms(row.slug, row.name) for row in conditions},
        credentials={row.code: CredentialKind(*row) for row in credentials},
        languages={row.code: row.name for row in languages},
    )


def _place_cities(connection: sa.Connection) -> list[PlacedCity]:
    """Each demo city matched to its most populous GeoNames row in the right region."""
    rows = connection.execute(
        sa.text(
            "SELECT id, name, country_code, admin1_code, latitude, longitude, population"
            " FROM cities WHERE name IN :names ORDER BY population DESC, id"
        ).bindparams(sa.bindparam("names", expanding=True)),
        {"names": sorted({city.name for city in DEMO_CITIES})},
    ).all()
    placed = []
    for city in DEMO_CITIES:
        candidates = [r for r in rows if r.name == city.name and r.country_code == city.country]
        exact = [r for r in candidates if r.admin1_code == city.admin1]
        match = (exact or candidates or [None])[0]
        if match is not None:
            placed.append(
                PlacedCity(
                    city, match.id, match.latitude, match.longitude, CultureMix(city.cultures)
                )
            )
    return placed


def _founding_point(connection: sa.Connection, bangkok: PlacedCity) -> tuple[float, float]:
    name, country = FOUNDING_DISTRICT
    row = connection.execute(
        sa.text(
            "SELECT latitude, longitude FROM cities WHERE name = :name AND country_code = :country"
            " ORDER BY population DESC LIMIT 1"
        ),
        {"name": name, "country": country},
    ).first()
    return (row.latitude, row.longitude) if row else (bangkok.latitude, bangkok.longitude)
