"""A Redis outage no visitor notices: with a real redis-server stopped or hung, pages, API
searches and commits all work (without the cache), and caching comes back with Redis."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.taxonomy.models import Modality
from directory.therapists import services as therapists
from directory.therapists.models import Therapist
from tests.factories import create_clinic
from tests.support import statements

PROFILE = "/therapists/john-wintertime"
SEARCH = "/therapists?specialty=swedish"
API_SEARCH = "/api/v1/therapists?specialty=swedish"
RETRY_SECONDS = 0.3


@pytest.fixture
def outage_app(make_app, private_redis):
    """The production arrangement of caches, on a Redis the test may stop."""
    app = make_app(
        REDIS_URL=private_redis.url,
        SHARED_PAGE_SECONDS=300,
        SEARCH_CACHE_SECONDS=300,
        REDIS_RETRY_SECONDS=RETRY_SECONDS,
    )
    with app.app_context():
        act_for_all_clinics()
        yield app
        db.session.remove()


def get(client, path: str) -> tuple[str, int, float]:
    """The answer's text, its statements and its seconds; it must be a 200."""
    db.session.commit()  # end the test's transaction, as a request's end would
    started = time.monotonic()
    with statements() as seen:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True), len(seen), time.monotonic() - started


def john() -> Therapist:
    swedish = db.session.scalar(sa.select(Modality.id).where(Modality.slug == "swedish"))
    therapist = therapists.create_therapist(
        create_clinic("Bang Rak Thai Massage"),
        therapists.TherapistProfile(name="John Wintertime", modality_ids=[swedish]),
    )
    therapists.publish(therapist)
    db.session.commit()  # the eager worker builds the search document
    return therapist


def rename(therapist: Therapist, name: str) -> None:
    profile = therapists.TherapistProfile(
        name=name, modality_ids=[modality.id for modality in therapist.modalities]
    )
    therapists.update_therapist(therapist, profile)
    db.session.commit()


def everything_answers(client, name: str) -> float:
    """Profile, search page and API search answer 200 and show `name`; the slowest time."""
    slowest = 0.0
    for path in (PROFILE, SEARCH, API_SEARCH):
        text, _, seconds = get(client, path)
        assert name in text, path
        slowest = max(slowest, seconds)
    return slowest


def caching_works(client) -> bool:
    get(client, PROFILE)
    _, profile_queries, _ = get(client, PROFILE)
    get(client, SEARCH)
    _, search_queries, _ = get(client, SEARCH)
    return profile_queries == 0 and search_queries == 0


def wait_past_the_rest() -> None:
    time.sleep(RETRY_SECONDS + 0.1)


def test_with_redis_stopped_every_page_and_commit_works_and_caching_comes_back(
    outage_app, private_redis
):
    client = outage_app.test_client()
    therapist = john()
    everything_answers(client, "John Wintertime")
    assert caching_works(client)

    private_redis.stop()
    everything_answers(client, "John Wintertime")
    rename(therapist, "John Wintertime-Reyes")  # the commit neither raises nor is lost
    everything_answers(client, "John Wintertime-Reyes")
    _, queries, _ = get(client, PROFILE)
    assert queries > 0  # rendered: nothing is stored while Redis is away

    private_redis.start()
    wait_past_the_rest()
    everything_answers(client, "John Wintertime-Reyes")
    assert caching_works(client)


def test_with_redis_hung_no_request_waits_long_and_no_change_is_lost(outage_app, private_redis):
    client = outage_app.test_client()
    therapist = john()
    assert caching_works(client)

    private_redis.hang()
    try:
        slowest = everything_answers(client, "John Wintertime")
        rename(therapist, "John Wintertime-Reyes")
        slowest = max(slowest, everything_answers(client, "John Wintertime-Reyes"))
    finally:
        private_redis.resume()
    # One short timeout at most, then this process leaves Redis alone for a moment.
    assert slowest < 1.5

    wait_past_the_rest()
    # The pages stored before the hang showed the old name: they are never served again.
    everything_answers(client, "John Wintertime-Reyes")
    assert caching_works(client)
    page, _, _ = get(client, PROFILE)
    assert "John Wintertime-Reyes" in page
