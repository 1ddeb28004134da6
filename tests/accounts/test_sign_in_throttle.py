"""Many wrong passwords for one account, from many addresses, slow the next tries down
(growing delays, counted in a real Redis); the owner is never shut out."""

from __future__ import annotations

import pytest

from directory.accounts import sign_in_throttle
from directory.core.outbox import OutboxMessage
from directory.extensions import db
from tests.factories import PASSWORD, create_user

ADDRESSES = [f"198.51.100.{n}" for n in range(1, 9)]


class Clock:
    def __init__(self, start: float = 1_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sign_in_throttle, "clock", clock)
    return clock


def attempt(app, email: str, password: str, address: str = "203.0.113.50", client=None):
    client = client or app.test_client()
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def emails_to(address: str) -> list[str]:
    return [
        message.payload["template"]
        for message in db.session.scalars(db.select(OutboxMessage))
        if message.payload.get("to") == address
    ]


def test_forty_failures_from_eight_addresses_slow_the_next_tries(redis_app, clock):
    user = create_user("owner@example.com")
    db.session.commit()
    answers = []
    for n in range(40):
        answers.append(attempt(redis_app, user.email, f"guess {n}", ADDRESSES[n % 8]))
        clock.now += 30  # a guess every 30 s, spread over eight machines
    statuses = [answer.status_code for answer in answers]
    assert statuses[: sign_in_throttle.FREE_FAILURES] == [422] * sign_in_throttle.FREE_FAILURES
    assert statuses.count(429) >= 25  # most guesses were told to wait, unchecked
    slowed = answers[-1]
    assert "Too many wrong passwords for this account" in slowed.get_data(True)
    assert int(slowed.headers["Retry-After"]) > 0

    # The right password from a new machine must wait too...
    right = attempt(redis_app, user.email, PASSWORD, "203.0.113.9")
    assert right.status_code == 429
    wait = int(right.headers["Retry-After"])
    assert wait <= sign_in_throttle.MAX_DELAY_SECONDS

    # ...but only that long: the owner signs in, and hears of the failures.
    clock.now += wait
    assert attempt(redis_app, user.email, PASSWORD, "203.0.113.9").status_code == 302
    db.session.expire_all()
    assert "sign_in_after_failures" in emails_to(user.email)
    assert attempt(redis_app, user.email, "one more guess").status_code == 422  # forgotten


def test_a_browser_that_signed_in_before_is_not_held_back(redis_app, clock):
    user = create_user("regular@example.com")
    db.session.commit()
    laptop = redis_app.test_client()
    assert attempt(redis_app, user.email, PASSWORD, client=laptop).status_code == 302
    laptop.post("/sign-out")
    for n in range(12):
        attempt(redis_app, user.email, f"guess {n}", ADDRESSES[n % 8])
    assert attempt(redis_app, user.email, PASSWORD).status_code == 429
    assert attempt(redis_app, user.email, PASSWORD, client=laptop).status_code == 302


def test_unknown_addresses_are_slowed_the_same_way(redis_app, clock):
    create_user("known@example.com")
    db.session.commit()
    for email in ("known@example.com", "unknown@example.com"):
        statuses = [attempt(redis_app, email, f"guess {n}").status_code for n in range(7)]
        assert statuses == [422] * sign_in_throttle.FREE_FAILURES + [429, 429], email


def test_a_password_reset_clears_the_failures(redis_app, clock):
    user = create_user("forgetful@example.com")
    db.session.commit()
    for n in range(8):
        attempt(redis_app, user.email, f"guess {n}")
    assert attempt(redis_app, user.email, PASSWORD).status_code == 429
    sign_in_throttle.forget_failures(user.email)  # what the reset view does after commit
    assert attempt(redis_app, user.email, PASSWORD).status_code == 302


def test_delays_double_up_to_the_maximum():
    free = sign_in_throttle.FREE_FAILURES
    waits = [sign_in_throttle.Failures(free + n, 0.0).wait_seconds(0.0) for n in range(12)]
    assert waits[:4] == [1, 2, 4, 8]
    assert max(waits) == sign_in_throttle.MAX_DELAY_SECONDS
    assert sign_in_throttle.Failures(free - 1, 0.0).wait_seconds(0.0) == 0
