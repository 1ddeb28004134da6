"""Reviews waiting for their email link: resending the link and purging the forgotten."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews.models import Review, ReviewState
from directory.reviews.unconfirmed import purge_unconfirmed
from tests.accounts.test_accounts import emails_in
from tests.factories import create_clinic, create_review, create_therapist
from tests.reviews.test_writing import CONFIRM_LINK, review_form
from workers.reviews import PURGE_UNCONFIRMED_TASK
from workers.schedule import BEAT_SCHEDULE


def waiting_review(email: str = "sam@example.org", **fields) -> Review:
    therapist = create_therapist(create_clinic(), slug=fields.pop("slug", "john-wintertime"))
    review = create_review(
        therapist,
        reviewer_email=email,
        state=ReviewState.AWAITING_EMAIL,
        published_at=None,
        **fields,
    )
    db.session.commit()
    return review


def test_resending_answers_the_same_for_known_and_unknown_addresses(client, mail_folder):
    waiting_review("sam@example.org")
    url = "/therapists/john-wintertime/reviews/resend"
    assert client.get(url).status_code == 200
    known = client.post(url, data={"email": "Sam@Example.org"})
    unknown = client.post(url, data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.data.replace(b"Sam@Example.org", b"X") == unknown.data.replace(
        b"nobody@example.org", b"X"
    )
    by_address = {message["To"]: message for message in emails_in(mail_folder)}
    assert set(by_address) == {"sam@example.org", "nobody@example.org"}  # the same work
    assert "no review from it is waiting" in by_address["nobody@example.org"].get_content()
    message = by_address["sam@example.org"]
    link = CONFIRM_LINK.search(message.get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 200
    assert db.session.scalar(sa.select(Review.state)) == ReviewState.PENDING


def test_a_review_already_confirmed_gets_no_new_link(client, mail_folder):
    therapist = create_therapist(create_clinic(), slug="john-wintertime")
    create_review(therapist, reviewer_email="sam@example.org", state=ReviewState.PENDING)
    db.session.commit()
    response = client.post(
        "/therapists/john-wintertime/reviews/resend", data={"email": "sam@example.org"}
    )
    assert response.status_code == 200 and b"Check your inbox" in response.data
    [message] = emails_in(mail_folder)
    assert "no review from it is waiting" in message.get_content()
    assert "/reviews/confirm/" not in message.get_content()


def test_resending_is_rate_limited_per_address_and_per_ip(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        therapist = create_therapist(create_clinic(), slug="john-wintertime")
        db.session.commit()
        assert therapist.id
    client = app.test_client()
    url = "/therapists/john-wintertime/reviews/resend"
    statuses = [client.post(url, data={"email": "a@example.org"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    others = [client.post(url, data={"email": f"{n}@example.org"}).status_code for n in "bcd"]
    assert others[0] == 200  # another address still gets through...
    assert others[-1] == 429  # ...until the IP's own limit (5 per hour) is spent


def test_the_thanks_page_offers_to_resend(client):
    therapist = create_therapist(create_clinic(), slug="john-wintertime")
    db.session.commit()
    thanks = client.post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    assert b"/therapists/john-wintertime/reviews/resend" in thanks.data


def test_purge_deletes_only_reviews_unconfirmed_for_seven_days(app):
    old = waiting_review("old@example.org", created_at=utcnow() - timedelta(days=7, minutes=1))
    therapist_id = old.therapist_id
    recent = create_review(
        old.therapist,
        reviewer_email="recent@example.org",
        state=ReviewState.AWAITING_EMAIL,
        created_at=utcnow() - timedelta(days=6),
    )
    confirmed = create_review(
        old.therapist,
        reviewer_email="confirmed@example.org",
        state=ReviewState.PENDING,
        created_at=utcnow() - timedelta(days=30),
    )
    db.session.commit()
    assert purge_unconfirmed() == 1
    db.session.commit()
    left = set(db.session.scalars(sa.select(Review.id).where(Review.therapist_id == therapist_id)))
    assert left == {recent.id, confirmed.id}
    assert purge_unconfirmed() == 0


def test_the_purge_task_runs_across_clinics_and_is_scheduled(app):
    for slug in ("first", "second"):
        waiting_review(slug=slug, created_at=utcnow() - timedelta(days=8))
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    assert celery.tasks[PURGE_UNCONFIRMED_TASK].apply().get() == 2
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0
    assert celery.tasks[PURGE_UNCONFIRMED_TASK].apply().get() == 0
    assert any(job["task"] == PURGE_UNCONFIRMED_TASK for job in BEAT_SCHEDULE.values())
