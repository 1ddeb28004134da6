"""The public therapist profile: facts, checked credentials, the rating, the reviews."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from directory.core.models import utcnow
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.reviews import ratings
from directory.reviews.models import ClinicReply, Provenance, ReplyState, ReviewState
from directory.therapists.models import Accreditation, AccreditationState
from tests.factories import create_clinic, create_review, create_therapist, create_user
from tests.support import statements


def john(**fields):
    clinic = create_clinic("Bang Rak Thai Massage", slug="bang-rak")
    return create_therapist(
        clinic,
        "John Wintertime",
        slug="john-wintertime",
        headline="Registered massage therapist and rehabilitation specialist",
        bio="Ten years of clinical work on upper back pain and posture strain.",
        years_experience=11,
        price_min=90,
        price_max=120,
        does_not_treat="Fever, contagious illness, undiagnosed severe pain.",
        **fields,
    )


def publish(therapist, count: int = 1, **fields) -> list:
    now = utcnow()
    reviews = [
        create_review(therapist, published_at=now - timedelta(days=n), **fields)
        for n in range(count)
    ]
    ratings.recompute(therapist.id)
    return reviews


def reply_to(review, body: str, state: str = ReplyState.PUBLISHED) -> ClinicReply:
    reply = ClinicReply(clinic_id=review.clinic_id, review_id=review.id, body=body, state=state)
    db.session.add(reply)
    db.session.flush()
    return reply


def test_the_profile_shows_facts_credentials_rating_and_labelled_reviews(client):
    therapist = john()
    moderator = create_user(display_name="Morgan Moderator")
    db.session.add(
        Accreditation(
            clinic_id=therapist.clinic_id,
            therapist_id=therapist.id,
            credential_type_id=1,
            issuing_body="College of Massage Therapists of Ontario",
            number="R-4471",
            issued_on=date(2015, 1, 1),
            expires_on=date(2030, 1, 1),
            state=AccreditationState.VERIFIED,
            verified_by_id=moderator.id,
            verified_at=utcnow(),
        )
    )
    invited, organic = (
        create_review(
            therapist,
            rating=5,
            provenance=Provenance.VERIFIED_CLIENT,
            reviewer_name="Sam Rivera",
            initials_only=True,
            title="My upper back let go",
            visit_month=date(2026, 3, 1),
            published_at=utcnow(),
        ),
        create_review(therapist, rating=4, title="Calm and careful", published_at=utcnow()),
    )
    create_review(therapist, state=ReviewState.PENDING, title="Not yet moderated")
    reply_to(invited, "Thank you, Sam. See you next month.")
    reply_to(organic, "A held reply nobody sees yet.", state=ReplyState.HELD)
    ratings.recompute(therapist.id)
    db.session.commit()

    response = client.get("/therapists/john-wintertime")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in (
        "John Wintertime",
        "Registered massage therapist and rehabilitation specialist",
        "11 years",
        "CA$90\u2013CA$120 for 60 minutes",
        "Fever, contagious illness",
        'href="/clinics/bang-rak"',
        "College of Massage Therapists of Ontario",
        "R-4471",
        "Verified",
        "by Morgan Moderator (moderator)",
        "4.5 ★",
        "Based on only 2 reviews; ratings from few reviews can change a lot.",
        'href="/how-reviews-work#verified_client"',
        ">Verified client</a>",
        ">Email confirmed</a>",
        "S.R.",
        "March 2026",
        "Thank you, Sam. See you next month.",
        'href="/therapists/john-wintertime/reviews/new"',
    ):
        assert text in page, text
    assert "Sam Rivera" not in page  # initials only, as asked
    assert "Not yet moderated" not in page
    assert "A held reply" not in page


def test_a_therapist_without_reviews_says_so(client):
    john()
    db.session.commit()
    page = client.get("/therapists/john-wintertime").get_data(as_text=True)
    assert "No reviews yet" in page and "Based on only" not in page


def test_reviews_sort_newest_or_most_helpful_and_paginate(client):
    therapist = john()
    reviews = publish(therapist, 12)
    reviews[5].title = "The most helpful one"
    reviews[5].helpful_count = 40
    reviews[0].title = "The newest one"
    db.session.commit()

    newest = client.get("/therapists/john-wintertime").get_data(as_text=True)
    assert newest.index("The newest one") < newest.index("The most helpful one")
    assert "Page 1 of 2" in newest and "Based on only" not in newest
    helpful = client.get("/therapists/john-wintertime?sort=helpful").get_data(as_text=True)
    assert helpful.index("The most helpful one") < helpful.index("The newest one")
    second = client.get("/therapists/john-wintertime?page=2").get_data(as_text=True)
    assert second.count('class="review"') == 2 and "Page 2 of 2" in second
    # Past the last page the total is counted on its own: still 2 pages, no review.
    past = client.get("/therapists/john-wintertime?page=3").get_data(as_text=True)
    assert past.count('class="review"') == 0 and "of 2" in past
    assert client.get("/therapists/john-wintertime?sort=rating").status_code == 400


def test_unlisted_and_unknown_therapists_are_not_found(client):
    john(is_published=False)
    db.session.commit()
    assert client.get("/therapists/john-wintertime").status_code == 404
    assert client.get("/therapists/nobody").status_code == 404


def queries_for_profile(client) -> int:
    statements = []
    engine = db.engine

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/therapists/john-wintertime").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_reviews(client):
    therapist = john()
    for review in publish(therapist, 1):
        reply_to(review, "Thanks!")
    db.session.commit()
    few = queries_for_profile(client)
    for review in publish(therapist, 9):
        reply_to(review, "Thanks!")
    db.session.commit()
    assert queries_for_profile(client) == few


def test_a_profile_renders_in_six_statements_at_most(make_redis_app):
    # Rendered every time (no stored pages), view counts in Redis and the platform mean
    # cached as in production: what is left is the page's own reads.
    app = make_redis_app(SHARED_PAGE_SECONDS=0, PLATFORM_MEAN_CACHE_SECONDS=300)
    with app.app_context():
        act_for_all_clinics()
        therapist = john()
        for review in publish(therapist, 3):
            reply_to(review, "Thanks!")
        db.session.commit()
        client = app.test_client()
        client.get("/therapists/john-wintertime")  # the platform mean, now cached
        db.session.commit()  # as the end of a production request would
        with statements() as seen:
            assert client.get("/therapists/john-wintertime").status_code == 200
        # The therapist with its clinic and rating, the credentials, the terms, the clinic's
        # weekly hours and coming closures, a page of reviews with their replies and total
        # (besides PostgreSQL's tenancy settings).
        assert len([s for s in seen if "set_config" not in s]) <= 6
        db.session.remove()
