"""Values formatted for people: dates, ratings, distances, counts."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import Flask
from markupsafe import Markup, escape

from directory.core.urls import slug_urls

_URL = re.compile(r"https?://[^\s<>\"']+")


def month_year(value: date | datetime | None) -> str:
    """'March 2026'."""
    return value.strftime("%B %Y") if value else ""


def long_date(value: date | datetime | None) -> str:
    """'3 March 2026'."""
    return f"{value.day} {value.strftime('%B %Y')}" if value else ""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 review', '23 reviews'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def rating_summary(mean: float | None, count: int) -> str:
    """'4.6 ★ from 23 reviews', or 'No reviews yet'."""
    if not count or mean is None:
        return "No reviews yet"
    return f"{mean:.1f} ★ from {plural(count, 'review')}"


def distance(km: float | None) -> str:
    """'850 m', '3.2 km', '41 km'."""
    if km is None:
        return ""
    if km < 1:
        return f"{max(10, round(km * 1000, -1)):.0f} m"
    return f"{km:.1f} km" if km < 10 else f"{km:.0f} km"


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


def register(app: Flask) -> None:
    app.add_template_filter(month_year)
    app.add_template_filter(long_date)
    app.add_template_filter(distance)
    app.add_template_filter(linkify)
    app.add_template_global(plural)
    app.add_template_global(rating_summary)
    app.add_template_global(slug_urls)
