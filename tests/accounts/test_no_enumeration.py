"""Registration, password reset and a review's resend answer alike, and do the same work,
for addresses that have an account (or a waiting review) and addresses that do not."""

from __future__ import annotations

import sqlalchemy as sa

from directory.core.outbox import OutboxMessage
from directory.extensions import db
from directory.reviews.models import ReviewState
from tests.factories import create_clinic, create_review, create_therapist, create_user

TRIES = 5
PASSWORD = "a long enough password"


def from_address(n: int) -> dict:
    """Each try from an address of its own: the per-address rate limits are tested elsewhere."""
    return {"environ_base": {"REMOTE_ADDR": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}}


def queued_emails() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def compare(known_post, unknown_post) -> None:
    """Both kinds answer alike, and each try queues exactly one email (the same work).
    Their timings are measured in docs/benchmarks.md, not asserted: a bound of a few
    milliseconds does not hold on a busy 2-core machine."""
    answers = {}
    for kind, post in (("known", known_post), ("unknown", unknown_post)):
        before = queued_emails()
        answers[kind] = {
            (answer.status_code, answer.headers.get("Location"))
            for answer in (post(n) for n in range(TRIES))
        }
        db.session.expire_all()
        assert queued_emails() - before == TRIES, kind
    assert answers["known"] == answers["unknown"]
    assert len(answers["known"]) == 1


def test_registration_answers_alike_for_known_and_new_addresses(app):
    create_user("taken@example.com")
    db.session.commit()
    client = app.test_client()
    counter = iter(range(10_000))

    def register(email: str):
        return client.post(
            "/register",
            data={
                "display_name": "Someone",
                "email": email,
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
            **from_address(next(counter)),
        )

    compare(
        lambda n: register("taken@example.com"),
        lambda n: register(f"new{next(counter)}@example.com"),
    )


def test_password_reset_answers_alike_for_known_and_unknown_addresses(app):
    create_user("reset.me@example.com")
    db.session.commit()
    client = app.test_client()
    counter = iter(range(10_000))

    def reset(email: str):
        return client.post("/forgot-password", data={"email": email}, **from_address(next(counter)))

    compare(lambda n: reset("reset.me@example.com"), lambda n: reset("nobody@example.com"))


def test_a_reviews_resend_answers_alike_whether_or_not_one_is_waiting(app):
    therapist = create_therapist(create_clinic(), slug="john-wintertime")
    # One waiting review per try: each address may ask for its link a few times an hour.
    waiting = [f"waiting{n}@example.org" for n in range(TRIES)]
    for email in waiting:
        create_review(
            therapist,
            reviewer_email=email,
            state=ReviewState.AWAITING_EMAIL,
            published_at=None,
        )
    db.session.commit()
    client = app.test_client()
    url = "/therapists/john-wintertime/reviews/resend"
    counter = iter(range(10_000))
    addresses = iter(waiting)

    def resend(email: str):
        return client.post(url, data={"email": email}, **from_address(next(counter)))

    compare(
        lambda n: resend(next(addresses)),
        lambda n: resend(f"nobody{next(counter)}@example.org"),
    )
