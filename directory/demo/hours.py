"""Opening hours and holiday closures of the demo clinics, by local habit.

Thai massage shops open every day into the evening; clinics elsewhere keep weekday hours
with a shorter Saturday, German practices close for lunch, and some open on Sunday
afternoons.  Each clinic's pattern is drawn from a generator of its own (seeded by its
slug), so adding hours left every other row of a seed as it was.  Closures are the next
big local holiday: Songkran in Thailand, Christmas elsewhere.
"""

from __future__ import annotations

import random
from datetime import date, time

HOURS_COLUMNS = ("clinic_id", "weekday", "opens", "closes")
CLOSURE_COLUMNS = ("clinic_id", "starts_on", "ends_on", "note")


def _t(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def _week(*days: str) -> list[list[tuple[time, time]]]:
    """Seven days of "9:00-12:00, 13:00-18:00" (empty: closed), Monday first."""
    week = []
    for day in days:
        ranges = []
        for part in filter(None, (p.strip() for p in day.split(","))):
            opens, closes = part.split("-")
            ranges.append((_t(opens), _t(closes)))
        week.append(ranges)
    return week


THAI = [
    _week(*["10:00-22:00"] * 7),
    _week(*["9:00-21:00"] * 5, "9:00-22:00", "9:00-22:00"),
]
USUAL = [
    _week(*["9:00-20:00"] * 4, "9:00-18:00", "9:00-16:00", ""),
    _week(*["10:00-19:00"] * 5, "10:00-17:00", "12:00-16:00"),
    _week("", *["8:30-20:30"] * 4, "8:30-19:00", "9:00-15:00"),
]
LUNCH_BREAK = [
    _week(*["9:00-13:00, 14:00-19:00"] * 5, "10:00-14:00", ""),
]
BY_COUNTRY = {"TH": THAI, "DE": LUNCH_BREAK + USUAL[:1], "NL": USUAL + LUNCH_BREAK}
FOUNDING_WEEK = _week(*["10:00-21:00"] * 6, "11:00-19:00")


def _next_holiday(country: str, today: date) -> tuple[date, date, str]:
    if country == "TH":
        first, last, note = (4, 13), (4, 15), "Songkran (Thai New Year)"
    else:
        first, last, note = (12, 25), (12, 26), "Christmas"
    year = today.year if date(today.year, *last) >= today else today.year + 1
    return date(year, *first), date(year, *last), note


def clinic_hours(
    clinic_id: int, slug: str, country: str, today: date, *, founding: bool = False
) -> tuple[list[tuple], list[tuple]]:
    """(clinic_hours rows, clinic_closures rows) of one demo clinic."""
    rng = random.Random(f"hours:{slug}")
    week = FOUNDING_WEEK if founding else rng.choice(BY_COUNTRY.get(country, USUAL))
    hours = [
        (clinic_id, weekday, opens, closes)
        for weekday, ranges in enumerate(week)
        for opens, closes in ranges
    ]
    starts_on, ends_on, note = _next_holiday(country, today)
    return hours, [(clinic_id, starts_on, ends_on, note)]
