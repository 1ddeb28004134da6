"""Registration, password reset and a review's resend answer alike, and do the same work,
for addresses that have an account (or a waiting review) and addresses that do not."""

from __future__ import annotations

import sqlalchemy as sa

from directory.core.mail import SEND_EMAIL_TASK
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
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.task_name == SEND_EMAIL_TASK)
    )


def compare(known_post, unknown_post) -> None:
    """Both kinds answer alike, and each try leads to exactly one email.  Their timings
    are compared in test_answer_timing.py."""
    answers = {}
    for kind, post in (("known", known_post), ("unknown", unknown_post)):
        before = queued_emails()
        answers[kind] = {
            (answer.status_code, answer.headers.get("Location"))
            for answer in (post() for _ in range(TRIES))
        }
        db.session.expire_all()
        assert queued_emails() - before == TRIES, kind
    assert answers["known"] == answers["unknown"]
    assert len(answers["known"]) == 1


def registrations(client):
    """(known, new): posts of the registration form, each from an address of its own."""
    create_user("taken@example.com")
    db.session.commit()
    tries = iter(range(10_000))

    def register(email: str):
        form = {"display_name": "Someone", "email": email, "password": PASSWORD}
        return client.post(
            "/register", data={**form, "confirm": PASSWORD}, **from_address(next(tries))
        )

    return (
        lambda: register("taken@example.com"),
        lambda: register(f"new{next(tries)}@example.com"),
    )


def password_resets(client):
    """(known, unknown): posts of the forgotten-password form."""
    create_user("reset.me@example.com")
    db.session.commit()
    tries = iter(range(10_000))

    def reset(email: str):
        return client.post("/forgot-password", data={"email": email}, **from_address(next(tries)))

    return (
        lambda: reset("reset.me@example.com"),
        lambda: reset(f"nobody{next(tries)}@example.com"),
    )


def resends(client, count: int):
    """(waiting, none waiting): posts asking for a review's link again; `count` of the
    first kind, each for a review of its own (an address may ask a few times an hour)."""
    therapist = create_therapist(create_clinic(), slug="john-wintertime")
    waiting = [f"waiting{n}@example.org" for n in range(count)]
    for email in waiting:
        create_review(
            therapist, reviewer_email=email, state=ReviewState.AWAITING_EMAIL, published_at=None
        )
    db.session.commit()
    url = "/therapists/john-wintertime/reviews/resend"
    tries, addresses = iter(range(10_000)), iter(waiting)

    def resend(email: str):
        return client.post(url, data={"email": email}, **from_address(next(tries)))

    return (
        lambda: resend(next(addresses)),
        lambda: resend(f"nobody{next(tries)}@example.org"),
    )


def test_registration_answers_alike_for_known_and_new_addresses(app):
    compare(*registrations(app.test_client()))


def test_password_reset_answers_alike_for_known_and_unknown_addresses(app):
    compare(*password_resets(app.test_client()))


def test_a_reviews_resend_answers_alike_whether_or_not_one_is_waiting(app):
    compare(*resends(app.test_client(), TRIES))
