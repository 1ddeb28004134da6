"""'Helpful' votes: each visitor counts once per published review, and "Most helpful"
orders by them (over HTTP, SQLite and PostgreSQL as the application role)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from directory.clinics.models import Role
from directory.core.tenancy import PUBLIC_SCOPE, for_all_clinics, restore_scope
from directory.extensions import db
from directory.reviews import helpful
from directory.reviews.models import HelpfulVote, ReviewState
from tests import support
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_review, create_therapist, create_user


def helpful_count(review) -> int:
    db.session.expire_all()
    return db.session.get(type(review), review.id).helpful_count


def votes() -> list[tuple[int, str]]:
    with for_all_clinics():
        return [
            (vote.review_id, vote.voter.split(":")[0])
            for vote in db.session.scalars(sa.select(HelpfulVote).order_by(HelpfulVote.id))
        ]


def vote(client, review):
    return client.post(f"/reviews/{review.id}/helpful", follow_redirects=True)


def test_a_visitor_counts_once_and_another_visitor_counts_too(app):
    therapist = create_therapist(create_clinic())
    review = create_review(therapist, title="Knots gone after two visits")
    db.session.commit()
    first, second = app.test_client(), app.test_client()

    page = vote(first, review)
    assert page.status_code == 200
    assert b"Thank you: your vote helps others" in page.data
    assert b"1 person found this helpful" in page.data
    again = vote(first, review)
    assert b"You have already marked this review as helpful." in again.data
    assert helpful_count(review) == 1

    assert b"2 people found this helpful" in vote(second, review).data
    assert helpful_count(review) == 2
    assert votes() == [(review.id, "visitor"), (review.id, "visitor")]


def test_a_signed_in_client_counts_once_whatever_the_session(app):
    review = create_review(create_therapist(create_clinic()))
    client_user = create_user()
    db.session.commit()
    for _ in range(2):
        browser = app.test_client()
        sign_in(browser, client_user)
        vote(browser, review)
    assert helpful_count(review) == 1
    assert votes() == [(review.id, "user")]


def test_the_clinic_and_the_reviewer_cannot_vote(app):
    clinic = create_clinic()
    review = create_review(create_therapist(clinic))
    author = create_user()
    own = create_review(create_therapist(create_clinic()), user_id=author.id)
    staff = member(clinic, Role.STAFF)
    db.session.commit()

    browser = app.test_client()
    sign_in(browser, staff)
    assert b"People who work at this clinic cannot vote" in vote(browser, review).data
    browser = app.test_client()
    sign_in(browser, author)
    assert b"This is your own review" in vote(browser, own).data
    assert (helpful_count(review), helpful_count(own)) == (0, 0)
    assert votes() == []


@pytest.mark.parametrize("state", [ReviewState.PENDING, ReviewState.REMOVED])
def test_votes_on_reviews_that_are_not_published_answer_404(client, state):
    review = create_review(create_therapist(create_clinic()), state=state, published_at=None)
    db.session.commit()
    assert client.post(f"/reviews/{review.id}/helpful").status_code == 404
    assert client.post("/reviews/999999/helpful").status_code == 404
    assert client.get(f"/reviews/{review.id}/helpful").status_code == 405
    assert votes() == []


def test_most_helpful_lists_the_reviews_visitors_found_helpful_first(app):
    therapist = create_therapist(create_clinic())
    older = create_review(therapist, title="Older but useful")
    create_review(therapist, title="Newer, said less")
    db.session.commit()
    vote(app.test_client(), older)
    page = app.test_client().get(f"/therapists/{therapist.slug}?sort=helpful").data.decode()
    titles = re.findall(r"<h3>([^<]+)</h3>", page)
    assert titles.index("Older but useful") < titles.index("Newer, said less")


def test_the_service_leaves_the_reviews_count_current(app):
    review = create_review(create_therapist(create_clinic()), helpful_count=4)
    db.session.commit()
    assert helpful.mark_helpful(review, helpful.guest_voter("a-visitor")) is True
    assert review.helpful_count == 5  # without reloading
    assert helpful.mark_helpful(review, helpful.guest_voter("a-visitor")) is False
    assert review.helpful_count == 5
    db.session.commit()
    assert helpful_count(review) == 5


def test_two_concurrent_votes_of_one_visitor_count_once(app):
    """The INSERT skips a row already there, so a double click cannot count twice."""
    review = create_review(create_therapist(create_clinic()))
    db.session.commit()
    review_id, clinic_id = review.id, review.clinic_id

    def click():
        with app.app_context():
            restore_scope(PUBLIC_SCOPE)
            from_db = db.session.get(type(review), review_id)
            with for_all_clinics():
                counted = helpful.mark_helpful(from_db, helpful.guest_voter("same-visitor"))
            db.session.commit()
            db.session.remove()
            return counted

    assert sorted(support.run_at_once([click, click])) == [False, True]
    assert helpful_count(review) == 1
    with for_all_clinics():
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(HelpfulVote.clinic_id == clinic_id))
            == 1
        )


@pytest.mark.postgres
def test_votes_are_private_rows_of_the_reviewed_clinic(app):
    review = create_review(create_therapist(create_clinic()))
    db.session.commit()
    vote(app.test_client(), review)
    restore_scope(PUBLIC_SCOPE)
    assert db.session.execute(sa.text("SELECT voter FROM review_helpful_votes")).all() == []
    db.session.rollback()
