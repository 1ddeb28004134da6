"""Pagination shared by every list page."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

from flask import request

from directory.core.errors import BadParameter

T = TypeVar("T")

MAX_PAGE = 10_000


def page_number(parameter: str = "page") -> int:
    """The requested page (1 if absent); a 400 naming the parameter if it is not usable."""
    raw = request.args.get(parameter, "1").strip() or "1"
    # isdigit() alone accepts "²" and other digits int() refuses.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_PAGE))) or not (
        1 <= int(raw) <= MAX_PAGE
    ):
        raise BadParameter(parameter, f"must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages
