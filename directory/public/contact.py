"""How a profile or clinic page leads to the visit: Book, Call, Email, the website, the
address with a map link, the opening hours and whether the clinic is open now.

A therapist's own booking page and phone override the clinic's.  On a profile the links
are counted (per therapist, day and kind; public.view_counts): Book goes through our
redirect (`public_profiles.book`), and Call, Email and the website carry a `ping` to
`public_profiles.contact_click`, so the link itself still goes straight to the phone,
the mail program or the site, and nothing needs a cookie or a script.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from flask import url_for

from directory.clinics import hours
from directory.clinics.models import Clinic, ClinicClosure
from directory.clinics.opening_hours import WEEKDAYS, OpeningStatus, Week, day_text
from directory.core.links import is_web_address
from directory.core.phones import tel_uri
from directory.therapists.models import ContactKind, Therapist

# A shared profile page is named by the window of the clock it was rendered in, so its
# "open now" is never older than this (and exact for hours on five-minute marks).
CLOCK_WINDOW_SECONDS = 300
# Closures shown ahead of time; all of them count for "open now".
CLOSURES_SHOWN = timedelta(days=90)
MAP_ZOOM = 17


def clock_window(now: float | None = None) -> str:
    """The name of the current clock window, for the shared page's name."""
    return f"clock:{int(now if now is not None else time.time()) // CLOCK_WINDOW_SECONDS}"


@dataclass(frozen=True)
class ClinicHoursView:
    week: Week
    closures: list[ClinicClosure]  # current, or starting within CLOSURES_SHOWN; soonest first
    status: OpeningStatus | None

    @property
    def days(self) -> list[tuple[str, str]]:
        """(weekday, its hours or 'Closed'), Monday first."""
        return [
            (name, day_text(day) or "Closed") for name, day in zip(WEEKDAYS, self.week, strict=True)
        ]

    @property
    def given(self) -> bool:
        return any(self.week)


@dataclass(frozen=True)
class ContactCard:
    booking_url: str  # where Book finally leads
    book_href: str  # what the Book button links to (on a profile: our counting redirect)
    phone: str
    tel: str
    email: str
    mailto: str
    website: str
    address: str
    map_url: str
    hours: ClinicHoursView
    pings: dict[str, str]  # kind -> the URL a click on that link pings (profiles only)

    @property
    def has_actions(self) -> bool:
        return bool(self.book_href or self.tel or self.mailto)


def hours_view(clinic: Clinic, now: datetime | None = None) -> ClinicHoursView:
    now = now or datetime.now(UTC)
    week = hours.week_of(clinic)
    tz = clinic.time_zone
    today = now.astimezone(tz).date() if tz else now.date()
    coming = hours.closures_of(clinic, from_day=today)
    status = hours.opening_status(clinic, week, now, closures=coming)
    closures = [closure for closure in coming if closure.starts_on <= today + CLOSURES_SHOWN]
    return ClinicHoursView(week=week, closures=closures, status=status)


def map_url(latitude: float, longitude: float) -> str:
    """OpenStreetMap with a marker at the coordinates."""
    query = urlencode({"mlat": f"{latitude:.6f}", "mlon": f"{longitude:.6f}"})
    return f"https://www.openstreetmap.org/?{query}#map={MAP_ZOOM}/{latitude:.6f}/{longitude:.6f}"


def _address(clinic: Clinic) -> str:
    return ", ".join(
        part for part in (clinic.address, clinic.postal_code, clinic.city.name) if part
    )


def _mailto(email: str) -> str:
    return f"mailto:{quote(email, safe='@.+-_')}" if email else ""


def clinic_card(clinic: Clinic, now: datetime | None = None) -> ContactCard:
    """The clinic page's links: straight to the clinic, uncounted (no therapist to count)."""
    booking = clinic.booking_url if is_web_address(clinic.booking_url) else ""
    return ContactCard(
        booking_url=booking,
        book_href=booking,
        phone=clinic.phone,
        tel=tel_uri(clinic.phone),
        email=clinic.email,
        mailto=_mailto(clinic.email),
        website=clinic.website if is_web_address(clinic.website) else "",
        address=_address(clinic),
        map_url=map_url(clinic.latitude, clinic.longitude),
        hours=hours_view(clinic, now),
        pings={},
    )


def booking_url_of(therapist: Therapist) -> str:
    """Where Book leads for this therapist: their own page, else the clinic's ('' for none)."""
    for url in (therapist.booking_url, therapist.clinic.booking_url):
        if url and is_web_address(url):
            return url
    return ""


def therapist_card(therapist: Therapist, now: datetime | None = None) -> ContactCard:
    """A profile's links, each counted for the therapist."""
    card = clinic_card(therapist.clinic, now)
    phone = therapist.phone or card.phone
    booking = booking_url_of(therapist)
    slug = therapist.slug
    return ContactCard(
        booking_url=booking,
        book_href=url_for("public_profiles.book", slug=slug) if booking else "",
        phone=phone,
        tel=tel_uri(phone),
        email=card.email,
        mailto=card.mailto,
        website=card.website,
        address=card.address,
        map_url=card.map_url,
        hours=card.hours,
        pings={
            kind: url_for("public_profiles.contact_click", slug=slug, kind=kind)
            for kind in (ContactKind.CALL, ContactKind.EMAIL, ContactKind.WEBSITE)
        },
    )
