"""Contact and booking on profiles and clinic pages: Book, Call, Email, the map, the hours,
the counted clicks and the clinic's own settings for them, through HTTP."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from directory.clinics.models import Clinic, ClinicClosure, ClinicHours, Role
from directory.extensions import db
from directory.therapists.models import Therapist, TherapistDailyContacts
from tests.clinics.test_console import CLINIC_FORM, member, sign_in, therapist_form
from tests.factories import create_clinic, create_therapist
from tests.pages import field_errors

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
TORONTO = ZoneInfo("America/Toronto")


def harbour(**fields) -> Clinic:
    clinic = create_clinic(
        "Harbour Massage",
        slug="harbour",
        phone="+1 (416) 555-0100",
        email="hello@harbour.example",
        website="https://harbour.example",
        booking_url="https://harbour.example/book",
        address="1 Queens Quay",
        **fields,
    )
    for weekday in range(5):
        db.session.add(
            ClinicHours(clinic_id=clinic.id, weekday=weekday, opens=time(9), closes=time(17))
        )
    return clinic


def ada(clinic: Clinic, **fields) -> Therapist:
    therapist = create_therapist(clinic, "Ada Stone", slug="ada-stone", **fields)
    db.session.commit()
    return therapist


def clicks(therapist: Therapist) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(TherapistDailyContacts.kind, TherapistDailyContacts.clicks).where(
            TherapistDailyContacts.therapist_id == therapist.id,
            TherapistDailyContacts.day == date.today(),
        )
    )
    return dict(rows.all())


def structured_data(page: str) -> dict:
    (block,) = JSON_LD.findall(page)
    return json.loads(block)


def test_a_profile_leads_to_book_call_email_and_a_map(client):
    clinic = harbour()
    ada(clinic)
    page = client.get("/therapists/ada-stone").get_data(as_text=True)
    assert 'href="/therapists/ada-stone/book"' in page
    assert 'href="tel:+14165550100"' in page
    assert 'ping="/therapists/ada-stone/contact/call"' in page
    assert 'href="mailto:hello@harbour.example"' in page
    assert 'ping="/therapists/ada-stone/contact/email"' in page
    lat, lon = f"{clinic.latitude:.6f}", f"{clinic.longitude:.6f}"
    assert f"https://www.openstreetmap.org/?mlat={lat}&amp;mlon={lon}#map=17/{lat}/{lon}" in page
    assert "1 Queens Quay" in page and "Open in a map" in page
    assert '<th scope="row">Monday</th><td>9:00\u201317:00</td>' in page
    assert '<th scope="row">Sunday</th><td>Closed</td>' in page


def test_a_therapists_own_booking_page_and_phone_override_the_clinics(client):
    therapist = ada(harbour(), booking_url="https://ada.example/calendar", phone="+1 647 555 0199")
    page = client.get("/therapists/ada-stone").get_data(as_text=True)
    assert 'href="tel:+16475550199"' in page and "tel:+14165550100" not in page
    response = client.get("/therapists/ada-stone/book")
    assert response.headers["Location"] == "https://ada.example/calendar"
    data = structured_data(page)
    (person,) = [n for n in data["@graph"] if n["@type"] == "Person"]
    assert person["telephone"] == "+1 647 555 0199"
    assert person["potentialAction"] == {
        "@type": "ReserveAction",
        "target": {"@type": "EntryPoint", "urlTemplate": "https://ada.example/calendar"},
    }
    assert therapist.clinic.booking_url == "https://harbour.example/book"


def test_book_counts_the_click_and_sends_the_visitor_on(client):
    therapist = ada(harbour())
    response = client.get("/therapists/ada-stone/book")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://harbour.example/book"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    client.get("/therapists/ada-stone/book")
    assert clicks(therapist) == {"book": 2}


def test_book_answers_404_for_a_draft_a_missing_or_an_unsafe_booking_page(client):
    clinic = harbour()
    draft = create_therapist(clinic, "Draft Person", slug="draft-person", is_published=False)
    no_booking = create_therapist(create_clinic(), "No Booking", slug="no-booking")
    # Written past the forms, as an old row or a bug might: never linked to.
    unsafe = create_therapist(
        create_clinic(), "Unsafe", slug="unsafe", booking_url="javascript:alert(1)"
    )
    db.session.commit()
    for slug in ("draft-person", "no-booking", "unsafe", "nobody-at-all"):
        assert client.get(f"/therapists/{slug}/book").status_code == 404, slug
    assert "javascript:" not in client.get("/therapists/unsafe").get_data(as_text=True)
    for therapist in (draft, no_booking, unsafe):
        assert clicks(therapist) == {}


def test_a_ping_counts_call_email_and_website_clicks_without_csrf_or_cookies(client):
    therapist = ada(harbour())
    for kind in ("call", "call", "email", "website"):
        response = client.post(
            f"/therapists/ada-stone/contact/{kind}",
            data="PING",
            headers={"Content-Type": "text/ping", "Ping-To": "tel:+14165550100"},
        )
        assert response.status_code == 204
        assert "Set-Cookie" not in response.headers
    assert clicks(therapist) == {"call": 2, "email": 1, "website": 1}
    assert client.post("/therapists/ada-stone/contact/book").status_code == 404
    assert client.post("/therapists/ada-stone/contact/fax").status_code == 404
    assert client.post("/therapists/nobody/contact/call").status_code == 404
    assert client.get("/therapists/ada-stone/contact/call").status_code == 405
    assert clicks(therapist) == {"call": 2, "email": 1, "website": 1}


def test_the_dashboard_shows_views_and_clicks_per_therapist(client):
    clinic = harbour()
    therapist = ada(clinic)
    other = create_therapist(clinic, "Ben Lake", slug="ben-lake")
    db.session.commit()
    client.get("/therapists/ada-stone/book")
    client.post("/therapists/ada-stone/contact/call")
    client.post("/therapists/ben-lake/contact/email")
    sign_in(client, member(clinic, Role.STAFF))
    page = client.get(f"/manage/{clinic.slug}/").get_data(as_text=True)
    assert "<strong>3</strong> Book, Call and Email clicks in 30 days" in page
    rows = re.findall(
        r"<tr>\s*<td>(?:<a [^>]*>)?(.*?)(?:</a>)?</td>\s*((?:<td>\d+</td>\s*){5})</tr>", page
    )
    numbers = {name: re.findall(r"\d+", cells) for name, cells in rows}
    # Views, Book, Call, Email, Website
    assert numbers[therapist.name] == ["0", "1", "1", "0", "0"]
    assert numbers[other.name] == ["0", "0", "0", "1", "0"]


def test_the_clinic_page_links_phone_email_website_map_and_shows_the_week(client):
    clinic = harbour()
    db.session.add(
        ClinicClosure(
            clinic_id=clinic.id,
            starts_on=date.today() + timedelta(days=10),
            ends_on=date.today() + timedelta(days=11),
            note="Staff training",
        )
    )
    db.session.commit()
    page = client.get("/clinics/harbour").get_data(as_text=True)
    assert 'href="tel:+14165550100"' in page and "+1 (416) 555-0100" in page
    assert 'href="mailto:hello@harbour.example"' in page
    assert 'href="https://harbour.example"' in page
    assert 'href="https://harbour.example/book"' in page  # straight there: no therapist
    assert "openstreetmap.org" in page
    assert '<details class="opening-hours" open>' in page
    assert "Staff training" in page
    data = structured_data(page)
    assert data["telephone"] == "+1 (416) 555-0100"
    assert data["potentialAction"]["target"]["urlTemplate"] == "https://harbour.example/book"
    weekly = [s for s in data["openingHoursSpecification"] if "dayOfWeek" in s]
    assert weekly[0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "09:00",
        "closes": "17:00",
    }
    assert len(weekly) == 5
    (closed,) = [s for s in data["openingHoursSpecification"] if "validFrom" in s]
    assert (closed["opens"], closed["closes"]) == ("00:00", "00:00")


def test_the_profile_says_when_the_clinic_next_opens_in_its_own_time_zone(client):
    clinic = harbour()
    today = datetime.now(TORONTO).date()
    # Closed from yesterday for three days: the next opening is a known day at 9:00.
    db.session.add(
        ClinicClosure(
            clinic_id=clinic.id,
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=2),
        )
    )
    ada(clinic)
    opening = today + timedelta(days=3)
    while opening.weekday() > 4:
        opening += timedelta(days=1)
    ahead = (opening - today).days
    day = opening.strftime("%A") if ahead < 7 else f"{opening.day} {opening:%B}"
    page = client.get("/therapists/ada-stone").get_data(as_text=True)
    assert f"<strong>Opens {day} 9:00</strong>" in page
    always_shut = ClinicClosure(
        clinic_id=clinic.id,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=800),
    )
    db.session.add(always_shut)
    db.session.commit()
    assert "<strong>Closed</strong>" in client.get("/clinics/harbour").get_data(as_text=True)


def test_clinic_settings_refuse_unsafe_links_and_unusable_phones_and_save_nothing(client):
    clinic = harbour()
    db.session.commit()
    sign_in(client, member(clinic, Role.OWNER))
    bad = {
        **CLINIC_FORM,
        "name": "Harbour Massage",
        "booking_url": "javascript:alert(1)",
        "phone": "12",
        "website": "ftp://harbour.example",
    }
    response = client.post(f"/manage/{clinic.slug}/settings", data=bad)
    assert response.status_code == 422
    assert field_errors(response, "booking_url")
    assert field_errors(response, "website")
    assert field_errors(response, "phone") == ["A phone number has at least 7 digits."]
    too_long = client.post(
        f"/manage/{clinic.slug}/settings",
        data={**CLINIC_FORM, "phone": "+1 416 555 0100 1234 5678"},
    )
    assert field_errors(too_long, "phone") == ["A phone number has at most 15 digits."]
    db.session.expire_all()
    assert db.session.get(Clinic, clinic.id).booking_url == "https://harbour.example/book"
    good = {
        **CLINIC_FORM,
        "phone": "  +1  (416) 555-0177 ",
        "booking_url": "https://book.example/h",
    }
    assert client.post(f"/manage/{clinic.slug}/settings", data=good).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Clinic, clinic.id)
    assert (saved.phone, saved.booking_url) == ("+1 (416) 555-0177", "https://book.example/h")


def test_a_therapists_own_links_are_checked_like_the_clinics(client):
    clinic = harbour()
    therapist = ada(clinic)
    sign_in(client, member(clinic, Role.MANAGER))
    url = f"/manage/{clinic.slug}/therapists/{therapist.id}/edit"
    response = client.post(
        url, data=therapist_form(name="Ada Stone", booking_url="data:text/html,hi", phone="call")
    )
    assert response.status_code == 422
    assert field_errors(response, "booking_url")
    assert field_errors(response, "phone")
    ok = therapist_form(name="Ada Stone", booking_url="https://ada.example/book", phone="")
    assert client.post(url, data=ok).status_code == 302
    db.session.expire_all()
    assert db.session.get(Therapist, therapist.id).booking_url == "https://ada.example/book"
