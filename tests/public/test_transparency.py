"""The transparency page counts from the review rows; how-reviews-work states the rules."""

from __future__ import annotations

from datetime import timedelta

from directory.core.models import utcnow
from directory.extensions import db
from directory.moderation.reasons import Reason
from directory.public import transparency
from directory.reviews.models import ReviewState
from directory.reviews.ratings import PRIOR_WEIGHT
from tests.factories import create_clinic, create_review, create_therapist


def decided(therapist, state: str, hours: float, **fields):
    submitted = utcnow() - timedelta(days=3)
    return create_review(
        therapist,
        state=state,
        submitted_at=submitted,
        decided_at=submitted + timedelta(hours=hours),
        **fields,
    )


def two_clinics():
    north = create_therapist(create_clinic("North Clinic", slug="north"))
    south = create_therapist(create_clinic("South Clinic", slug="south"))
    decided(north, ReviewState.PUBLISHED, 1)
    decided(north, ReviewState.PUBLISHED, 2)
    decided(north, ReviewState.REMOVED, 3)
    decided(north, ReviewState.REJECTED, 10, rejection_reason=Reason.PROMOTIONAL)
    decided(south, ReviewState.REJECTED, 20, rejection_reason=Reason.PROMOTIONAL)
    decided(south, ReviewState.REJECTED, 30, rejection_reason=Reason.OFFENSIVE)
    create_review(south, state=ReviewState.PENDING, submitted_at=utcnow())
    create_review(south, state=ReviewState.AWAITING_EMAIL, published_at=None)
    db.session.commit()


def test_platform_numbers_count_every_state_and_take_the_median(app):
    two_clinics()
    numbers = transparency.platform_numbers()
    assert (numbers.received, numbers.published, numbers.rejected, numbers.removed) == (
        7,
        2,
        3,
        1,
    )
    assert numbers.removed_share == 1 / 3
    assert numbers.median_decision_seconds == 6.5 * 3600  # of 1, 2, 3, 10, 20, 30 hours
    assert numbers.rejected_by_reason["Promotional or spam"] == 2
    assert numbers.rejected_by_reason["Offensive or abusive"] == 1
    assert numbers.rejected_by_reason["Off-topic"] == 0


def test_the_page_shows_live_numbers_to_the_public_on_both_databases(client):
    two_clinics()
    response = client.get("/transparency")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # On PostgreSQL the public sees only published rows; these numbers prove the page
    # counted the rest on the privileged path.
    for text in (
        "<strong>7</strong> reviews received",
        "<strong>3</strong> rejected",
        "<strong>33.3%</strong> removed after publication",
        "<strong>6.5 hours</strong> median time",
        "North Clinic",
        "South Clinic",
        "25.0 hours",  # South's median: 20 and 30 hours
    ):
        assert text in page, text


def test_clinics_paginate(client):
    for number in range(transparency.CLINICS_PER_PAGE + 1):
        create_clinic(f"Clinic {number:03d}", slug=f"c-{number}")
    db.session.commit()
    first = client.get("/transparency").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Clinic 025" not in first
    assert "Clinic 025" in client.get("/transparency?page=2").get_data(as_text=True)


def test_durations_read_like_words():
    assert transparency.duration_words(None) == "—"
    assert transparency.duration_words(40 * 60) == "40 minutes"
    assert transparency.duration_words(5.5 * 3600) == "5.5 hours"
    assert transparency.duration_words(3 * 86400) == "3.0 days"


def test_how_reviews_work_explains_labels_reasons_and_ranking(client):
    page = client.get("/how-reviews-work").get_data(as_text=True)
    for text in (
        'id="verified_client"',
        'id="email_confirmed"',
        "invited the client by email after a visit",
        "opening a link we sent",
        "Only our moderators publish",
        "may reply once",
        "Not a genuine experience",
        "appeal a decision once",
        f"score = ({PRIOR_WEIGHT} \u00d7 directory average",
    ):
        assert text in page, text


def test_the_footer_links_both_pages(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/how-reviews-work"' in page and 'href="/transparency"' in page
