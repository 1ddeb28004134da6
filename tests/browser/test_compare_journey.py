"""A client adds two therapists to compare from their profiles and sees them side by side."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from directory.extensions import db
from directory.therapists.models import AccreditationState
from tests.factories import create_clinic, create_therapist
from tests.public.builders import credential, give_terms, index, publish


def two_therapists(make_app) -> None:
    with make_app().app_context():
        bang_rak = create_clinic("Bang Rak Thai Massage", slug="bang-rak", city_slug="toronto")
        port_credit = create_clinic(
            "Port Credit Wellness", slug="port-credit", city_slug="mississauga"
        )
        john = create_therapist(
            bang_rak,
            "John Wintertime",
            slug="john-wintertime",
            headline="Registered massage therapist and rehabilitation specialist",
            years_experience=11,
            price_min=90,
            price_max=120,
        )
        mia = create_therapist(
            port_credit,
            "Mia Laurent",
            slug="mia-laurent",
            headline="Sports and deep tissue work for runners",
            years_experience=4,
            price_min=85,
            price_max=110,
            accepting_new_clients=False,
        )
        give_terms(
            john,
            ("thai", "trigger-point", "deep-tissue"),
            ("upper-back-pain", "posture-strain-from-prolonged-sitting"),
            ("en", "th"),
        )
        give_terms(mia, ("sports", "deep-tissue"), ("sports-injuries", "lower-back-pain"), ("en",))
        credential(john, "RMT", number="R-4471", expires_on=date(2030, 1, 31))
        credential(
            mia,
            "LMT",
            state=AccreditationState.EXPIRED,
            issuing_body="State Board of Massage Therapy",
            number="L-9",
            expires_on=date(2025, 6, 30),
        )
        publish(john, 5, 5, 4, technique=5, communication=4)
        publish(mia, 4, 3, technique=4)
        index(john, mia)
        db.session.remove()


def test_add_two_from_their_profiles_and_compare_them(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    two_therapists(make_app)
    policy_errors = []
    page.on(
        "console",
        lambda m: policy_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    header = page.locator("header.site-header")
    main = page.get_by_role("main")

    page.goto(live_server + "/")
    expect(main.get_by_role("link", name="Deep tissue 2 therapists")).to_be_visible()
    expect(main.get_by_role("link", name="Toronto 1 therapist")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"home-popular-{kind}.png", full_page=True)

    page.goto(live_server + "/therapists/john-wintertime")
    expect(header.get_by_role("link", name="Compare")).to_be_hidden()
    main.get_by_role("button", name="Add to compare (John Wintertime)").click()
    # compare.js updates the page in place: the button, the note and the header link.
    expect(main.get_by_role("button", name="Remove from compare (John Wintertime)")).to_be_visible()
    expect(main.get_by_text("Add one more to compare")).to_be_visible()
    expect(header.get_by_role("link", name="Compare 1 therapist")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"compare-added-{kind}.png")

    page.goto(live_server + "/therapists/mia-laurent")
    main.get_by_role("button", name="Add to compare (Mia Laurent)").click()
    header.get_by_role("link", name="Compare 2 therapists").click()

    expect(page).to_have_url(live_server + "/compare?t=john-wintertime&t=mia-laurent")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare therapists")
    columns = page.locator("table.compare-table > thead th[scope=col]")
    expect(columns).to_have_count(2)
    expect(columns.nth(0)).to_contain_text("John Wintertime")
    expect(columns.nth(1)).to_contain_text("Mia Laurent")
    price = page.locator("table.compare-table > tbody > tr", has_text="Price")
    expect(price).to_contain_text("CA$90\u2013CA$120 for 60 minutes")
    expect(price).to_contain_text("CA$85\u2013CA$110 for 60 minutes")

    page.get_by_label("Show the distance from").fill("Toronto")
    page.get_by_role("button", name="Show distance").click()
    expect(page.get_by_role("rowheader", name="Distance from Toronto")).to_be_visible()
    # Side by side: both columns start at the same height, each at least 300 px wide.
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"] + 300
    page.screenshot(path=artifacts_dir / f"compare-{kind}.png", full_page=True)

    main.get_by_role("button", name="Remove Mia Laurent").click()
    expect(page).to_have_url(live_server + "/compare?t=john-wintertime&near=Toronto")
    expect(main.get_by_text("Add at least one more therapist")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"compare-one-{kind}.png", full_page=True)

    # The clinic page offers the same control on each of its therapists.
    page.goto(live_server + "/clinics/port-credit")
    main.get_by_role("button", name="Add to compare (Mia Laurent)").click()
    expect(header.get_by_role("link", name="Compare 2 therapists")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"clinic-compare-{kind}.png", full_page=True)
    assert policy_errors == []


def test_add_to_compare_works_without_javascript(live_server, page, make_app):
    two_therapists(make_app)
    context = page.context.browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    plain = context.new_page()
    try:
        plain.goto(live_server + "/therapists/john-wintertime")
        plain.get_by_role("button", name="Add to compare (John Wintertime)").click()
        expect(plain).to_have_url(live_server + "/therapists/john-wintertime")
        expect(plain.get_by_text("John Wintertime is on your compare list.")).to_be_visible()
        plain.goto(live_server + "/therapists/mia-laurent")
        plain.get_by_role("button", name="Add to compare (Mia Laurent)").click()
        plain.get_by_role("link", name="Compare 2 therapists").click()
        expect(plain.locator("table.compare-table > thead th[scope=col]")).to_have_count(2)
    finally:
        context.close()
