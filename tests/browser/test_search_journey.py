"""A client looking for help with upper back pain finds, narrows and opens a therapist."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from directory.extensions import db
from directory.reviews import ratings
from directory.search.documents import rebuild_document
from directory.taxonomy.models import Condition, Modality
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    TherapistCondition,
    TherapistModality,
)
from tests.browser.helpers import live_filters_ready
from tests.factories import create_clinic, create_review, create_therapist


def _link(therapist, link, key, model, slugs) -> None:
    for term in db.session.scalars(sa.select(model).where(model.slug.in_(slugs))):
        db.session.add(
            link(therapist_id=therapist.id, clinic_id=therapist.clinic_id, **{key: term.id})
        )


def directory_with_three_therapists(make_app) -> None:
    with make_app().app_context():
        bangkok = create_clinic("Bang Rak Thai Massage", slug="bang-rak", city_slug="bangkok")
        toronto = create_clinic("Queen West Massage", slug="queen-west", city_slug="toronto")
        mississauga = create_clinic(
            "Port Credit Wellness", slug="port-credit", city_slug="mississauga"
        )
        people = [
            (
                bangkok,
                "John Wintertime",
                ("thai", "deep-tissue"),
                ("upper-back-pain", "neck-pain"),
                5,
            ),
            (toronto, "Maria Lopez", ("swedish",), ("stress",), 4),
            (
                mississauga,
                "Dev Patel",
                ("deep-tissue", "sports"),
                ("upper-back-pain", "sports-injuries"),
                4,
            ),
        ]
        for clinic, name, modalities, conditions, rating in people:
            therapist = create_therapist(
                clinic,
                name,
                slug=name.lower().replace(" ", "-"),
                headline=f"{name.split()[0]} works on what hurts",
                bio="Careful, unhurried sessions with a plan you can follow at home.",
            )
            _link(therapist, TherapistModality, "modality_id", Modality, modalities)
            _link(therapist, TherapistCondition, "condition_id", Condition, conditions)
            for _ in range(3):
                create_review(therapist, rating=rating)
            ratings.recompute(therapist.id)
        john = db.session.scalar(
            sa.text("SELECT id FROM therapists WHERE slug = 'john-wintertime'")
        )
        db.session.add(
            Accreditation(
                clinic_id=bangkok.id,
                therapist_id=john,
                credential_type_id=1,
                issuing_body="Thai Traditional Medicine Council",
                number="TTM-1234",
                issued_on=sa.func.current_date(),
                state=AccreditationState.VERIFIED,
            )
        )
        db.session.flush()
        for (therapist_id,) in db.session.execute(sa.text("SELECT id FROM therapists")):
            rebuild_document(therapist_id)
        db.session.commit()
        db.session.remove()


def test_find_narrow_and_open_a_therapist(live_server, page, artifacts_dir, database_url, make_app):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    directory_with_three_therapists(make_app)
    results = page.locator("#results")

    page.goto(live_server + "/therapists")
    expect(results.get_by_role("heading", name="3 therapists")).to_be_visible()

    page.get_by_label("What do you need help with?").fill("upper back pain thai massage")
    page.get_by_role("button", name="Search", exact=True).click()
    card = results.locator("article", has_text="John Wintertime")
    expect(card).to_be_visible()
    expect(card.locator(".why-matched")).to_contain_text("Thai")
    expect(card.locator(".why-matched")).to_contain_text("Upper back pain")
    expect(card.get_by_text("Verified credentials")).to_be_visible()
    expect(card.get_by_text("5.0 ★ from 3 reviews")).to_be_visible()
    card.get_by_role("button", name="Add to compare").click()
    expect(card.get_by_role("button", name="Remove from compare")).to_be_visible()
    expect(page.get_by_role("link", name="Compare 1")).to_be_visible()

    # A misspelt name: the page offers the right one.
    page.get_by_label("What do you need help with?").fill("jon wintertime")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="John Wintertime").first.wait_for()
    results.get_by_text("Did you mean").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"q=John\+Wintertime"))

    # Near Toronto: Mississauga is in, Bangkok is out; a filter applies as it is ticked.
    page.get_by_label("What do you need help with?").fill("")
    page.get_by_label("Near").fill("Toronto")
    # Mississauga's centre is 25.3 km away.  Choosing a distance searches at once.
    live_filters_ready(page)
    page.get_by_label("Within").select_option("50")
    expect(page).to_have_url(re.compile(r"radius_km=50"))
    expect(
        results.get_by_role("heading", name="2 therapists within 50 km of Toronto")
    ).to_be_visible()
    live_filters_ready(page)
    page.get_by_label("Sort by").select_option("distance")
    expect(page).to_have_url(re.compile(r"sort=distance"))
    expect(results.locator("article h3").first).to_contain_text("Maria Lopez")
    expect(results.locator("article", has_text="Dev Patel").locator(".distance")).to_contain_text(
        "km away"
    )
    live_filters_ready(page)
    page.locator(".facet", has_text="Kind of massage").get_by_label(
        re.compile("Deep tissue")
    ).check()
    expect(page).to_have_url(re.compile(r"specialty=deep-tissue"))
    expect(
        results.get_by_role("heading", name="1 therapist within 50 km of Toronto")
    ).to_be_visible()
    page.screenshot(path=artifacts_dir / f"search-{kind}.png", full_page=True)

    # Nothing matches: the page says what to relax, with how many that would find.
    live_filters_ready(page)
    page.get_by_label("Minimum rating").select_option("4.5")
    expect(results.get_by_text("No therapist matches all of that.")).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("Any rating"))).to_be_visible()
    page.screenshot(path=artifacts_dir / f"search-empty-{kind}.png", full_page=True)
    results.get_by_role("link", name=re.compile("Any rating")).click()
    results.get_by_role("link", name="Dev Patel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dev Patel")
