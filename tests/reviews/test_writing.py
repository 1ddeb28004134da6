"""Writing a review through HTTP: guests confirm by email, guards refuse what they must."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from directory.extensions import db
from directory.reviews.models import Provenance, Review, ReviewState
from tests.accounts.test_accounts import emails_in
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_therapist, create_user
from tests.support import run_at_once

CONFIRM_LINK = re.compile(r"http://localhost(/reviews/confirm/\S+)")


def review_form(**overrides) -> dict:
    return {
        "rating": "5",
        "rating_technique": "5",
        "rating_communication": "",
        "rating_environment": "4",
        "rating_value": "",
        "title": "My upper back finally let go",
        "body": "Two sessions of trigger point work and I can sit at my desk all day again.",
        "visit_month": date.today().strftime("%Y-%m"),
        "reviewer_name": "Sam Rivera",
        "initials_only": "y",
        "email": "Sam@Example.org",
        **overrides,
    }


def listed_therapist():
    therapist = create_therapist(create_clinic(), name="John Wintertime", slug="john-wintertime")
    db.session.commit()
    return therapist


def test_a_guest_review_waits_for_the_email_link_then_goes_to_moderation(client, mail_folder):
    therapist = listed_therapist()
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    assert response.status_code == 200
    assert b"We emailed" in response.data
    review = db.session.scalar(sa.select(Review))
    assert (review.state, review.provenance) == (
        ReviewState.AWAITING_EMAIL,
        Provenance.EMAIL_CONFIRMED,
    )
    assert review.reviewer_email == "sam@example.org"
    assert review.public_name == "S.R."
    assert (review.rating_technique, review.rating_communication) == (5, None)

    [email] = emails_in(mail_folder)
    link = CONFIRM_LINK.search(email.get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 200
    db.session.refresh(review)
    assert review.state == ReviewState.PENDING
    again = client.get(link)
    assert again.status_code == 400 and b"already been used" in again.data


def test_two_concurrent_confirmations_succeed_exactly_once(app, make_app, mail_folder):
    therapist = listed_therapist()
    app.test_client().post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    [email] = emails_in(mail_folder)
    link = CONFIRM_LINK.search(email.get_body(("plain",)).get_content()).group(1)
    clients = [make_app().test_client() for _ in range(2)]
    statuses = run_at_once([lambda c=c: c.get(link).status_code for c in clients])
    assert sorted(statuses) == [200, 400]


def test_a_verified_client_skips_the_email_step(client):
    therapist = listed_therapist()
    user = create_user("client@example.org")
    db.session.commit()
    sign_in(client, user)
    data = review_form()
    del data["email"]
    client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    review = db.session.scalar(sa.select(Review))
    assert review.state == ReviewState.PENDING
    assert review.reviewer_email == "client@example.org"


def test_bad_review_input_keeps_what_was_typed_and_saves_nothing(client):
    therapist = listed_therapist()
    response = client.post(
        f"/therapists/{therapist.slug}/reviews/new",
        data=review_form(
            rating="9", body="Too short.", visit_month="2099-01", email="nope", title=""
        ),
    )
    assert response.status_code == 422
    for message in (
        b"Not a valid choice",
        b"between 40 and 5,000",
        b"cannot be in the future",
        b"valid email",
        b"title",
    ):
        assert message in response.data
    assert b"Too short." in response.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_guards_refuse_staff_throwaway_addresses_and_second_reviews(client, mail_folder):
    therapist = listed_therapist()
    staff = member(db.session.get(type(therapist.clinic), therapist.clinic_id))
    url = f"/therapists/{therapist.slug}/reviews/new"

    own_staff = client.post(url, data=review_form(email=staff.email))
    assert own_staff.status_code == 422 and b"work at this clinic" in own_staff.data
    throwaway = client.post(url, data=review_form(email="x@mailinator.com"))
    assert throwaway.status_code == 422 and b"throwaway" in throwaway.data
    assert client.post(url, data=review_form()).status_code == 200
    second = client.post(url, data=review_form())
    assert second.status_code == 422 and b"already reviewed" in second.data
    offer = emails_in(mail_folder)[-1]
    assert offer["Subject"].startswith("Edit your review")
    assert "/reviews/manage/" in offer.get_body(("plain",)).get_content()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 1


def test_unlisted_therapists_cannot_be_reviewed(client):
    therapist = create_therapist(create_clinic(), is_published=False)
    db.session.commit()
    assert client.get(f"/therapists/{therapist.slug}/reviews/new").status_code == 404
