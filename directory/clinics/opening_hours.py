"""Opening hours: reading them as people write them, and "open now" in the clinic's zone.

Pure rules on plain values (no database): a week is seven lists of time ranges, Monday
first; a closure is a span of whole days (a holiday, a renovation) on which the clinic is
shut whatever the week says.  Times are wall-clock times in the clinic's own time zone,
so "9:00" stays 9:00 across a daylight-saving change; comparisons are made in UTC, because
Python compares two datetimes of the same zone by wall clock alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_RANGES_PER_DAY = 4
# How far ahead the next opening is looked for: past the longest closure anyone sets.
LOOK_AHEAD_DAYS = 400

_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*([ap]\.?m\.?)?"
EN_DASH = "\u2013"  # between the two ends of a range, as printed
_RANGE = re.compile(rf"^{_TIME}\s*(?:-|\u2013|\u2014|to)\s*{_TIME}$", re.IGNORECASE)
_BETWEEN_RANGES = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
_CLOSED = {"", "closed", "-", EN_DASH, "none"}


class HoursProblem(ValueError):
    """Hours that cannot be read or do not make sense; str() is written for people."""


@dataclass(frozen=True, order=True)
class TimeRange:
    opens: time
    closes: time

    def __str__(self) -> str:
        return f"{clock(self.opens)}{EN_DASH}{clock(self.closes)}"


@dataclass(frozen=True)
class Closure:
    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


Week = tuple[tuple[TimeRange, ...], ...]  # seven days, Monday first


def clock(moment: time) -> str:
    """'9:00', '17:30': the hour without a leading zero, as people write it."""
    return f"{moment.hour}:{moment.minute:02d}"


def _read_time(hour: str, minute: str | None, half: str | None) -> time:
    h, m = int(hour), int(minute or 0)
    if half:
        if not 1 <= h <= 12:
            raise HoursProblem(f"{hour} {half} is not a time: use 1 to 12 with am or pm.")
        h = h % 12 + (12 if half.lower().startswith("p") else 0)
    if h == 24 and m == 0:
        return time(23, 59)  # "until midnight": the last minute of the day
    if h > 23 or m > 59:
        raise HoursProblem(f"{hour}:{minute or '00'} is not a time of day.")
    return time(h, m)


def read_day(text: str) -> tuple[TimeRange, ...]:
    """The ranges in one day's text ("9:00-12:00, 13:00-17:30", "9am to 5pm"; empty or
    "closed" for a closed day), in order.  Raises HoursProblem: unreadable text, a range
    that closes before it opens, ranges that overlap, more than MAX_RANGES_PER_DAY."""
    text = " ".join((text or "").split())
    if text.lower() in _CLOSED:
        return ()
    ranges = []
    for part in _BETWEEN_RANGES.split(text):
        if not part:
            continue
        found = _RANGE.match(part)
        if found is None:
            raise HoursProblem(
                f"Could not read “{part}”. Write hours like 9:00{EN_DASH}17:00, "
                "several ranges separated by commas."
            )
        opens = _read_time(*found.group(1, 2, 3))
        closes = _read_time(*found.group(4, 5, 6))
        if closes <= opens:
            raise HoursProblem(f"{TimeRange(opens, closes)} closes before it opens.")
        ranges.append(TimeRange(opens, closes))
    return checked_ranges(ranges)


def checked_ranges(ranges: list[TimeRange]) -> tuple[TimeRange, ...]:
    """`ranges` in order; raises HoursProblem if any overlap or there are too many."""
    ranges = sorted(ranges)
    if len(ranges) > MAX_RANGES_PER_DAY:
        raise HoursProblem(f"Give at most {MAX_RANGES_PER_DAY} ranges a day.")
    for earlier, later in pairwise(ranges):
        if later.opens < earlier.closes:
            raise HoursProblem(f"{earlier} and {later} overlap.")
    return tuple(ranges)


def day_text(ranges: tuple[TimeRange, ...]) -> str:
    """One day as the console shows it for editing, and pages print it ('' when closed)."""
    return ", ".join(str(r) for r in ranges)


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone `name`, or None when it is empty or unknown here."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool
    # Local times: when an open clinic closes, and when a closed one next opens (None:
    # not within LOOK_AHEAD_DAYS).
    closes_at: datetime | None
    opens_at: datetime | None
    local_now: datetime

    def text(self) -> str:
        """'Open now, until 17:00', 'Opens Tuesday 9:00', 'Opens today 14:00'…"""
        if self.is_open:
            return f"Open now, until {clock(self.closes_at.time())}"
        if self.opens_at is None:
            return "Closed"
        return f"Opens {self.day_words(self.opens_at.date())} {clock(self.opens_at.time())}"

    def day_words(self, day: date) -> str:
        ahead = (day - self.local_now.date()).days
        if ahead == 0:
            return "today"
        if ahead == 1:
            return "tomorrow"
        if ahead < 7:
            return WEEKDAYS[day.weekday()]
        return f"{day.day} {day:%B}" + ("" if day.year == self.local_now.year else f" {day.year}")


def _at(day: date, moment: time, tz: ZoneInfo) -> datetime:
    # A time skipped by a spring-forward change moves later by the gap, as java.time does
    # (2:30 on that night is 3:30): astimezone() reads it with the offset before the change.
    return datetime.combine(day, moment, tzinfo=tz).astimezone(UTC)


def status_at(
    week: Week, closures: list[Closure], tz: ZoneInfo, now: datetime
) -> OpeningStatus | None:
    """Open or closed at `now` (aware), and until or from when; None for a week with no
    hours at all (the clinic has not said, which is not the same as always closed)."""
    if not any(week):
        return None
    now_utc = now.astimezone(UTC)
    local_now = now_utc.astimezone(tz)
    # The day before too: its ranges end before midnight, but a wall-clock day can
    # hold more or fewer than 24 hours.
    start = local_now.date() - timedelta(days=1)
    open_until = None
    for offset in range(LOOK_AHEAD_DAYS):
        day = start + timedelta(days=offset)
        if any(closure.covers(day) for closure in closures):
            continue
        for hours in week[day.weekday()]:
            opens, closes = _at(day, hours.opens, tz), _at(day, hours.closes, tz)
            if open_until is not None:
                if opens > open_until:  # a gap: closes at the end of the last range
                    return OpeningStatus(True, open_until.astimezone(tz), None, local_now)
                open_until = max(open_until, closes)  # ranges that touch run on
            elif opens <= now_utc < closes:
                open_until = closes
            elif now_utc < opens:
                return OpeningStatus(False, None, opens.astimezone(tz), local_now)
    if open_until is not None:
        return OpeningStatus(True, open_until.astimezone(tz), None, local_now)
    return OpeningStatus(False, None, None, local_now)
