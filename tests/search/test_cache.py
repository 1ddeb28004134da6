"""Totals and facet counts are cached per generation of the index, and a change to any
document starts a new generation (SQLite and PostgreSQL, the in-process cache)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.search import cache
from directory.search.reindex import rebuild_all
from directory.taxonomy.models import Modality
from directory.therapists import services as therapists
from directory.therapists.models import Therapist
from tests.factories import create_clinic
from tests.search.conftest import run, slugs


@pytest.fixture
def cached_app(make_app):
    # No REDIS_URL: a Redis cache would be shared with every other test process.
    app = make_app(SEARCH_CACHE_SECONDS=300, REDIS_URL="")
    with app.app_context():
        act_for_all_clinics()
        yield app
        db.session.remove()


@contextmanager
def statements():
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        seen.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def swedish_therapist(name: str, clinic=None) -> Therapist:
    swedish = db.session.scalar(sa.select(Modality.id).where(Modality.slug == "swedish"))
    therapist = therapists.create_therapist(
        clinic or create_clinic(),
        therapists.TherapistProfile(name=name, modality_ids=[swedish], language_codes=["en"]),
    )
    therapists.publish(therapist)
    db.session.commit()
    return therapist


def aggregates(seen: list[str]) -> list[str]:
    return [s for s in seen if "count(" in s]


def test_a_repeated_search_reuses_the_cached_total_and_facets(cached_app):
    clinic = create_clinic("Lakeside Massage")
    for name in ("Ana Reyes", "Ben Ortiz", "Cleo Park"):
        swedish_therapist(name, clinic)
    with statements() as first_run:
        first = run(specialty="swedish")
    with statements() as second_run:
        second = run(specialty="swedish")
    assert aggregates(first_run), "the first search counts"
    assert aggregates(second_run) == []  # the second reads its counts from the cache
    assert len(second_run) < len(first_run)
    assert (second.total, second.facets, slugs(second)) == (first.total, first.facets, slugs(first))
    assert second.total == 3

    with statements() as text_first:
        words = run(q="lakeside massage")
    with statements() as text_again:
        again = run(q="lakeside massage")
    assert len(text_again) < len(text_first)
    assert (again.total, again.facets, slugs(again)) == (words.total, words.facets, slugs(words))


def test_a_committed_change_starts_a_new_generation(cached_app):
    ana = swedish_therapist("Ana Reyes")
    assert run(specialty="swedish").total == 1
    generation = cache.generation()

    swedish_therapist("Ben Ortiz")  # the worker's commit rebuilt a document
    assert cache.generation() != generation
    with statements() as seen:
        assert run(specialty="swedish").total == 2
    assert aggregates(seen)

    therapists.unpublish(db.session.get(Therapist, ana.id))
    db.session.rollback()  # a change that never commits changes no generation
    generation = cache.generation()
    assert run(specialty="swedish").total == 2
    therapists.unpublish(db.session.get(Therapist, ana.id))
    db.session.commit()  # removed in this very transaction, no worker involved
    assert cache.generation() != generation
    assert run(specialty="swedish").total == 1


def test_a_full_reindex_starts_a_new_generation(cached_app):
    swedish_therapist("Ana Reyes")
    assert run().total == 1
    generation = cache.generation()
    rebuild_all()
    assert cache.generation() != generation


def test_a_lost_generation_never_brings_back_older_counts(cached_app):
    """The generation key may go (a timeout, the in-process cache pruning itself, a Redis
    eviction) while older entries live on: counting must not start again at an old number."""
    swedish_therapist("Ana Reyes")
    assert run(specialty="swedish").total == 1
    swedish_therapist("Ben Ortiz")
    assert run(specialty="swedish").total == 2
    cached_app.extensions["search_cache"].delete(cache.GENERATION_KEY)
    assert run(specialty="swedish").total == 2
    swedish_therapist("Cleo Park")
    assert run(specialty="swedish").total == 3


def test_searches_that_find_different_names_do_not_share_counts(cached_app):
    """Stop words are no words to match, but they change which names look alike."""
    therapist = swedish_therapist("John Wintertime")
    assert slugs(run(q="wintertim")) == [therapist.slug]
    alike = run(q="wintertim the a")  # the same words, a name further away
    assert alike.total == len(alike.hits)


def test_names_that_look_alike_are_looked_up_once_per_generation(cached_app):
    swedish_therapist("John Wintertime")
    with statements() as first:
        assert slugs(run(q="jon wintertime")) == ["john-wintertime"]
    with statements() as again:
        assert slugs(run(q="jon wintertime", sort="rating")) == ["john-wintertime"]
    looks_alike = [s for s in first if "similarity(" in s or "search_names" in s]
    assert looks_alike, "the first search looks for names like the words"
    assert not [s for s in again if "similarity(" in s or "search_names" in s]

    swedish_therapist("Jon Wintertime")  # a new name: a new generation looks again
    with statements() as after:
        found = run(q="jon wintertime")
    assert [s for s in after if "similarity(" in s or "search_names" in s]
    assert {"john-wintertime", "jon-wintertime"} <= set(slugs(found))


def test_a_request_reads_the_generation_once_and_the_next_request_reads_it_again(cached_app):
    """Within a request every search counts one generation; a change another process
    announced in the meantime is seen from the next request on."""
    swedish_therapist("Ana Reyes")
    shared = cached_app.extensions["search_cache"]
    with cached_app.test_request_context("/therapists"):
        first = cache.generation()
        shared.set(cache.GENERATION_KEY, "announced-by-another-process", timeout=0)
        assert cache.generation() == first
    with cached_app.test_request_context("/therapists"):
        assert cache.generation() == "announced-by-another-process"


def test_a_request_that_commits_a_change_counts_the_new_generation(cached_app):
    with cached_app.test_request_context("/therapists"):
        before = cache.generation()
        swedish_therapist("Ana Reyes")  # commits: the index changed
        assert cache.generation() != before
        assert run(specialty="swedish").total == 1


def test_entries_read_once_are_served_from_this_process_without_the_shared_cache(cached_app):
    swedish_therapist("Ana Reyes")
    first = run(specialty="swedish")
    shared = cached_app.extensions["search_cache"]
    reads: list[str] = []
    original_get = shared.get
    shared.get = lambda key: reads.append(key) or original_get(key)
    try:
        with statements() as seen, cached_app.test_request_context("/therapists"):
            again = run(specialty="swedish")
    finally:
        del shared.get
    assert aggregates(seen) == []
    # One read of the generation for the whole request; the entries came from this process.
    assert reads == [cache.GENERATION_KEY]
    assert (again.total, again.facets) == (first.total, first.facets)


def test_local_entries_expire_and_keep_to_their_size():
    entries = cache.LocalEntries(size=2, seconds=60)
    entries.set("a", 1)
    entries.set("b", 2)
    assert entries.get("a") == 1  # now the most recently used
    entries.set("c", 3)
    assert (entries.get("a"), entries.get("b"), entries.get("c")) == (1, None, 3)

    expired = cache.LocalEntries(size=2, seconds=-1)
    expired.set("a", 1)
    assert expired.get("a") is None


def test_no_cache_at_all_when_caching_is_off(make_app):
    app = make_app(SEARCH_CACHE_SECONDS=0, REDIS_URL="")
    with app.app_context():
        act_for_all_clinics()
        swedish_therapist("Ana Reyes")
        with statements() as first:
            run(specialty="swedish")
        with statements() as again:
            run(specialty="swedish")
        assert aggregates(first) and aggregates(again)
        db.session.remove()
