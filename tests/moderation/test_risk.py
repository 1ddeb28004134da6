"""Risk signals on the moderation queue: what each one catches, in a fixed number of queries."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event

from directory.core.models import utcnow
from directory.extensions import db
from directory.moderation.risk import contact_details, signals_for
from directory.reviews import ratings
from directory.reviews.models import Review
from tests.clinics.test_console import member
from tests.factories import create_clinic, create_review, create_therapist
from tests.moderation.helpers import pending_review

BODY = "Firm, careful trigger point work on my upper back; I slept well for the first time."


@contextmanager
def counted_queries():
    statements = []

    def count(*_args):
        statements.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def fresh(reviews: list[Review]) -> list[Review]:
    ids = [review.id for review in reviews]
    return list(db.session.scalars(sa.select(Review).where(Review.id.in_(ids))))


def codes(signals) -> set[str]:
    return {signal.code for signal in signals}


def test_each_signal_fires_on_what_it_describes(app):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    for n in range(5):
        create_review(therapist, rating=5, body=f"Published review number {n} " + "x" * n)
    ratings.recompute(therapist.id)
    staff = member(clinic)

    duplicate = pending_review(therapist, rating=5, body=BODY, reviewer_email="a@example.org")
    copy = pending_review(therapist, rating=5, body=BODY + "!", reviewer_email="b@example.org")
    outlier = pending_review(therapist, rating=1, body="Nothing alike at all, sadly a poor visit.")
    contact = pending_review(
        therapist, body="Book with me instead: jane@rival.example or www.rival-massage.com"
    )
    throwaway = pending_review(therapist, reviewer_email="someone@mailinator.com")
    insider = pending_review(therapist, reviewer_email=staff.email)
    burst = [
        pending_review(create_therapist(create_clinic()), submitted_ip="203.0.113.9", body=f"{n}")
        for n in range(3)
    ]
    db.session.commit()

    found = signals_for([duplicate, copy, outlier, contact, throwaway, insider, *burst])
    assert "duplicate" in codes(found[duplicate.id]) and "duplicate" in codes(found[copy.id])
    assert "outlier" in codes(found[outlier.id]) and "outlier" not in codes(found[copy.id])
    assert "contact" in codes(found[contact.id])
    assert "disposable" in codes(found[throwaway.id])
    assert "conflict" in codes(found[insider.id])
    assert all("burst_ip" in codes(found[r.id]) for r in burst)
    # Eleven reviews for one therapist within a day is a burst for that therapist too.
    assert "burst_therapist" in codes(found[outlier.id])


def test_a_quiet_review_has_no_signals(app):
    review = pending_review(create_therapist(create_clinic()), body=BODY)
    assert signals_for([review]) == {review.id: []}


def test_a_page_of_the_queue_costs_the_same_few_queries_whatever_its_size(app):
    therapists = [create_therapist(create_clinic()) for _ in range(4)]
    small = [pending_review(therapists[0])]
    large = [
        pending_review(therapists[n % 4], submitted_ip=f"198.51.100.{n}", body=f"{BODY} {n}")
        for n in range(20)
    ]
    old = pending_review(therapists[1])
    db.session.execute(
        sa.update(type(old))
        .where(type(old).id == old.id)
        .values(created_at=utcnow() - timedelta(days=400))
    )
    db.session.commit()
    small, large = fresh(small), fresh(large)  # as the queue page loads them
    with counted_queries() as few:
        signals_for(small)
    with counted_queries() as many:
        signals_for(large)
    assert len(many) == len(few) <= 4


def test_contact_details_are_recognised():
    assert contact_details("Call 416-555-0199 today") == ["a phone number"]
    assert contact_details("see https://example.com") == ["a link"]
    assert contact_details("write to me@example.org") == ["an email address"]
    assert contact_details("Two sessions, 60 minutes each, in 2025.") == []
