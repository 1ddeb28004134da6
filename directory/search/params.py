"""Reading a search from a query string: the page and the API share every rule here.

Empty values mean "not set" (an HTML form sends every field).  Anything unusable raises
BadParameter naming the parameter, which the app answers as a 400.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import MultiDict

from directory.core.errors import BadParameter
from directory.extensions import db
from directory.places.models import City
from directory.places.queries import find_city, similar_cities
from directory.search import synonyms, text
from directory.search.query import (
    DEFAULT_PER_PAGE,
    DEFAULT_RADIUS_KM,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_VALUES,
    RADII_KM,
    SORTS,
    Place,
    SearchQuery,
    Term,
)
from directory.taxonomy.models import Condition, Language, Modality


@dataclass(frozen=True)
class QueryParameter:
    """One query-string parameter: what it means and which values it takes.

    Written for people (the description) and for machines: the API's OpenAPI document is
    built from these, so what it documents is what the parser below accepts.
    """

    name: str
    description: str
    type: str = "string"  # string | integer | number | boolean
    repeatable: bool = False
    choices: tuple[str | int, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: str | int | bool | None = None


SEARCH_PARAMETERS = (
    QueryParameter(
        "q",
        "Words to look for in names, specialties, conditions, clinic and city names, profiles"
        ' and reviews: every word must match; "quoted phrases" and -excluded words work; other'
        f" punctuation is ignored. The first {text.MAX_TEXT_LENGTH} characters are used.",
    ),
    QueryParameter(
        "specialty",
        "A modality the therapist practises, by slug or name (case-insensitive). Repeat it"
        " for several: a therapist must practise all of them.",
        repeatable=True,
    ),
    QueryParameter(
        "condition",
        "A condition the therapist treats, by slug or name (case-insensitive). Repeat it for"
        " several: a therapist must treat all of them.",
        repeatable=True,
    ),
    QueryParameter(
        "city",
        "A city, by slug or name (case-insensitive; 'London, CA' picks a country or region)."
        " Repeat it for several: a therapist in any of them matches.",
        repeatable=True,
    ),
    QueryParameter(
        "near",
        "A city to measure distance from, by slug or name; only therapists within radius_km"
        " match, and sort=distance orders by it.",
    ),
    QueryParameter(
        "radius_km",
        "How far from `near` to look, in kilometres.",
        type="integer",
        choices=RADII_KM,
        default=DEFAULT_RADIUS_KM,
    ),
    QueryParameter(
        "min_rating",
        "Only therapists whose average published rating is at least this.",
        type="number",
        minimum=1,
        maximum=5,
    ),
    QueryParameter(
        "verified",
        "true: only therapists with a credential our moderators verified"
        " (1/0, yes/no and on/off work too).",
        type="boolean",
        default=False,
    ),
    QueryParameter(
        "language",
        "A language the therapist speaks, by ISO 639-1 code or name (case-insensitive)."
        " Repeat it for several: a therapist must speak all of them.",
        repeatable=True,
    ),
    QueryParameter(
        "accepting",
        "true: only therapists accepting new clients (1/0, yes/no and on/off work too).",
        type="boolean",
        default=False,
    ),
    QueryParameter(
        "sort",
        "The order of the results: relevance (best match, then rating), rating (Bayesian"
        " score), reviews (number of published reviews) or distance (needs `near`;"
        " without it, relevance).",
        choices=tuple(SORTS),
        default="relevance",
    ),
    QueryParameter(
        "page",
        "Which page of results, from 1.",
        type="integer",
        minimum=1,
        maximum=MAX_PAGE,
        default=1,
    ),
    QueryParameter(
        "per_page",
        f"Results per page, at most {MAX_PER_PAGE}; a larger value is refused (400), not"
        " silently reduced.",
        type="integer",
        minimum=1,
        maximum=MAX_PER_PAGE,
        default=DEFAULT_PER_PAGE,
    ),
)
# The names parse_search reads; with strict=True every other name is an error.
PARAMETERS = tuple(parameter.name for parameter in SEARCH_PARAMETERS)
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _values(args: MultiDict, name: str) -> list[str]:
    values = [v.strip() for v in args.getlist(name) if v.strip()]
    if len(values) > MAX_VALUES:
        raise BadParameter(name, f"may be given at most {MAX_VALUES} times")
    return values


def _single(args: MultiDict, name: str) -> str | None:
    values = _values(args, name)
    if len(values) > 1:
        raise BadParameter(name, "may be given only once")
    return values[0] if values else None


def _whole_number(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = _single(args, name)
    if raw is None:
        return default
    # isdigit() alone admits "²" and thousands of digits, both of which int() refuses.
    plain = raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))
    if not plain or not low <= int(raw) <= high:
        raise BadParameter(name, f"must be a whole number from {low} to {high}")
    return int(raw)


def _flag(args: MultiDict, name: str) -> bool:
    raw = _single(args, name)
    if raw is None or raw.lower() in FALSE:
        return False
    if raw.lower() in TRUE:
        return True
    raise BadParameter(name, "must be true or false")


def _lookup(terms: Mapping[str, Term], args: MultiDict, name: str, noun: str) -> tuple:
    chosen: list[Term] = []
    for value in _values(args, name):
        term = terms.get(value.casefold())
        if term is None:
            raise BadParameter(name, f"there is no {noun} called {value[:60]!r}")
        if term not in chosen:
            chosen.append(term)
    return tuple(chosen)


class UnknownPlace(BadParameter):
    """A `near` or `city` that names no city we know, with the cities spelt most like it
    ("Seatle": Seattle, US): the API answers 400 with them, the page offers them."""

    def __init__(self, parameter: str, typed: str):
        self.typed = typed
        self.similar = similar_cities(typed)
        super().__init__(
            parameter,
            f"we do not know a city called {typed!r}",
            tuple(city.label for city in self.similar),
        )


PLACES_REMEMBERED = 1000
_PLACES_LOCK = threading.Lock()  # gthread workers serve requests on several threads


def term_index(model) -> dict[str, Term]:
    """Every term of a taxonomy, findable by slug or name, case-insensitively.

    Reference data: written by migrations only, so read once per application process.
    """
    loaded = current_app.extensions.setdefault("search_terms", {})
    if model.__tablename__ not in loaded:
        loaded[model.__tablename__] = _load_terms(model)
    return loaded[model.__tablename__]


def _load_terms(model) -> dict[str, Term]:
    index: dict[str, Term] = {}
    if model is Language:
        rows = db.session.execute(sa.select(Language.code, Language.code, Language.name))
    else:
        rows = db.session.execute(sa.select(model.id, model.slug, model.name))
    for key, slug, name in rows:
        term = Term(key, slug, name)
        index[slug.casefold()] = index[name.casefold()] = term
    return index


def place(city: City) -> Place:
    return Place(city.id, city.slug, city.name, city.country_code, city.latitude, city.longitude)


def find_place(typed: str) -> Place | None:
    """The city a person means (places.queries.find_city), as a Place.

    Cities are reference data, written by migrations only, so each application process
    remembers the last PLACES_REMEMBERED answers: most searches name a handful of cities.
    """
    remembered: OrderedDict = current_app.extensions.setdefault("search_places", OrderedDict())
    with _PLACES_LOCK:
        if typed in remembered:
            remembered.move_to_end(typed)
            return remembered[typed]
    # PostgreSQL refuses a NUL in a text parameter; no city name has one.
    city = find_city(typed) if "\x00" not in typed else None
    found = place(city) if city is not None else None
    with _PLACES_LOCK:
        remembered[typed] = found
        if len(remembered) > PLACES_REMEMBERED:
            remembered.popitem(last=False)
    return found


def places_by_id(ids: set[int]) -> dict[int, Place]:
    """The cities of `ids` as Places; each process reads a city once (reference data),
    so the city facet of a repeated or widened search costs no query."""
    known: dict[int, Place] = current_app.extensions.setdefault("search_city_places", {})
    missing = ids - known.keys()
    if missing:
        for city in db.session.scalars(sa.select(City).where(City.id.in_(missing))):
            known[city.id] = place(city)
    return {key: known[key] for key in ids if key in known}


def _places(args: MultiDict, name: str) -> tuple[Place, ...]:
    chosen: list[Place] = []
    for value in _values(args, name):
        found = find_place(value[:120])
        if found is None:
            raise UnknownPlace(name, value[:60])
        if found not in chosen:
            chosen.append(found)
    return tuple(chosen)


def _min_rating(args: MultiDict) -> float | None:
    raw = _single(args, "min_rating")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 1.0 <= value <= 5.0:
        raise BadParameter("min_rating", "must be a number from 1 to 5")
    return value


def parse_search(args: MultiDict, *, strict: bool = False) -> SearchQuery:
    """The search the query string asks for.

    strict: unknown parameter names are an error too (the API); a page ignores them, so
    links carrying tracking parameters still work.
    """
    if strict:
        unknown = sorted(set(args) - set(PARAMETERS))
        if unknown:
            raise BadParameter(unknown[0], "is not a parameter of this endpoint")
    sort = _single(args, "sort") or "relevance"
    if sort not in SORTS:
        raise BadParameter("sort", "must be one of " + ", ".join(SORTS))
    near = _places(args, "near")
    if len(near) > 1:
        raise BadParameter("near", "may name only one place")
    radius = _whole_number(args, "radius_km", DEFAULT_RADIUS_KM, 1, max(RADII_KM))
    if radius not in RADII_KM:
        raise BadParameter("radius_km", "must be one of " + ", ".join(map(str, RADII_KM)))
    return SearchQuery(
        text=synonyms.expand(text.parse(_single(args, "q")), synonyms.synonym_groups()),
        modalities=_lookup(term_index(Modality), args, "specialty", "specialty"),
        conditions=_lookup(term_index(Condition), args, "condition", "condition"),
        languages=_lookup(term_index(Language), args, "language", "language"),
        cities=_places(args, "city"),
        near=near[0] if near else None,
        radius_km=radius,
        min_rating=_min_rating(args),
        verified=_flag(args, "verified"),
        accepting=_flag(args, "accepting"),
        sort=sort,
        page=_whole_number(args, "page", 1, 1, MAX_PAGE),
        per_page=_whole_number(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )
