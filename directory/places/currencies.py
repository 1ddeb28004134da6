"""The currency each country's prices are given in.

A clinic's country is its city's; its therapists' prices default to that country's
currency (Babel's CLDR table of the currencies each territory uses today), so a clinic
in Bangkok prices in baht without being asked.
"""

from __future__ import annotations

from functools import lru_cache

from babel.numbers import get_territory_currencies

# For a territory CLDR knows no currency of (Antarctica, an unknown code).
FALLBACK_CURRENCY = "USD"


@lru_cache(maxsize=256)
def country_currency(country_code: str) -> str:
    """The ISO 4217 code of the currency in use in a country today: 'TH' -> 'THB'."""
    currencies = get_territory_currencies(country_code.upper()) if country_code else []
    return currencies[0] if currencies else FALLBACK_CURRENCY
