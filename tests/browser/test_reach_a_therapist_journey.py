"""From a search with a slip in it to a booked visit: a client searches "massage for
pregnancy near Seatle", takes the offered Seattle, drops a filter again, opens a profile
with a photo, sees when the clinic is open, and books and calls; the clinic's dashboard
counts both.  At desktop and phone widths."""

from __future__ import annotations

import re
import time
from datetime import time as clock

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from directory.clinics.hours import set_week
from directory.clinics.models import Clinic, Membership, Role
from directory.clinics.opening_hours import TimeRange
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.photos.services import set_headshot
from directory.therapists.models import Therapist
from tests.browser.helpers import live_filters_ready, sign_in
from tests.browser.test_contact_journey import STATUS, counts_on_dashboard
from tests.browser.test_forgiving_search_journey import PHONE_HEIGHT, seattle_directory
from tests.factories import create_user
from tests.photos.samples import jpeg_with_gps


def open_for_business(make_app, booking_url: str) -> None:
    """The Seattle clinic gives a phone, a booking page and its hours, has an owner, and
    Grace Kim a headshot."""
    with make_app().app_context():
        act_for_all_clinics()
        clinic = db.session.scalar(sa.select(Clinic).where(Clinic.slug == "capitol-hill"))
        clinic.phone = "+1 206 555 0188"
        clinic.booking_url = booking_url
        set_week(clinic, ((TimeRange(clock(8), clock(20)),),) * 7)
        owner = create_user("owner@capitol.example", display_name="Maya Owner")
        db.session.add(Membership(clinic_id=clinic.id, user_id=owner.id, role=Role.OWNER))
        grace = db.session.scalar(sa.select(Therapist).where(Therapist.slug == "grace-kim"))
        set_headshot(grace, jpeg_with_gps(), "Grace Kim smiling in the treatment room")
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("width", [1280, 390])
def test_from_a_misspelt_search_to_a_counted_booking_and_call(
    live_server, page, artifacts_dir, database_url, make_app, width
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    seattle_directory(make_app)
    open_for_business(make_app, live_server + "/how-reviews-work")
    page.set_viewport_size({"width": width, "height": PHONE_HEIGHT if width < 800 else 900})
    results = page.locator("#results")

    page.goto(live_server + "/therapists")
    page.get_by_label("What do you need help with?").fill("massage for pregnancy")
    page.get_by_label("Near").fill("Seatle")
    page.get_by_role("button", name="Search", exact=True).click()
    results.locator(".place-offers li", has_text="Seattle, US").get_by_role(
        "link", name="Seattle, US"
    ).click()
    expect(
        results.get_by_role("heading", name="2 therapists within 25 km of Seattle")
    ).to_be_visible()

    # A filter, then its chip taken away again.
    if width < 800:
        page.get_by_role("button", name=re.compile("Filters")).click()
    live_filters_ready(page)
    page.locator(".facet", has_text="Kind of massage").get_by_label(re.compile("Swedish")).check()
    expect(results.get_by_role("link", name="Remove the filter Swedish")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"reach-chip-{width}-{kind}.png", full_page=True)
    results.get_by_role("link", name="Remove the filter Swedish").click()
    expect(
        results.get_by_role("heading", name="2 therapists within 25 km of Seattle")
    ).to_be_visible()
    card = results.locator("article", has_text="Grace Kim")
    expect(card.get_by_role("img", name=re.compile("Grace Kim"))).to_be_visible()
    page.screenshot(path=artifacts_dir / f"reach-results-{width}-{kind}.png", full_page=True)

    # The profile: her photo, when the clinic is open, and how to reach her.
    card.get_by_role("link", name="Grace Kim").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("img", name="Grace Kim smiling in the treatment room")).to_be_visible()
    contact = page.locator(".contact-card")
    expect(contact.locator(".opening-status strong")).to_have_text(STATUS)
    expect(contact.get_by_role("button", name=re.compile("^Call"))).to_be_visible()
    page.screenshot(path=artifacts_dir / f"reach-profile-{width}-{kind}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    profile = page.url

    # Book goes through our counting redirect to the clinic's booking page.
    contact.get_by_role("button", name="Book").click()
    expect(page).to_have_url(live_server + "/how-reviews-work")
    # Call dials and pings our counter (in a tab of its own: in headless Chromium a tab
    # that followed tel: stops submitting forms).
    calling = page.context.new_page()
    calling.set_viewport_size({"width": width, "height": 900})
    calling.goto(profile)
    with calling.expect_request(re.compile(r"/contact/call$")) as pinged:
        calling.locator(".contact-card").get_by_role("button", name=re.compile("^Call")).click()
    assert pinged.value.method == "POST"
    calling.close()

    # The clinic sees both on its dashboard (the ping may land a moment after the click).
    sign_in(page, live_server, "owner@capitol.example")
    dashboard = live_server + "/manage/capitol-hill/"
    deadline = time.monotonic() + 10
    while (numbers := counts_on_dashboard(page, dashboard, "Grace Kim"))[1:3] != [
        "1",
        "1",
    ] and time.monotonic() < deadline:
        time.sleep(0.3)
    assert numbers[1:3] == ["1", "1"], numbers  # Book, Call
    page.screenshot(path=artifacts_dir / f"reach-dashboard-{width}-{kind}.png", full_page=True)
