"""Reading the query parameters of the API's own endpoints, driven by their declarations.

The search endpoint reads its parameters with directory.search.params, as the search page
does; the rest read theirs here.  Every unusable value raises BadParameter naming the
parameter (a 400 with a JSON error).
"""

from __future__ import annotations

from collections.abc import Set

from werkzeug.datastructures import MultiDict

from directory.core.errors import BadParameter
from directory.search.params import QueryParameter


def refuse_unknown(args: MultiDict, allowed: Set[str]) -> None:
    """A 400 for the first (alphabetically) parameter that is not in `allowed`."""
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise BadParameter(unknown[0][:60], "is not a parameter of this endpoint")


def single(args: MultiDict, name: str) -> str | None:
    """The one value of `name` (None if absent or empty)."""
    values = [value.strip() for value in args.getlist(name) if value.strip()]
    if len(values) > 1:
        raise BadParameter(name, "may be given only once")
    return values[0] if values else None


def whole_number(args: MultiDict, parameter: QueryParameter) -> int:
    """An integer between the parameter's minimum and maximum, or its default."""
    raw = single(args, parameter.name)
    if raw is None:
        return int(parameter.default)
    low, high = int(parameter.minimum), int(parameter.maximum)
    # isdigit() alone admits "²" and thousands of digits, which int() refuses.
    plain = raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))
    if not plain or not low <= int(raw) <= high:
        raise BadParameter(parameter.name, f"must be a whole number from {low} to {high}")
    return int(raw)


def choice(args: MultiDict, parameter: QueryParameter) -> str:
    """One of the parameter's choices, or its default."""
    raw = single(args, parameter.name)
    if raw is None:
        return str(parameter.default)
    if raw not in parameter.choices:
        raise BadParameter(
            parameter.name, "must be one of " + ", ".join(map(str, parameter.choices))
        )
    return raw
