"""Profile views: counted in Redis and added to the database by the beat task, or written
at once without Redis; a failure never reaches the page and nothing counted is lost."""

from __future__ import annotations

from collections import Counter
from datetime import date

import redis
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db
from directory.public import view_counts
from directory.therapists.models import TherapistDailyContacts, TherapistDailyViews
from tests.factories import create_clinic, create_therapist
from workers.maintenance import flush_profile_views
from workers.schedule import BEAT_SCHEDULE


def listed(name: str, slug: str):
    therapist = create_therapist(create_clinic(), name, slug=slug)
    db.session.commit()
    return therapist


def views_of(therapist) -> dict[date, int]:
    rows = db.session.execute(
        sa.select(TherapistDailyViews.day, TherapistDailyViews.views).where(
            TherapistDailyViews.therapist_id == therapist.id
        )
    )
    return dict(rows.all())


def test_without_redis_each_visit_is_written_at_once(client):
    therapist = listed("John Wintertime", "john-wintertime")
    client.get("/therapists/john-wintertime")
    client.get("/therapists/john-wintertime")
    assert views_of(therapist) == {date.today(): 2}
    assert client.get("/therapists/nobody").status_code == 404  # counts nothing


def test_a_failed_view_count_never_fails_the_page(client, monkeypatch):
    therapist = listed("John Wintertime", "john-wintertime")

    def broken(_clinic_id):
        raise SQLAlchemyError("database hiccup")

    monkeypatch.setattr(view_counts, "enter_clinic", broken)
    assert client.get("/therapists/john-wintertime").status_code == 200
    assert views_of(therapist) == {}


def test_with_redis_visits_wait_in_redis_until_the_flush_adds_them(redis_app):
    client = redis_app.test_client()
    john = listed("John Wintertime", "john-wintertime")
    ana = listed("Ana Reyes", "ana-reyes")
    for path in ["/therapists/john-wintertime"] * 3 + ["/therapists/ana-reyes"]:
        assert client.get(path).status_code == 200
    assert client.get("/therapists/nobody").status_code == 404
    assert views_of(john) == {}  # no transaction per visit

    assert view_counts.flush() == 4
    assert views_of(john) == {date.today(): 3}
    assert views_of(ana) == {date.today(): 1}

    client.get("/therapists/john-wintertime")
    assert view_counts.flush() == 1
    assert views_of(john) == {date.today(): 4}  # added to the day's row
    assert view_counts.flush() == 0


def test_counts_left_by_a_failed_flush_are_added_by_the_next(redis_app, monkeypatch):
    client = redis_app.test_client()
    john = listed("John Wintertime", "john-wintertime")
    client.get("/therapists/john-wintertime")
    client.get("/therapists/john-wintertime")

    def broken(_counts):
        raise SQLAlchemyError("database down")

    with monkeypatch.context() as patch:
        patch.setattr(view_counts, "add_views", broken)
        try:
            view_counts.flush()
        except SQLAlchemyError:
            db.session.rollback()
    client.get("/therapists/john-wintertime")  # counted while the flush was failing

    assert view_counts.flush() == 3
    assert views_of(john) == {date.today(): 3}


def test_when_redis_fails_the_visit_is_written_at_once(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0")  # nothing listens there
    with app.app_context():
        john = listed("John Wintertime", "john-wintertime")
        assert app.test_client().get("/therapists/john-wintertime").status_code == 200
        assert views_of(john) == {date.today(): 1}


def test_views_of_unknown_slugs_are_dropped_and_days_kept_apart(app):
    john = listed("John Wintertime", "john-wintertime")
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    added = view_counts.add_views(
        Counter(
            {(monday, "john-wintertime"): 2, (tuesday, "john-wintertime"): 5, (monday, "gone"): 7}
        )
    )
    db.session.commit()
    assert added == 7
    assert views_of(john) == {monday: 2, tuesday: 5}


def test_the_flush_runs_every_minute():
    assert BEAT_SCHEDULE["profile-views-flush"]["task"] == flush_profile_views.name
    assert BEAT_SCHEDULE["profile-views-flush"]["schedule"].total_seconds() == 60


def test_counts_sit_under_the_apps_prefix(redis_app, redis_url):
    client = redis_app.test_client()
    listed("John Wintertime", "john-wintertime")
    client.get("/therapists/john-wintertime")
    prefix = redis_app.config["REDIS_KEY_PREFIX"]
    pending = redis.Redis.from_url(redis_url).hgetall(f"{prefix}profile-views:pending")
    assert pending == {f"{date.today().isoformat()} john-wintertime".encode(): b"1"}


def test_one_flush_at_a_time(redis_app, redis_url):
    client = redis_app.test_client()
    john = listed("John Wintertime", "john-wintertime")
    client.get("/therapists/john-wintertime")
    prefix = redis_app.config["REDIS_KEY_PREFIX"]
    lock = redis.Redis.from_url(redis_url).lock(f"{prefix}profile-views:flush-lock", timeout=30)
    assert lock.acquire(blocking=False)
    try:
        assert view_counts.flush() == 0  # another flush holds the lock
        assert views_of(john) == {}
    finally:
        lock.release()
    assert view_counts.flush() == 1
    assert views_of(john) == {date.today(): 1}


def contacts_of(therapist) -> dict[tuple[date, str], int]:
    rows = db.session.execute(
        sa.select(
            TherapistDailyContacts.day, TherapistDailyContacts.kind, TherapistDailyContacts.clicks
        ).where(TherapistDailyContacts.therapist_id == therapist.id)
    )
    return {(day, kind): clicks for day, kind, clicks in rows}


def test_with_redis_contact_clicks_wait_beside_the_views_until_the_flush(redis_app):
    client = redis_app.test_client()
    john = create_therapist(
        create_clinic(booking_url="https://book.example/john"),
        "John Wintertime",
        slug="john-wintertime",
    )
    db.session.commit()
    client.get("/therapists/john-wintertime")
    client.get("/therapists/john-wintertime/book")
    client.post("/therapists/john-wintertime/contact/call")
    client.post("/therapists/john-wintertime/contact/call")
    assert contacts_of(john) == {}  # no transaction per click

    assert view_counts.flush() == 4  # one view, three clicks
    today = date.today()
    assert contacts_of(john) == {(today, "book"): 1, (today, "call"): 2}
    assert views_of(john) == {today: 1}
    client.post("/therapists/john-wintertime/contact/call")
    assert view_counts.flush() == 1
    assert contacts_of(john)[(today, "call")] == 3


def test_clicks_of_unknown_slugs_or_kinds_are_dropped(app):
    john = listed("John Wintertime", "john-wintertime")
    monday = date(2026, 11, 23)
    added = view_counts.add_contacts(
        Counter({(monday, "john-wintertime", "email"): 2, (monday, "gone", "call"): 7})
    )
    db.session.commit()
    assert added == 2
    assert contacts_of(john) == {(monday, "email"): 2}
