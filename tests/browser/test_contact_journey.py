"""A clinic owner sets hours and a booking page; a client books and calls from the profile,
and the owner's dashboard counts both; at desktop and phone widths."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from directory.clinics.models import Membership, Role
from directory.extensions import db
from tests.browser.helpers import sign_in
from tests.factories import create_clinic, create_therapist, create_user

STATUS = re.compile(r"^(Open now, until \d{1,2}:\d\d|Opens (today|tomorrow|\w+day) \d{1,2}:\d\d)")


def counts_on_dashboard(page, url: str, therapist: str) -> list[str]:
    page.goto(url)
    row = page.locator("table.contact-counts tr", has_text=therapist)
    return row.locator("td").all_inner_texts()[1:]


def test_a_client_books_and_calls_and_the_clinic_counts_both(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with make_app().app_context():
        owner = create_user("owner@example.com", display_name="Nok Owner")
        clinic = create_clinic(
            "Bang Rak Thai Massage",
            slug="bang-rak-thai-massage",
            city_slug="bangkok",
            address="1042/7 Charoen Krung Road",
            postal_code="10500",
            email="hello@bangrak.example",
        )
        db.session.add(Membership(clinic_id=clinic.id, user_id=owner.id, role=Role.OWNER))
        create_therapist(clinic, "John Wintertime", slug="john-wintertime")
        db.session.commit()
        db.session.remove()
    main = page.get_by_role("main")
    sign_in(page, live_server, "owner@example.com")

    # The owner gives a phone and a booking page (here a page of our own: no network).
    page.goto(live_server + "/manage/bang-rak-thai-massage/settings")
    page.get_by_label("Phone").fill("+66 2 555 0142")
    page.get_by_label("Online booking page").fill(live_server + "/how-reviews-work")
    main.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The clinic's details are saved.")).to_be_visible()

    # Opening hours, with a slip first: the message stands next to the day.
    page.get_by_role("link", name="Opening hours").click()
    page.get_by_label("Monday").fill("17:00-9:00")
    main.get_by_role("button", name="Save the hours").click()
    expect(page.get_by_text("17:00\u20139:00 closes before it opens.")).to_be_visible()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"):
        page.get_by_label(day).fill("9:00-12:00, 13:00-21:00")
    page.get_by_label("Sunday").fill("10-16")
    main.get_by_role("button", name="Save the hours").click()
    expect(page.get_by_text("The opening hours are saved.")).to_be_visible()
    page.get_by_label("First day closed").fill("2027-04-13")
    page.get_by_label("Last day closed").fill("2027-04-15")
    page.get_by_label("Note").fill("Songkran")
    main.get_by_role("button", name="Add the closure").click()
    expect(page.get_by_text("The closure is saved.")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=artifacts_dir / f"contact-hours-console-{kind}.png", full_page=True)
    page.get_by_role("button", name="Sign out", exact=True).click()

    # A client on a phone, then on a desktop, sees how to reach John.
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/therapists/john-wintertime")
        card = page.locator(".contact-card")
        expect(card.get_by_role("button", name="Book")).to_be_visible()
        expect(card.get_by_role("button", name=re.compile("^Call"))).to_be_visible()
        expect(card.get_by_role("button", name="Email")).to_be_visible()
        expect(card.get_by_role("link", name="Open in a map")).to_have_attribute(
            "href", re.compile(r"^https://www\.openstreetmap\.org/\?mlat=13\.")
        )
        expect(card.locator(".opening-status strong")).to_have_text(STATUS)
        card.get_by_text("Opening hours").click()
        sunday = card.get_by_role("row", name=re.compile("Sunday"))
        expect(sunday).to_contain_text("10:00\u201316:00")
        page.screenshot(path=artifacts_dir / f"contact-profile-{width}-{kind}.png", full_page=True)

    # Book goes through our counting redirect to the booking page.
    page.locator(".contact-card").get_by_role("button", name="Book").click()
    expect(page).to_have_url(live_server + "/how-reviews-work")
    page.go_back()
    # Call dials (no phone here: the browser hands tel: to nothing) and pings our counter;
    # in a tab of its own (in headless Chromium a tab that followed tel: stopped
    # submitting forms).
    calling = page.context.new_page()
    calling.goto(live_server + "/therapists/john-wintertime")
    with calling.expect_request(re.compile(r"/contact/call$")) as pinged:
        calling.locator(".contact-card").get_by_role("button", name=re.compile("^Call")).click()
    assert pinged.value.method == "POST"
    calling.close()

    page.goto(live_server + "/clinics/bang-rak-thai-massage")
    expect(main.locator("a[href='tel:+6625550142']")).to_be_visible()
    expect(main.locator("a[href='mailto:hello@bangrak.example']").first).to_be_visible()
    expect(main.get_by_text("Songkran")).to_have_count(0)  # more than 90 days ahead, or not
    page.screenshot(path=artifacts_dir / f"contact-clinic-1280-{kind}.png", full_page=True)

    sign_in(page, live_server, "owner@example.com")
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    dashboard = live_server + "/manage/bang-rak-thai-massage/"
    # Views, Book, Call, Email, Website; the ping may land a moment after the click.
    deadline = time.monotonic() + 10
    while (numbers := counts_on_dashboard(page, dashboard, "John Wintertime"))[1:3] != [
        "1",
        "1",
    ] and time.monotonic() < deadline:
        time.sleep(0.3)
    assert numbers[1:3] == ["1", "1"], numbers
    page.screenshot(path=artifacts_dir / f"contact-dashboard-1280-{kind}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=artifacts_dir / f"contact-dashboard-390-{kind}.png", full_page=True)
