"""Place tokens: each document's city and map cell, as words no query can type.

PostgreSQL adds them to a document's search vector (migration 0007), so that a text
search narrowed to a city or a distance asks the GIN index for the words *and* the place
at once.  The index then intersects the place's short list of documents with the long
lists of common words ("deep" and "tissue" are each in a third of all documents) instead
of reading those whole: "deep tissue" in Bangkok went from 11.5 ms to 1.4 ms at 100,000
therapists, within 25 km of Chiang Mai from 20.6 ms to 1.4 ms.

The city and coordinate filters apply exactly as before; the tokens only let the index
apply them early, so no result can change.  A token starts with "@" and holds ":", which
the text search parser splits on, so typed words never produce one.
"""

from __future__ import annotations

from math import floor

# Map cells are 1 / CELLS_PER_DEGREE degrees on a side; migration 0007 writes
# floor(latitude * 2) and floor(longitude * 2) into each document's vector.
CELLS_PER_DEGREE = 2
# More cells than this (a huge radius, or near a pole) and the tokens would cost more than
# they save: the coordinate filters alone decide.
MAX_CELLS = 36


def city_token(city_id: int) -> str:
    return f"@city:{city_id}"


def cell_token(latitude: float, longitude: float) -> str:
    """The token of the cell holding the point, as the migration's expression writes it."""
    return f"@cell:{_cell(latitude)}:{_cell(longitude)}"


def cells_covering(south: float, north: float, west: float, east: float) -> list[str] | None:
    """The tokens of every cell the box touches; None when there would be too many."""
    rows = range(_cell(south), _cell(north) + 1)
    columns = range(_cell(west), _cell(east) + 1)
    if len(rows) * len(columns) > MAX_CELLS:
        return None
    return [f"@cell:{row}:{column}" for row in rows for column in columns]


def _cell(degrees: float) -> int:
    return floor(degrees * CELLS_PER_DEGREE)
