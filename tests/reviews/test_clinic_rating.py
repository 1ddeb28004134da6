"""A clinic's rating sums its listed therapists' published reviews."""

from __future__ import annotations

from directory.extensions import db
from directory.reviews.models import ReviewState
from directory.reviews.ratings import clinic_totals, overview, recompute
from tests.factories import create_clinic, create_review, create_therapist


def test_the_clinic_page_shows_the_rating_of_its_listed_therapists(client):
    clinic = create_clinic("Harbour Massage")
    listed, other, hidden = (
        create_therapist(clinic),
        create_therapist(clinic),
        create_therapist(clinic, is_published=False),
    )
    create_review(listed, rating=5, rating_technique=5)
    create_review(listed, rating=4, rating_technique=3)
    create_review(other, rating=3)
    create_review(other, rating=1, state=ReviewState.REJECTED, published_at=None)
    create_review(hidden, rating=1)
    for therapist in (listed, other, hidden):
        recompute(therapist.id)
    db.session.commit()

    rating = overview(clinic_totals(clinic.id))
    assert (rating.count, rating.mean) == (3, 4.0)
    assert {bar.stars: bar.count for bar in rating.bars} == {5: 1, 4: 1, 3: 1, 2: 0, 1: 0}
    assert rating.aspects == {"technique": 4.0}
    assert rating.few

    page = client.get(f"/clinics/{clinic.slug}").data
    assert b"4.0 \xe2\x98\x85</strong> average from 3 published reviews" in page
    assert b"Based on only 3 reviews" in page
