"""Anyone can ask the moderators to look at a published review again; nothing else changes."""

from __future__ import annotations

import sqlalchemy as sa

from directory.extensions import db
from directory.reviews.models import FlagSource, ReviewFlag, ReviewState
from tests.factories import create_clinic, create_review, create_therapist
from tests.moderation.helpers import moderator_client


def test_a_visitor_reports_a_review_and_moderators_see_it(client):
    therapist = create_therapist(create_clinic())
    review = create_review(therapist, title="Suspiciously glowing")
    db.session.commit()
    page = client.get(f"/therapists/{therapist.slug}").data
    assert b"Report this review" in page

    url = f"/reviews/{review.id}/report"
    data = {"reason": "not_genuine", "note": "Same text on three sites", "email": "Pat@Example.org"}
    response = client.post(url, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"#review-{review.id}"
    )
    again = client.post(url, data=data)
    assert again.status_code == 302
    flags = db.session.scalars(sa.select(ReviewFlag)).all()
    assert [(f.source, f.reason_code, f.reporter_email) for f in flags] == [
        (FlagSource.PUBLIC, "not_genuine", "pat@example.org")
    ]
    db.session.refresh(review)
    assert review.state == ReviewState.PUBLISHED

    moderator_client(client)
    assert b"Same text on three sites" in client.get("/moderation/flags").data


def test_reports_of_unpublished_or_unknown_reviews_answer_404(client):
    therapist = create_therapist(create_clinic())
    pending = create_review(therapist, state=ReviewState.PENDING, published_at=None)
    db.session.commit()
    assert (
        client.post(f"/reviews/{pending.id}/report", data={"reason": "offensive"}).status_code
        == 404
    )
    assert client.post("/reviews/999999/report", data={"reason": "offensive"}).status_code == 404
    bad = client.post(f"/reviews/{pending.id + 1000}/report", data={"reason": "nonsense"})
    assert bad.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewFlag)) == 0


def test_a_report_with_a_bad_reason_saves_nothing(client):
    review = create_review(create_therapist(create_clinic()))
    db.session.commit()
    response = client.post(f"/reviews/{review.id}/report", data={"reason": "nonsense"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewFlag)) == 0
