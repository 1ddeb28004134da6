"""The opening-hours rules on plain values: reading what people write, and "open now"
in the clinic's own time zone (midnight, closed days, closures, split days, DST)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from directory.clinics.opening_hours import (
    EN_DASH,
    Closure,
    HoursProblem,
    TimeRange,
    day_text,
    read_day,
    status_at,
    zone,
)

TORONTO = ZoneInfo("America/Toronto")
BANGKOK = ZoneInfo("Asia/Bangkok")


def r(opens: str, closes: str) -> TimeRange:
    return TimeRange(time.fromisoformat(opens), time.fromisoformat(closes))


def week(monday=(), tuesday=(), wednesday=(), thursday=(), friday=(), saturday=(), sunday=()):
    return (monday, tuesday, wednesday, thursday, friday, saturday, sunday)


WEEKDAYS_9_TO_5 = week(*[(r("09:00", "17:00"),)] * 5)
SPLIT = week(*[(r("09:00", "12:00"), r("13:00", "18:00"))] * 7)


def at(tz: ZoneInfo, *args) -> datetime:
    """A local wall-clock moment, given to the rule as UTC (as the server's clock is)."""
    return datetime(*args, tzinfo=tz).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00-17:00", "9:00~17:00"),
        ("09.00 \u2013 17.30", "9:00~17:30"),
        ("9am to 5pm", "9:00~17:00"),
        ("13:00-18:00, 9-12", "9:00~12:00, 13:00~18:00"),
        ("9:00-12:00 and 12:00-15:00", "9:00~12:00, 12:00~15:00"),
        ("10:00-24:00", "10:00~23:59"),
        ("", ""),
        ("Closed", ""),
    ],
)
def test_hours_are_read_as_people_write_them(text, expected):
    assert day_text(read_day(text)) == expected.replace("~", EN_DASH)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("17:00-9:00", "17:00~9:00 closes before it opens."),
        ("9:00-9:00", "closes before it opens"),
        ("9:00-13:00, 12:00-15:00", "9:00~13:00 and 12:00~15:00 overlap."),
        ("25:00-26:00", "is not a time of day"),
        ("13pm-2pm", "use 1 to 12 with am or pm"),
        ("mornings", "Could not read “mornings”"),
        ("8-9, 10-11, 12-13, 14-15, 16-17", "at most 4 ranges"),
    ],
)
def test_hours_that_make_no_sense_are_refused_with_a_reason(text, message):
    with pytest.raises(HoursProblem, match=message.replace("~", EN_DASH)):
        read_day(text)


def test_open_inside_a_range_and_says_until_when():
    status = status_at(WEEKDAYS_9_TO_5, [], TORONTO, at(TORONTO, 2026, 3, 2, 10, 0))
    assert status.is_open
    assert status.text() == "Open now, until 17:00"


def test_before_opening_it_says_today_and_after_closing_tomorrow():
    morning = status_at(WEEKDAYS_9_TO_5, [], TORONTO, at(TORONTO, 2026, 3, 2, 7, 30))
    assert (morning.is_open, morning.text()) == (False, "Opens today 9:00")
    evening = status_at(WEEKDAYS_9_TO_5, [], TORONTO, at(TORONTO, 2026, 3, 2, 17, 0))
    assert (evening.is_open, evening.text()) == (False, "Opens tomorrow 9:00")


def test_closed_days_are_skipped_to_the_next_opening_by_weekday_name():
    friday_night = at(TORONTO, 2026, 3, 6, 20, 0)
    assert status_at(WEEKDAYS_9_TO_5, [], TORONTO, friday_night).text() == "Opens Monday 9:00"


def test_midnight_belongs_to_the_new_day():
    # 23:59 Monday and 0:00 Tuesday in Bangkok, which is UTC+7: the UTC date differs.
    late = status_at(WEEKDAYS_9_TO_5, [], BANGKOK, at(BANGKOK, 2026, 3, 2, 23, 59))
    assert late.text() == "Opens tomorrow 9:00"
    midnight = status_at(WEEKDAYS_9_TO_5, [], BANGKOK, at(BANGKOK, 2026, 3, 3, 0, 0))
    assert midnight.text() == "Opens today 9:00"
    until_midnight = week(*[(r("18:00", "23:59"),)] * 7)
    open_late = status_at(until_midnight, [], BANGKOK, at(BANGKOK, 2026, 3, 2, 23, 30))
    assert open_late.text() == "Open now, until 23:59"


def test_a_lunch_break_closes_the_clinic_between_ranges():
    lunch = status_at(SPLIT, [], TORONTO, at(TORONTO, 2026, 3, 2, 12, 30))
    assert (lunch.is_open, lunch.text()) == (False, "Opens today 13:00")
    morning = status_at(SPLIT, [], TORONTO, at(TORONTO, 2026, 3, 2, 11, 0))
    assert morning.text() == "Open now, until 12:00"


def test_ranges_that_touch_run_on():
    touching = week((r("09:00", "12:00"), r("12:00", "15:00")))
    status = status_at(touching, [], TORONTO, at(TORONTO, 2026, 3, 2, 10, 0))
    assert status.text() == "Open now, until 15:00"


def test_a_holiday_closure_shuts_the_clinic_and_moves_the_next_opening():
    christmas = [Closure(date(2026, 12, 24), date(2026, 12, 28))]
    on_the_day = status_at(WEEKDAYS_9_TO_5, christmas, TORONTO, at(TORONTO, 2026, 12, 24, 10))
    assert on_the_day.is_open is False
    assert on_the_day.text() == "Opens Tuesday 9:00"  # 29 December
    far = [Closure(date(2026, 7, 1), date(2026, 8, 31))]
    summer = status_at(WEEKDAYS_9_TO_5, far, TORONTO, at(TORONTO, 2026, 7, 1, 10))
    assert summer.text() == "Opens 1 September 9:00"


def test_daylight_saving_keeps_the_wall_clock_hours():
    # Toronto springs forward on Sunday 8 March 2026 and falls back on 1 November.
    every_day = week(*[(r("09:00", "17:00"),)] * 7)
    spring = datetime(2026, 3, 8, 13, 30, tzinfo=UTC)  # 9:30 EDT (8:30 by winter time)
    assert status_at(every_day, [], TORONTO, spring).text() == "Open now, until 17:00"
    autumn = datetime(2026, 11, 1, 13, 30, tzinfo=UTC)  # 8:30 EST (9:30 by summer time)
    assert status_at(every_day, [], TORONTO, autumn).text() == "Opens today 9:00"
    # A time in the hour the clocks skip moves later by the gap: 2:30 is 3:30 that night.
    night = week(*[(r("02:30", "05:00"),)] * 7)
    landed = datetime(2026, 3, 8, 7, 5, tzinfo=UTC)  # 3:05 EDT
    assert status_at(night, [], TORONTO, landed).text() == "Opens today 3:30"
    assert status_at(night, [], TORONTO, datetime(2026, 3, 8, 7, 35, tzinfo=UTC)).is_open


def test_no_hours_at_all_say_nothing_and_unknown_zones_are_none():
    assert status_at(week(), [], TORONTO, datetime.now(UTC)) is None
    assert zone("") is None
    assert zone("Mars/Olympus_Mons") is None
    assert zone("Asia/Bangkok") == BANGKOK
