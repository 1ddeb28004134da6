"""'Export my data': one JSON file with everything kept about the person."""

from __future__ import annotations

import json

from directory.clinics.models import Role
from directory.extensions import db
from directory.reviews.helpful import user_voter
from directory.reviews.models import HelpfulVote, ReviewState
from tests.factories import create_clinic, create_review, create_therapist, create_user
from tests.self_service.conftest import sign_in


def test_the_export_holds_account_reviews_votes_memberships_and_emails(client):
    user = create_user("ann@example.com", display_name="Ann Lee")
    other = create_user()
    clinic = create_clinic("Ann's Clinic", owner=user)
    elsewhere = create_therapist(create_clinic())
    mine = create_review(
        elsewhere,
        user_id=user.id,
        reviewer_email=user.email,
        state=ReviewState.PENDING,
        title="Kind and careful",
    )
    create_review(elsewhere, user_id=other.id, reviewer_email=other.email, title="Not mine")
    liked = create_review(create_therapist(clinic), reviewer_email=other.email)
    db.session.add(
        HelpfulVote(clinic_id=liked.clinic_id, review_id=liked.id, voter=user_voter(user))
    )
    db.session.commit()
    sign_in(client, user.email)

    response = client.get("/account/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(True))
    assert data["account"]["email"] == "ann@example.com"
    assert data["account"]["display_name"] == "Ann Lee"
    assert [review["title"] for review in data["reviews"]] == ["Kind and careful"]
    assert data["reviews"][0]["id"] == mine.id and data["reviews"][0]["state"] == "pending"
    assert [vote["review_id"] for vote in data["helpful_votes"]] == [liked.id]
    assert data["memberships"] == [
        {"clinic": "Ann's Clinic", "clinic_slug": clinic.slug, "role": Role.OWNER}
    ]
    assert data["emails"] == []


def test_the_export_lists_the_emails_sent_to_the_account(client):
    user = create_user(verified=False)
    db.session.commit()
    sign_in(client, user.email)
    client.post("/account/verify/resend")
    data = client.get("/account/export.json").get_json()
    [email] = data["emails"]
    assert email["to"] == user.email and email["subject"] == "Confirm your email address"
    assert email["state"] == "sent" and "/account/verify/" in email["text"]
