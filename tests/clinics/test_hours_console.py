"""Opening hours and closures in the clinic console, through HTTP."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from directory.clinics.models import ClinicClosure, ClinicHours, Role
from directory.extensions import db
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic
from tests.pages import field_errors

WEEK = {
    "monday": "9:00-17:00",
    "tuesday": "9-12, 13:00-18:30",
    "wednesday": "",
    "thursday": "9am to 5pm",
    "friday": "9:00-17:00",
    "saturday": "closed",
    "sunday": "",
}


def hours_rows(clinic) -> list[tuple]:
    return db.session.execute(
        sa.select(ClinicHours.weekday, ClinicHours.opens, ClinicHours.closes)
        .where(ClinicHours.clinic_id == clinic.id)
        .order_by(ClinicHours.weekday, ClinicHours.opens)
    ).all()


def owner_of_a_clinic(client):
    clinic = create_clinic("Harbour Massage")
    sign_in(client, member(clinic, Role.OWNER))
    return clinic


def test_an_owner_sets_the_weekly_hours_and_sees_them_again(client):
    clinic = owner_of_a_clinic(client)
    response = client.post(f"/manage/{clinic.slug}/hours", data=WEEK)
    assert response.status_code == 302
    assert hours_rows(clinic) == [
        (0, time(9), time(17)),
        (1, time(9), time(12)),
        (1, time(13), time(18, 30)),
        (3, time(9), time(17)),
        (4, time(9), time(17)),
    ]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The opening hours are saved." in page
    assert 'value="9:00\u201312:00, 13:00\u201318:30"' in page
    # Saving again replaces the week rather than adding to it.
    client.post(f"/manage/{clinic.slug}/hours", data={**WEEK, "tuesday": ""})
    assert [row[0] for row in hours_rows(clinic)] == [0, 3, 4]


def test_hours_that_make_no_sense_are_named_next_to_their_day_and_nothing_is_saved(client):
    clinic = owner_of_a_clinic(client)
    client.post(f"/manage/{clinic.slug}/hours", data=WEEK)
    before = hours_rows(clinic)
    bad = {**WEEK, "monday": "17:00-9:00", "friday": "9-13, 12-15", "sunday": "afternoons"}
    response = client.post(f"/manage/{clinic.slug}/hours", data=bad)
    assert response.status_code == 422
    assert field_errors(response, "monday") == ["17:00\u20139:00 closes before it opens."]
    assert field_errors(response, "friday") == ["9:00\u201313:00 and 12:00\u201315:00 overlap."]
    assert field_errors(response, "sunday")[0].startswith("Could not read “afternoons”")
    assert field_errors(response, "tuesday") == []
    assert 'value="afternoons"' in response.get_data(as_text=True)  # kept as typed
    assert hours_rows(clinic) == before


def test_a_holiday_closure_is_added_shown_and_removed(client):
    clinic = owner_of_a_clinic(client)
    response = client.post(
        f"/manage/{clinic.slug}/hours/closures",
        data={"starts_on": "2026-12-25", "ends_on": "2026-12-26", "note": "Christmas"},
    )
    assert response.status_code == 302
    closure = db.session.scalar(sa.select(ClinicClosure))
    assert (closure.starts_on, closure.ends_on, closure.note) == (
        date(2026, 12, 25),
        date(2026, 12, 26),
        "Christmas",
    )
    page = client.get(f"/manage/{clinic.slug}/hours").get_data(as_text=True)
    assert "25 December 2026" in page and "Christmas" in page
    one_day = client.post(
        f"/manage/{clinic.slug}/hours/closures", data={"starts_on": "2027-01-01", "ends_on": ""}
    )
    assert one_day.status_code == 302
    assert db.session.scalar(
        sa.select(ClinicClosure.ends_on).where(ClinicClosure.starts_on == date(2027, 1, 1))
    ) == date(2027, 1, 1)
    removed = client.post(f"/manage/{clinic.slug}/hours/closures/{closure.id}/remove")
    assert removed.status_code == 302
    assert db.session.get(ClinicClosure, closure.id) is None


def test_a_closure_ending_before_it_starts_is_refused_next_to_the_field(client):
    clinic = owner_of_a_clinic(client)
    response = client.post(
        f"/manage/{clinic.slug}/hours/closures",
        data={"starts_on": "2026-12-26", "ends_on": "2026-12-25", "note": ""},
    )
    assert response.status_code == 422
    assert field_errors(response, "ends_on") == ["The last day cannot come before the first."]
    missing = client.post(f"/manage/{clinic.slug}/hours/closures", data={"starts_on": ""})
    assert missing.status_code == 422
    assert field_errors(missing, "starts_on") == ["Enter the first day."]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClinicClosure)) == 0


def test_another_clinics_closure_answers_404_and_stays(client):
    clinic = owner_of_a_clinic(client)
    other = create_clinic("Other Clinic")
    closure = ClinicClosure(
        clinic_id=other.id, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 25)
    )
    db.session.add(closure)
    db.session.commit()
    response = client.post(f"/manage/{clinic.slug}/hours/closures/{closure.id}/remove")
    assert response.status_code == 404
    assert client.get(f"/manage/{other.slug}/hours").status_code == 404
    assert db.session.get(ClinicClosure, closure.id) is not None


def test_staff_cannot_change_the_hours(client):
    clinic = create_clinic("Harbour Massage")
    sign_in(client, member(clinic, Role.STAFF))
    response = client.post(f"/manage/{clinic.slug}/hours", data=WEEK)
    assert response.status_code in (403, 404)
    assert hours_rows(clinic) == []
