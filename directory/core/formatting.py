"""Values formatted for people: dates, ratings, distances, counts, prices.

Numbers and dates follow the reader's locale: the first of SUPPORTED_LOCALES their
browser's Accept-Language asks for (`reader_locale`), else DEFAULT_LOCALE.  The words
around them stay English.  Stored shared pages are named with the locale they were
formatted for (`public/page_cache.py`), so a page is never served to a reader of another.
"""

from __future__ import annotations

import re
from copy import copy
from datetime import date, datetime
from functools import lru_cache

from babel import Locale, negotiate_locale
from babel.dates import format_date, get_month_names
from babel.numbers import NumberPattern, format_decimal, format_percent, parse_pattern
from flask import Flask, Response, has_request_context, request
from markupsafe import Markup, escape
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from directory.core.urls import slug_urls

_URL = re.compile(r"https?://[^\s<>\"']+")

SUPPORTED_LOCALES = ("en", "en_CA", "en_GB", "fr", "fr_CA", "de", "th")
DEFAULT_LOCALE = "en"
_CANONICAL = {name.lower(): name for name in SUPPORTED_LOCALES}
_MOST_LANGUAGES_READ = 12  # of a header a client may make as long as it likes
_LONGEST_HEADER = 500


def reader_locale() -> str:
    """The supported locale this request's reader prefers; DEFAULT_LOCALE outside a
    request (emails from a worker) or when they ask for none we support."""
    if not has_request_context():
        return DEFAULT_LOCALE
    return _negotiate(request.headers.get("Accept-Language", "")[:_LONGEST_HEADER])


@lru_cache(maxsize=512)  # a page formats many values; readers send few distinct headers
def _negotiate(header: str) -> str:
    preferred = []
    for language in parse_accept_header(header, LanguageAccept).values():
        if language != "*":
            preferred.append(language.replace("-", "_"))
        if len(preferred) == _MOST_LANGUAGES_READ:
            break
    chosen = negotiate_locale(preferred, SUPPORTED_LOCALES, sep="_")
    return _CANONICAL.get((chosen or "").lower(), DEFAULT_LOCALE)


# A page formats the same few counts, ratings and months many times, and Babel parses its
# pattern and locale on every call: remember recent answers (values are plain numbers).
@lru_cache(maxsize=4096)
def _decimal(value: int | float, pattern: str, locale: str) -> str:
    return format_decimal(value, pattern, locale=locale)


@lru_cache(maxsize=1024)
def _date(value: date, pattern: str, locale: str) -> str:
    return format_date(value, pattern, locale=locale)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def number(value: int | float | None) -> str:
    """'11,981' (or '11 981', '11.981': the reader's grouping)."""
    return "" if value is None else _decimal(value, "#,##0", reader_locale())


def rating(value: float | None) -> str:
    """A mean rating with one decimal: '4.6' (or '4,6')."""
    return "" if value is None else _decimal(value, "0.0", reader_locale())


def share(value: float | None) -> str:
    """A fraction as a percentage with one decimal: '12.5%'; a dash when unknown."""
    return "—" if value is None else format_percent(value, "#,##0.0%", locale=reader_locale())


def price(amount: int | None, currency: str) -> str:
    """A whole amount of a currency as the reader writes money: 'CA$90' for 'en', '90 $'
    for 'fr_CA', '฿1,200' for 'th'.  Prices are kept in whole units, so no decimals."""
    if amount is None:
        return ""
    locale = reader_locale()
    return _whole_money_pattern(locale).apply(
        amount, locale, currency=currency, currency_digits=False
    )


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def _whole_money_pattern(locale: str) -> NumberPattern:
    pattern = copy(parse_pattern(Locale.parse(locale).currency_formats["standard"]))
    pattern.frac_prec = (0, 0)
    return pattern


def month_names() -> list[tuple[int, str]]:
    """The months of the year in the reader's language: [(1, 'January'), ...]."""
    names = get_month_names("wide", context="stand-alone", locale=reader_locale())
    return [(month, names[month]) for month in range(1, 13)]


def month_year(value: date | datetime | None) -> str:
    """'March 2026'."""
    return _date(_day(value).replace(day=1), "LLLL y", reader_locale()) if value else ""


def long_date(value: date | datetime | None) -> str:
    """'3 March 2026'."""
    return _date(_day(value), "d MMMM y", reader_locale()) if value else ""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 review', '1,234 reviews'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{number(count)} {word}"


def rating_summary(mean: float | None, count: int) -> str:
    """'4.6 ★ from 23 reviews', or 'No reviews yet'."""
    if not count or mean is None:
        return "No reviews yet"
    return f"{rating(mean)} ★ from {plural(count, 'review')}"


def distance(km: float | None) -> str:
    """'850 m', '3.2 km', '11,981 km'."""
    if km is None:
        return ""
    locale = reader_locale()
    if km < 1:
        return f"{_decimal(max(10, round(km * 1000, -1)), '#,##0', locale)} m"
    pattern = "0.0" if km < 10 else "#,##0"
    return f"{_decimal(km if km < 10 else round(km), pattern, locale)} km"


def linkify(text: str) -> Markup:
    """Escape text and turn http(s) URLs in it into links (for plain-text emails)."""
    pieces, last = [], 0
    for match in _URL.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        url = escape(match.group(0))
        pieces.append(Markup(f'<a href="{url}">{url}</a>'))
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def vary_on_language(response: Response) -> Response:
    """A page's numbers depend on Accept-Language: tell any cache between us and the reader."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
    return response


def register(app: Flask) -> None:
    app.add_template_filter(month_year)
    app.add_template_filter(long_date)
    app.add_template_filter(distance)
    app.add_template_filter(linkify)
    app.add_template_filter(number)
    app.add_template_filter(rating)
    app.add_template_filter(share)
    app.add_template_global(price)
    app.add_template_global(plural)
    app.add_template_global(rating_summary)
    app.add_template_global(slug_urls)
    app.after_request(vary_on_language)
