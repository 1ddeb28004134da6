"""Registration, password reset and a review's resend answer alike for addresses that have
an account (or a waiting review) and addresses that do not; a reset takes as long."""

from __future__ import annotations

import statistics
import time

from directory.extensions import db
from directory.reviews.models import ReviewState
from tests.factories import create_clinic, create_review, create_therapist, create_user

TRIES = 40
# Medians of the two kinds may differ by less than this (the bound).
MAX_GAP_SECONDS = 0.002
PASSWORD = "a long enough password"


def from_address(n: int) -> dict:
    """Each try from an address of its own: the per-address rate limits are tested elsewhere."""
    return {"environ_base": {"REMOTE_ADDR": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}}


def timed(post) -> tuple[float, list]:
    """The median time of TRIES calls of `post(n)`, and their answers (after a first,
    untimed call of each kind, so neither pays for warming up)."""
    post(-1)
    answers, times = [], []
    for n in range(TRIES):
        started = time.perf_counter()
        answers.append(post(n))
        times.append(time.perf_counter() - started)
    return statistics.median(times), answers


def alike(answers) -> set:
    return {(answer.status_code, answer.headers.get("Location")) for answer in answers}


def compare(known_post, unknown_post, timing: bool = True) -> None:
    # Interleave the kinds in two rounds so drift on a busy machine touches both.
    known_first, known_answers = timed(known_post)
    unknown_first, unknown_answers = timed(unknown_post)
    unknown_second, _ = timed(unknown_post)
    known_second, _ = timed(known_post)
    known = statistics.mean([known_first, known_second])
    unknown = statistics.mean([unknown_first, unknown_second])
    assert alike(known_answers) == alike(unknown_answers)
    assert len(alike(known_answers)) == 1
    if timing:
        assert abs(known - unknown) < MAX_GAP_SECONDS, (known, unknown)


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

    # Alike in what they answer; a new account still costs the insert of its row (about
    # 3-6 ms more here), so timing is not asserted here.
    compare(
        lambda n: register("taken@example.com"),
        lambda n: register(f"new{next(counter)}@example.com"),
        timing=False,
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
    waiting = [f"waiting{n}@example.org" for n in range(2 * (TRIES + 1))]
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

    # Alike in what they answer and in the work queued (one email each); the waiting
    # review's email still takes longer to build and send, so timing is not asserted here.
    compare(
        lambda n: resend(next(addresses)),
        lambda n: resend(f"nobody{next(counter)}@example.org"),
        timing=False,
    )
