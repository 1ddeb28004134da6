"""A client types what they have ("massage for pregnancy") and a misspelt city: the page
offers the city, finds the prenatal therapists there, and lets a chip undo a filter, at
desktop and phone widths."""

from __future__ import annotations

import re

import pytest
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

PHONE_HEIGHT = 844


def seattle_directory(make_app) -> None:
    """Two prenatal therapists in Seattle (one with a verified credential) and one who
    does sports massage."""
    with make_app().app_context():
        clinic = create_clinic("Capitol Hill Bodywork", slug="capitol-hill", city_slug="seattle")
        people = [
            ("Grace Kim", ("prenatal", "swedish"), ("pregnancy-discomfort",), 5, True),
            ("Lena Ortiz", ("prenatal", "deep-tissue"), ("lower-back-pain",), 4, False),
            ("Tom Reed", ("sports",), ("sports-injuries",), 4, False),
        ]
        for name, modalities, conditions, rating, verified in people:
            therapist = create_therapist(
                clinic, name, slug=name.lower().replace(" ", "-"), headline="Massage therapist"
            )
            for model, link, key, slugs in (
                (Modality, TherapistModality, "modality_id", modalities),
                (Condition, TherapistCondition, "condition_id", conditions),
            ):
                for term in db.session.scalars(sa.select(model).where(model.slug.in_(slugs))):
                    db.session.add(
                        link(therapist_id=therapist.id, clinic_id=clinic.id, **{key: term.id})
                    )
            for _ in range(2):
                create_review(therapist, rating=rating)
            ratings.recompute(therapist.id)
            if verified:
                db.session.add(
                    Accreditation(
                        clinic_id=clinic.id,
                        therapist_id=therapist.id,
                        credential_type_id=1,
                        issuing_body="Washington State Department of Health",
                        number="MA-6060",
                        issued_on=sa.func.current_date(),
                        state=AccreditationState.VERIFIED,
                    )
                )
        db.session.flush()
        for (therapist_id,) in db.session.execute(sa.text("SELECT id FROM therapists")):
            rebuild_document(therapist_id)
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_misspelt_city_a_synonym_and_a_chip(
    live_server, page, artifacts_dir, database_url, make_app, width
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    seattle_directory(make_app)
    page.set_viewport_size({"width": width, "height": PHONE_HEIGHT if width < 800 else 900})
    results = page.locator("#results")

    page.goto(live_server + "/therapists")
    page.get_by_label("What do you need help with?").fill("massage for pregnancy")
    page.get_by_label("Near").fill("Seatle")
    page.get_by_role("button", name="Search", exact=True).click()

    # Not a 400: the message beside the field, and the cities spelt like it.
    expect(page.locator("#near-error")).to_have_text("We do not know a city called 'Seatle'.")
    offer = results.locator(".place-offers li", has_text="Seattle, US")
    expect(offer).to_contain_text("2 therapists")
    page.screenshot(path=artifacts_dir / f"search-did-you-mean-{width}-{kind}.png", full_page=True)
    offer.get_by_role("link", name="Seattle, US").click()

    # "pregnancy" finds the prenatal therapists, best-rated first.
    expect(
        results.get_by_role("heading", name="2 therapists within 25 km of Seattle")
    ).to_be_visible()
    expect(results.locator("article h3")).to_have_text(
        [re.compile("Grace Kim"), re.compile("Lena Ortiz")]
    )
    if width < 800:
        # Results first on a phone: the first card is on the first screen.
        assert results.locator("article").first.bounding_box()["y"] < PHONE_HEIGHT
        expect(page.locator("#filters")).to_be_hidden()
        page.get_by_role("button", name=re.compile("Filters")).click()
        expect(page.locator("#filters")).to_be_visible()
        page.screenshot(path=artifacts_dir / f"search-filters-sheet-{width}-{kind}.png")

    # A filter becomes a chip; choosing one kind of massage does not hide the others.
    kinds = page.locator(".facet", has_text="Kind of massage")
    live_filters_ready(page)
    kinds.get_by_label(re.compile("Swedish")).check()
    expect(page).to_have_url(re.compile(r"specialty=swedish"))
    expect(
        results.get_by_role("heading", name="1 therapist within 25 km of Seattle")
    ).to_be_visible()
    expect(kinds.locator("label", has_text="Deep tissue")).to_contain_text("1")
    expect(kinds.locator("label", has_text="Prenatal")).to_contain_text("2")
    page.screenshot(path=artifacts_dir / f"search-chips-{width}-{kind}.png", full_page=True)
    # The chip takes it away again.
    results.get_by_role("link", name="Remove the filter Swedish").click()
    expect(
        results.get_by_role("heading", name="2 therapists within 25 km of Seattle")
    ).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"specialty"))

    # Highest rated says how it ranks.
    live_filters_ready(page)
    page.get_by_label("Sort by").select_option("rating")
    expect(results.locator(".sort-note")).to_contain_text("confidence-adjusted rating")
    expect(results.get_by_role("link", name="How reviews work")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"search-rated-{width}-{kind}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
