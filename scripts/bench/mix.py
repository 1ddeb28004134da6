"""The query mix: realistic searches per category, drawn deterministically from the data.

Every value comes from the seeded database (the cities that have therapists, real names,
the specialties and languages in use), so the mix fits whatever `seed-demo` produced, and
the same seed gives the same URLs.  Reads search_documents and the reference tables only.
"""

from __future__ import annotations

import random
from itertools import product
from urllib.parse import urlencode

import sqlalchemy as sa

# Category names, in the order the report lists them.
TEXT_AND_CITY = "text + city"
TEXT_AND_DISTANCE = "text + distance (25 km)"
TEXT_ONLY = "text only"
FILTERS_ONLY = "filters only"
MISSPELT_NAME = "misspelt name"
BROAD_FACETS = "broad filters (facets)"
CATEGORIES = (
    TEXT_AND_CITY,
    TEXT_AND_DISTANCE,
    TEXT_ONLY,
    FILTERS_ONLY,
    MISSPELT_NAME,
    BROAD_FACETS,
)
# Searches that narrow by place: the tighter latency target applies to them.
LOCATION_CATEGORIES = (TEXT_AND_CITY, TEXT_AND_DISTANCE)

# What people type beside a place, and on its own.
PLACE_TEXTS = (
    "deep tissue",
    "sports massage",
    "thai massage",
    "lower back pain",
    "neck pain",
    "prenatal massage",
    "trigger point",
    "hot stone",
    "swedish massage",
    "sciatica",
    "myofascial release",
    "tension headaches",
)
FREE_TEXTS = (
    "upper back pain",
    "thai massage",
    "sports massage injury",
    "deep tissue upper back pain",
    "posture strain from sitting",
    "lymphatic drainage",
    "prenatal",
    "reflexology feet",
    "shiatsu stress",
    "trigger point neck pain",
    "upper back pain thai massage",
    "rmt deep tissue",
)
MIN_RATINGS = ("3.5", "4", "4.5")
TOP_CITIES = 12


def misspell(name: str, rng: random.Random) -> str:
    """`name` as someone types it with one slip: lower case, and in one word of four or
    more letters a letter dropped or two neighbouring letters swapped (never the first
    letter, which people rarely get wrong).  Always differs from name.lower().

    Raises ValueError when no word has four letters or more.
    """
    words = name.lower().split()
    candidates = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    if not candidates:
        raise ValueError(f"{name!r} has no word of four letters or more to misspell")
    index = rng.choice(candidates)
    word = words[index]
    swappable = [k for k in range(1, len(word) - 1) if word[k] != word[k + 1]]
    if swappable and rng.random() < 0.5:
        k = rng.choice(swappable)
        slipped = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    else:
        k = rng.randrange(1, len(word))
        slipped = word[:k] + word[k + 1 :]
    words[index] = slipped
    return " ".join(words)


def query_string(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs)


def _sample(rng: random.Random, items: list, count: int) -> list:
    return items if len(items) <= count else rng.sample(items, count)


def _scalars(connection: sa.Connection, sql: str, **params) -> list:
    return list(connection.execute(sa.text(sql), params).scalars())


def _big_cities(connection: sa.Connection) -> list[str]:
    return _scalars(
        connection,
        "SELECT c.slug FROM search_documents d JOIN cities c ON c.id = d.city_id"
        " GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT :n",
        n=TOP_CITIES,
    )


def _used(connection: sa.Connection, table: str, label: str, key: str, column: str, limit: int):
    """Slugs (or codes) of a taxonomy, the most used in documents first.

    Documents hold the keys space-padded (" 3 7 12 "), as the engine filters them.
    """
    return _scalars(
        connection,
        f"SELECT t.{label} FROM {table} t JOIN search_documents d"
        f" ON d.{column} LIKE '% ' || t.{key} || ' %'"
        f" GROUP BY t.{label} ORDER BY count(*) DESC, t.{label} LIMIT :n",
        n=limit,
    )


def _names(connection: sa.Connection, count: int) -> list[str]:
    """Names spread evenly over the documents (every k-th by id), misspellable ones only."""
    names = _scalars(connection, "SELECT name FROM search_documents ORDER BY therapist_id")
    usable = [n for n in names if any(len(w) >= 4 and w.isalpha() for w in n.lower().split())]
    step = max(1, len(usable) // count)
    return usable[::step][:count]


def build_mix(connection: sa.Connection, per_category: int = 48, seed: int = 1) -> dict:
    """{category: [query string, ...]} with up to `per_category` distinct searches each.

    `connection` must see every document (the owner acting for all clinics, or a role
    the public policies let read search_documents).
    """
    rng = random.Random(seed)
    cities = _big_cities(connection)
    modalities = _used(connection, "modalities", "slug", "id", "modality_ids", 12)
    conditions = _used(connection, "conditions", "slug", "id", "condition_ids", 8)
    languages = _used(connection, "languages", "code", "code", "language_codes", 6)
    if not cities:
        raise RuntimeError("the database has no search documents: run `search reindex` first")

    mix: dict[str, list[str]] = {}
    mix[TEXT_AND_CITY] = [
        query_string([("q", text), ("city", city)])
        for text, city in _sample(rng, list(product(PLACE_TEXTS, cities)), per_category)
    ]
    mix[TEXT_AND_DISTANCE] = [
        query_string([("q", text), ("near", city), ("radius_km", "25")])
        for text, city in _sample(rng, list(product(PLACE_TEXTS, cities)), per_category)
    ]
    variants = ([], [("sort", "rating")], [("page", "2")])
    mix[TEXT_ONLY] = [
        query_string([("q", text), *variant])
        for text, variant in _sample(rng, list(product(FREE_TEXTS, variants)), per_category)
    ]
    mix[FILTERS_ONLY] = [
        query_string([("specialty", slug), ("min_rating", rating), ("verified", "true")])
        for slug, rating in _sample(rng, list(product(modalities, MIN_RATINGS)), per_category)
    ]
    mix[MISSPELT_NAME] = [
        query_string([("q", misspell(name, rng))]) for name in _names(connection, per_category)
    ]
    broad = [
        [],
        [("accepting", "true")],
        [("verified", "true")],
        [("min_rating", "3")],
        *([("city", city)] for city in cities[:4]),
        *([("specialty", slug)] for slug in modalities),
        *([("condition", slug)] for slug in conditions),
        *([("language", code)] for code in languages),
        *([("specialty", slug), ("accepting", "true")] for slug in modalities[:6]),
    ]
    mix[BROAD_FACETS] = [query_string(pairs) for pairs in broad[:per_category]]
    return mix


def profile_slugs(connection: sa.Connection, count: int = 400) -> list[str]:
    """Slugs of listed therapists, spread evenly over the documents."""
    slugs = _scalars(connection, "SELECT slug FROM search_documents ORDER BY therapist_id")
    step = max(1, len(slugs) // count)
    return slugs[::step][:count]
