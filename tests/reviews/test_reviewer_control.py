"""The reviewer's signed link: edit (back to moderation) or withdraw, once per version."""

from __future__ import annotations

import re

import sqlalchemy as sa

from directory.core.tokens import TokenPurpose, make_token
from directory.extensions import db
from directory.reviews.models import Review, ReviewState, TherapistRating
from directory.reviews.publication import change_state
from directory.reviews.reviewer_control import manage_token
from tests.accounts.test_accounts import emails_in
from tests.factories import create_clinic, create_review, create_therapist
from tests.reviews.test_writing import review_form
from tests.support import run_at_once

MANAGE_LINK = re.compile(r"http://localhost(/reviews/manage/\S+)")


def published_review(**fields) -> Review:
    therapist = create_therapist(create_clinic(), slug="john-wintertime")
    review = create_review(therapist, state=ReviewState.PENDING, rating=5, **fields)
    change_state(review, ReviewState.PUBLISHED)
    db.session.commit()
    return review


def edit_form(**overrides) -> dict:
    data = review_form(**overrides)
    del data["email"]
    return data


def rating_count(review: Review) -> int:
    db.session.expire_all()
    totals = db.session.get(TherapistRating, review.therapist_id)
    return totals.review_count if totals else 0


def manage_links_in(mail_folder) -> list[str]:
    return [
        MANAGE_LINK.search(message.get_body(("plain",)).get_content()).group(1)
        for message in emails_in(mail_folder)
    ]


def test_the_confirmation_email_and_thanks_page_carry_the_manage_link(client, mail_folder):
    therapist = create_therapist(create_clinic(), slug="john-wintertime")
    db.session.commit()
    thanks = client.post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    [link] = manage_links_in(mail_folder)
    # Both sign the same review version (their timestamps may differ by a second).
    on_page = re.search(r'href="http://localhost(/reviews/manage/[^"]+)"', thanks.text).group(1)
    assert on_page.split(".")[0] == link.split(".")[0]
    assert client.get(on_page).status_code == 200
    page = client.get(link)
    assert page.status_code == 200
    assert b"Edit the review" in page.data and b"Withdraw the review" in page.data
    assert b"My upper back finally let go" in page.data  # the form shows the review as it is


def test_editing_a_published_review_sends_it_back_to_moderation_and_retires_the_link(
    client, mail_folder
):
    review = published_review()
    assert rating_count(review) == 1
    link = f"/reviews/manage/{manage_token(review)}"

    response = client.post(link, data=edit_form(title="Even better after a second visit"))
    assert response.status_code == 200 and b"updated" in response.data
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert (review.state, review.revision) == (ReviewState.PENDING, 2)
    assert review.title == "Even better after a second visit"
    assert review.submitted_at is not None and review.decided_at is None
    assert rating_count(review) == 0  # it left `published`, so it no longer counts

    reused = client.get(link)
    assert reused.status_code == 400 and b"earlier version" in reused.data
    [fresh] = manage_links_in(mail_folder)
    assert fresh != link and client.get(fresh).status_code == 200


def test_an_edit_with_bad_input_keeps_what_was_typed_and_changes_nothing(client):
    review = published_review()
    link = f"/reviews/manage/{manage_token(review)}"
    response = client.post(link, data=edit_form(body="Too short."))
    assert response.status_code == 422 and b"Too short." in response.data
    db.session.expire_all()
    assert db.session.get(Review, review.id).state == ReviewState.PUBLISHED
    assert client.get(link).status_code == 200


def test_withdrawing_works_once_and_takes_the_review_out_of_the_rating(client):
    review = published_review()
    link = f"/reviews/manage/{manage_token(review)}/withdraw"
    assert client.post(link).status_code == 200
    db.session.expire_all()
    assert db.session.get(Review, review.id).state == ReviewState.WITHDRAWN
    assert rating_count(review) == 0
    assert client.post(link).status_code == 400


def test_tampered_expired_and_wrong_purpose_manage_links_are_refused(app, client):
    review = published_review()
    good = manage_token(review)
    assert client.get(f"/reviews/manage/{good[:-2]}xx").status_code == 400
    payload = {"rid": review.id, "clinic": review.clinic_id, "rev": review.revision}
    wrong_purpose = make_token(TokenPurpose.CONFIRM_REVIEW, payload)
    assert client.get(f"/reviews/manage/{wrong_purpose}").status_code == 400
    other_clinic = make_token(TokenPurpose.MANAGE_REVIEW, payload | {"clinic": 999})
    assert client.post(f"/reviews/manage/{other_clinic}/withdraw").status_code == 400
    app.config["REVIEW_MANAGE_LINK_MAX_AGE"] = -1
    expired = client.post(f"/reviews/manage/{good}/withdraw")
    assert expired.status_code == 400 and b"expired" in expired.data
    db.session.expire_all()
    assert db.session.get(Review, review.id).state == ReviewState.PUBLISHED


def test_two_concurrent_withdrawals_succeed_exactly_once(app, make_app):
    review = published_review()
    link = f"/reviews/manage/{manage_token(review)}/withdraw"
    clients = [make_app().test_client() for _ in range(2)]
    statuses = run_at_once([lambda c=c: c.post(link).status_code for c in clients])
    assert sorted(statuses) == [200, 400]
    assert rating_count(review) == 0  # taken out once, not twice
    assert db.session.get(Review, review.id).revision == 2


def test_rejected_reviews_cannot_be_changed_from_an_old_link(client):
    therapist = create_therapist(create_clinic())
    review = create_review(therapist, state=ReviewState.REJECTED, published_at=None)
    db.session.commit()
    assert client.get(f"/reviews/manage/{manage_token(review)}").status_code == 400


def test_the_withdraw_link_needs_a_post(client):
    review = published_review()
    assert client.get(f"/reviews/manage/{manage_token(review)}/withdraw").status_code == 405
    assert db.session.scalar(sa.select(Review.state)) == ReviewState.PUBLISHED
