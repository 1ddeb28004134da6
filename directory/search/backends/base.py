"""What every search backend provides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from directory.search.text import TextQuery

# Place filters as tokens: every group must match, by any one of its tokens.
PlaceTokens = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class NameMatch:
    therapist_id: int
    name: str
    similarity: float


class SearchBackend(Protocol):
    def text_match(
        self, docs: sa.Table, text: TextQuery, places: PlaceTokens = ()
    ) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]:
        """(anywhere, in_key_fields): documents holding every word anywhere, and those
        holding every word in the name, specialties, conditions, city or clinic.

        `places` repeats the search's place filters as tokens (search.place_tokens): a
        backend may add them to "anywhere" to let its index narrow early, or ignore them.
        """

    def vector_columns(self, docs: sa.Table) -> list:
        """Columns of `docs` that text_match reads and the model does not declare (a
        subquery over `docs` must select them for the match to apply to it)."""

    def id_counts(self, column) -> sa.Select:
        """(key, n): how many rows hold each id of a padded " 3 7 " column, as a select
        the caller completes with the rows' FROM (select_from)."""

    def similar_names(self, text: str, limit: int) -> list[NameMatch]:
        """Names whose trigram similarity to `text` is at least NAME_MATCH, best first."""

    def joined(self, expression, separator: str = " "):
        """An aggregate: the values of `expression` over its select's rows, joined by
        `separator` (NULL when there are none)."""

    # The full reindex (search.reindex), in the order it takes its steps.

    def act_for_all_clinics(self, connection: sa.Connection) -> None:
        """Let `connection` read and write every clinic's rows from now on, committed."""

    def create_shadow(self, connection: sa.Connection, live: str, shadow: str) -> None:
        """Create `shadow` empty, with the columns of `live`, ready for the bulk load."""

    def fill_connections(self) -> int:
        """How many connections fill the shadow at once."""

    def finish_shadow(self, connection: sa.Connection, live: str, shadow: str) -> None:
        """Give the loaded shadow what the live table has besides its rows, committed."""

    def hold_writers(self, connection: sa.Connection, live: str) -> None:
        """Make writers to `live` wait until this transaction ends (readers go on)."""

    def replace_live_table(self, connection: sa.Connection, live: str, shadow: str) -> None:
        """Make the fully built `shadow` table the live one, atomically."""

    def after_swap(self, engine: sa.Engine, live: str) -> None:
        """Whatever the new live table needs, once committed, to be searched at full speed."""
