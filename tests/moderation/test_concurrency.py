"""Two moderators at once: one decision per review, and no lost rating counts."""

from __future__ import annotations

from directory.extensions import db
from directory.reviews.models import Review, ReviewState, TherapistRating
from tests.factories import PASSWORD, create_clinic, create_therapist, create_user
from tests.moderation.helpers import pending_review
from tests.support import run_at_once


def approve_at_once(make_app, moderators, review_ids) -> list[int]:
    clients = []
    for email in moderators:
        client = make_app().test_client()
        client.post("/sign-in", data={"email": email, "password": PASSWORD})
        clients.append(client)
    approvals = [
        lambda c=c, r=r: c.post(f"/moderation/reviews/{r}/approve").status_code
        for c, r in zip(clients, review_ids, strict=True)
    ]
    return sorted(run_at_once(approvals))


def two_moderators() -> list[str]:
    emails = [create_user(platform_role="moderator").email for _ in range(2)]
    db.session.commit()
    return emails


def test_two_moderators_approving_one_review_at_once_publish_it_once(app, make_app):
    therapist = create_therapist(create_clinic())
    review = pending_review(therapist, rating=4)
    moderators = two_moderators()
    assert approve_at_once(make_app, moderators, [review.id, review.id]) == [302, 409]
    db.session.expire_all()
    assert db.session.get(Review, review.id).state == ReviewState.PUBLISHED
    assert db.session.get(TherapistRating, therapist.id).review_count == 1


def test_two_reviews_of_one_therapist_approved_at_once_both_count(app, make_app):
    therapist = create_therapist(create_clinic())
    first, second = pending_review(therapist, rating=5), pending_review(therapist, rating=2)
    moderators = two_moderators()
    assert approve_at_once(make_app, moderators, [first.id, second.id]) == [302, 302]
    db.session.expire_all()
    rating = db.session.get(TherapistRating, therapist.id)
    assert (rating.review_count, rating.rating_sum, rating.count_5, rating.count_2) == (2, 7, 1, 1)
