"""Registration, password reset and a review's resend take as long for an address that
has an account (or a waiting review) as for one that has not: the median of 40 tries of
each differs by under 2 ms, so timing tells an attacker nothing either.

Jobs leave through a real broker, as in production (eagerly, the job's own work would be
timed with the request).  These run alone (`make test` runs them after the rest): with
the machine shared, milliseconds measure the neighbours.
"""

from __future__ import annotations

import statistics
import time
import uuid

import pytest
import redis

from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from tests.accounts.test_no_enumeration import password_resets, registrations, resends

pytestmark = [pytest.mark.redis, pytest.mark.alone]

TRIES = 40
WARM_UP = 5
MOST_MS = 2.0


@pytest.fixture
def app(make_app, redis_url):
    """The app with a broker nobody consumes from (its queue is deleted afterwards)."""
    queue = f"timing-{uuid.uuid4().hex[:8]}"
    app = make_app(CELERY_EAGER=False, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=queue)
    with app.app_context():
        act_for_all_clinics()
        yield app
        db.session.remove()
    redis.Redis.from_url(redis_url).delete(queue)


def assert_alike(known_post, unknown_post) -> None:
    """Tries alternate between the two kinds, so a slower moment of the machine falls on
    both; the first WARM_UP of each are not counted (caches, connections)."""
    taken: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(WARM_UP + TRIES):
        order = [("known", known_post), ("unknown", unknown_post)]
        for kind, post in order if n % 2 else reversed(order):
            started = time.perf_counter()
            answer = post()
            elapsed_ms = (time.perf_counter() - started) * 1000
            assert answer.status_code in (200, 302), (kind, answer.status_code)
            if n >= WARM_UP:
                taken[kind].append(elapsed_ms)
    known, unknown = (statistics.median(taken[kind]) for kind in ("known", "unknown"))
    assert abs(known - unknown) < MOST_MS, f"median {known:.2f} ms known, {unknown:.2f} ms unknown"


def test_registration_takes_as_long_for_a_known_address(app):
    assert_alike(*registrations(app.test_client()))


def test_a_password_reset_takes_as_long_for_a_known_address(app):
    assert_alike(*password_resets(app.test_client()))


def test_a_resend_takes_as_long_whether_or_not_a_review_is_waiting(app):
    assert_alike(*resends(app.test_client(), WARM_UP + TRIES))
