"""Place tokens: a document's city and map cell in its PostgreSQL search vector, so a text
search narrowed to a place is narrowed inside the GIN index.  They are redundant with the
city and coordinate filters, so they must never change a result."""

from __future__ import annotations

from math import floor

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from directory.core.geo import bounding_box
from directory.extensions import db
from directory.search import filters, place_tokens
from directory.search.models import SearchDocument
from tests.search.conftest import run, slugs

TEXT_AND_PLACE = [
    {"q": "massage", "city": "toronto"},
    {"q": "deep tissue", "city": ["toronto", "bangkok"]},
    {"q": "back pain", "city": "bangkok"},
    {"q": "massage", "near": "toronto", "radius_km": "25"},
    {"q": "massage", "near": "toronto", "radius_km": "5"},
    {"q": "sports", "near": "montreal", "radius_km": "50"},
    {"q": "massage", "city": "toronto", "near": "toronto", "radius_km": "10"},
    {"q": "massage -thai", "near": "bangkok", "radius_km": "50", "sort": "distance"},
    {"q": "jon wintertime", "city": "bangkok"},
]


@pytest.mark.parametrize("args", TEXT_AND_PLACE, ids=lambda args: str(args))
def test_tokens_never_change_a_result(directory, monkeypatch, args):
    narrowed = run(args)
    monkeypatch.setattr(filters, "_place_tokens", lambda query, box: ())
    plain = run(args)
    assert (narrowed.total, slugs(narrowed), narrowed.facets) == (
        plain.total,
        slugs(plain),
        plain.facets,
    )


@pytest.mark.postgres
def test_every_document_holds_its_city_and_cell_as_python_writes_them(directory):
    rows = db.session.execute(
        sa.select(SearchDocument.city_id, SearchDocument.latitude, SearchDocument.longitude)
    ).all()
    assert rows
    vector = sa.literal_column("search_documents.search_vector")
    for city_id, latitude, longitude in rows:
        city, cell = place_tokens.city_token(city_id), place_tokens.cell_token(latitude, longitude)
        tokens = f"'{city}' & '{cell}'"
        held = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SearchDocument)
            .where(
                SearchDocument.city_id == city_id,
                SearchDocument.latitude == latitude,
                vector.op("@@")(sa.cast(tokens, sa.dialects.postgresql.TSQUERY)),
            )
        )
        assert held >= 1, (city_id, latitude, longitude)


@pytest.mark.postgres
def test_a_typed_token_matches_nothing(directory):
    city_id = db.session.scalar(sa.select(SearchDocument.city_id).limit(1))
    assert run(q=place_tokens.city_token(city_id)).total == run(q=f"city {city_id}").total


@given(
    latitude=st.floats(min_value=-80, max_value=80),
    longitude=st.floats(min_value=-170, max_value=170),
    km=st.sampled_from([5, 10, 25, 50]),
    bearing=st.tuples(st.floats(0, 1), st.floats(0, 1)),
)
def test_the_cells_of_a_box_hold_every_point_inside_it(latitude, longitude, km, bearing):
    south, north, west, east = bounding_box(latitude, longitude, km)
    cells = place_tokens.cells_covering(south, north, west, east)
    if cells is None:  # too many: the coordinate filters alone decide
        assert (floor(north * 2) - floor(south * 2) + 1) * (
            floor(east * 2) - floor(west * 2) + 1
        ) > place_tokens.MAX_CELLS
        return
    inside = (south + (north - south) * bearing[0], west + (east - west) * bearing[1])
    assert place_tokens.cell_token(*inside) in cells


def test_cells_are_half_degrees_and_negative_coordinates_round_down():
    assert place_tokens.cell_token(43.65, -79.38) == "@cell:87:-159"
    assert place_tokens.cell_token(-0.1, 0.0) == "@cell:-1:0"
    assert place_tokens.cells_covering(43.4, 43.9, -79.6, -79.1) == [
        "@cell:86:-160",
        "@cell:86:-159",
        "@cell:87:-160",
        "@cell:87:-159",
    ]
    assert place_tokens.cells_covering(-60, 60, -170, 170) is None
