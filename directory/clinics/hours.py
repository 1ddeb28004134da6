"""A clinic's opening hours and closures: reading, replacing, and "open now".

Services flush; the view commits.  The rules themselves (reading hours as people write
them, open or closed at a moment) are in clinics.opening_hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from directory.clinics.models import Clinic, ClinicClosure, ClinicHours
from directory.clinics.opening_hours import (
    Closure,
    HoursProblem,
    OpeningStatus,
    TimeRange,
    Week,
    checked_ranges,
    status_at,
)
from directory.extensions import db

MAX_NOTE_LENGTH = 120


def week_of(clinic: Clinic) -> Week:
    """The clinic's weekly hours, Monday first; a day without ranges is closed."""
    days: list[list[TimeRange]] = [[] for _ in range(7)]
    for weekday, opens, closes in db.session.execute(
        sa.select(ClinicHours.weekday, ClinicHours.opens, ClinicHours.closes)
        .where(ClinicHours.clinic_id == clinic.id)
        .order_by(ClinicHours.weekday, ClinicHours.opens)
    ):
        days[weekday].append(TimeRange(opens, closes))
    return tuple(tuple(day) for day in days)


def set_week(clinic: Clinic, week: Week) -> None:
    """Replace the clinic's weekly hours with `week` (seven days, Monday first).

    Checked again here, whoever calls: raises HoursProblem, having changed nothing, for a
    week that is not seven days or has a day whose ranges overlap.
    """
    if len(week) != 7:
        raise HoursProblem("A week has seven days.")
    checked = [checked_ranges(list(day)) for day in week]
    # Row by row, not one DELETE statement: pages that show the hours learn of the
    # change from the rows the session flushes (public.invalidation).
    for row in db.session.scalars(sa.select(ClinicHours).where(ClinicHours.clinic_id == clinic.id)):
        db.session.delete(row)
    db.session.add_all(
        ClinicHours(clinic_id=clinic.id, weekday=weekday, opens=r.opens, closes=r.closes)
        for weekday, day in enumerate(checked)
        for r in day
    )
    db.session.flush()


def closures_of(clinic: Clinic, *, from_day: date | None = None) -> list[ClinicClosure]:
    """The clinic's closures that end on or after `from_day` (all of them without it),
    soonest first."""
    query = sa.select(ClinicClosure).where(ClinicClosure.clinic_id == clinic.id)
    if from_day is not None:
        query = query.where(ClinicClosure.ends_on >= from_day)
    return list(db.session.scalars(query.order_by(ClinicClosure.starts_on, ClinicClosure.id)))


def add_closure(clinic: Clinic, starts_on: date, ends_on: date, note: str = "") -> ClinicClosure:
    """Shut the clinic from `starts_on` to `ends_on`, both included.  Raises HoursProblem
    for an end before the start or an over-long note."""
    note = " ".join(note.split())
    if ends_on < starts_on:
        raise HoursProblem("The last day cannot come before the first.")
    if len(note) > MAX_NOTE_LENGTH:
        raise HoursProblem(f"Keep the note under {MAX_NOTE_LENGTH} characters.")
    closure = ClinicClosure(clinic_id=clinic.id, starts_on=starts_on, ends_on=ends_on, note=note)
    db.session.add(closure)
    db.session.flush()
    return closure


def remove_closure(closure: ClinicClosure) -> None:
    db.session.delete(closure)
    db.session.flush()


def opening_status(
    clinic: Clinic,
    week: Week,
    now: datetime | None = None,
    closures: list[ClinicClosure] | None = None,
) -> OpeningStatus | None:
    """Open or closed now in the clinic's own time zone (its city's); None when the clinic
    gives no hours or its city has no known zone.  `closures`: those ending today or later
    in that zone, when the caller has them already."""
    tz = clinic.time_zone
    if tz is None:
        return None
    now = now or datetime.now(UTC)
    if closures is None:
        closures = closures_of(clinic, from_day=now.astimezone(tz).date())
    return status_at(week, [Closure(c.starts_on, c.ends_on) for c in closures], tz, now)
