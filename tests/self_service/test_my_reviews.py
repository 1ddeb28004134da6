"""'My reviews': every review of the signed-in person, its state, and what they may do."""

from __future__ import annotations

import html
import re

from directory.extensions import db
from directory.reviews.models import ReviewState
from tests.factories import create_clinic, create_review, create_therapist, create_user
from tests.self_service.conftest import sign_in


def written_by(user, therapist, state: ReviewState, **fields):
    return create_review(
        therapist, user_id=user.id, reviewer_email=user.email, state=state, **fields
    )


def test_every_review_of_mine_with_its_state_and_actions(client):
    user, stranger = create_user(), create_user()
    clinic = create_clinic()
    therapists = [create_therapist(clinic) for _ in range(6)]
    written_by(user, therapists[0], ReviewState.AWAITING_EMAIL, title="Unconfirmed one")
    written_by(user, therapists[1], ReviewState.PENDING, title="Pending one")
    written_by(user, therapists[2], ReviewState.PUBLISHED, title="Published one")
    written_by(
        user,
        therapists[3],
        ReviewState.REJECTED,
        title="Rejected one",
        rejection_reason="promotional",
    )
    written_by(user, therapists[4], ReviewState.WITHDRAWN, title="Withdrawn one")
    written_by(user, therapists[5], ReviewState.REMOVED, title="Removed one")
    create_review(
        therapists[0], reviewer_email=stranger.email, user_id=stranger.id, title="Not mine"
    )
    db.session.commit()

    sign_in(client, user.email)
    page = client.get("/account/reviews").get_data(True)
    for text in (
        "Waiting for you to confirm your email",
        "Waiting for a moderator",
        "Published",
        "Not published",
        "Promotional or spam",
        "Withdrawn",
        "Removed by a moderator",
    ):
        assert text in page
    assert "Not mine" not in page
    assert page.count("Edit or withdraw") == 3  # unconfirmed, pending, published
    assert page.count("Appeal (once)") == 1

    manage = re.search(r'href="http://localhost(/reviews/manage/[^"]+)"', page).group(1)
    assert client.get(html.unescape(manage)).status_code == 200
    appeal = re.search(r'href="http://localhost(/reviews/appeal/[^"]+)"', page).group(1)
    assert client.get(html.unescape(appeal)).status_code == 200


def test_my_reviews_paginate(client):
    user = create_user()
    therapist = create_therapist(create_clinic())
    for number in range(12):
        written_by(user, therapist, ReviewState.WITHDRAWN, title=f"Review number {number}")
    db.session.commit()
    sign_in(client, user.email)
    first = client.get("/account/reviews").get_data(True)
    assert "Page 1 of 2" in first and "Review number 11" in first
    second = client.get("/account/reviews?page=2").get_data(True)
    assert "Review number 0" in second and "Review number 11" not in second
    assert client.get("/account/reviews?page=x").status_code == 400


def test_reviews_written_as_a_guest_count_once_the_address_is_verified(app):
    verified, unverified = create_user("ann@example.com"), create_user(verified=False)
    therapist = create_therapist(create_clinic())
    create_review(therapist, reviewer_email="ann@example.com", title="Written as a guest")
    create_review(therapist, reviewer_email=unverified.email, title="Not proven yet")
    db.session.commit()
    ann, other = app.test_client(), app.test_client()
    sign_in(ann, verified.email)
    sign_in(other, unverified.email)
    assert "Written as a guest" in ann.get("/account/reviews").get_data(True)
    assert "Not proven yet" not in other.get("/account/reviews").get_data(True)
    assert other.get("/account/export.json").get_json()["reviews"] == []
