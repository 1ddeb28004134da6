"""The clinic side of reviews through HTTP: invitations by email, replies, flags."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from directory.clinics.models import Role
from directory.core.outbox import OutboxMessage
from directory.extensions import db
from directory.reviews import invitations
from directory.reviews.models import (
    ClinicReply,
    FlagSource,
    Provenance,
    ReplyState,
    Review,
    ReviewFlag,
    ReviewInvitation,
    ReviewState,
)
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_review, create_therapist
from tests.reviews.test_writing import review_form

INVITED_LINK = re.compile(r"http://localhost(/reviews/invited/\S+)")


def invite(client, clinic, therapist, email="client@example.org", visit=None):
    return client.post(
        f"/manage/{clinic.slug}/invitations",
        data={
            "therapist_id": str(therapist.id),
            "client_name": "Ari Client",
            "client_email": email,
            "visit_date": (visit or date.today()).isoformat(),
        },
    )


def test_an_invited_client_writes_a_verified_client_review_once(make_app, smtp_server):
    app = make_app(MAIL_URL=smtp_server.url)
    client = app.test_client()
    with app.app_context():
        clinic = create_clinic("Bang Rak Thai Massage")
        therapist = create_therapist(clinic, name="John Wintertime")
        staff = member(clinic, Role.STAFF)  # staff may send invitations
        sign_in(client, staff)
        assert invite(client, clinic, therapist).status_code == 302
        [email] = smtp_server.wait_for(1)
        assert email["To"] == "client@example.org"
        link = INVITED_LINK.search(email.get_body(("plain",)).get_content()).group(1)

        page = client.get(f"/manage/{clinic.slug}/invitations").data
        assert b"Not yet" in page
        client.post("/sign-out")

        form = client.get(link)
        assert b"verified client" in form.data and b"Ari Client" in form.data
        data = review_form()
        del data["email"]
        assert client.post(link, data=data).status_code == 200
        review = db.session.scalar(sa.select(Review))
        assert (review.provenance, review.state) == (
            Provenance.VERIFIED_CLIENT,
            ReviewState.PENDING,
        )
        assert review.reviewer_email == "client@example.org"
        assert client.get(link).status_code == 400  # used
        assert db.session.scalar(sa.select(ReviewInvitation.used_at)) is not None
        assert len(smtp_server.messages) == 1  # no confirmation email: the link proved it

        sign_in(client, staff)
        page = client.get(f"/manage/{clinic.slug}/invitations").data
        assert b"Yes," in page
        assert b"My upper back" not in page  # the clinic sees use, not content
        db.session.remove()


def test_the_same_client_is_not_invited_twice_in_a_year(client):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    owner = member(clinic)
    sign_in(client, owner)
    assert invite(client, clinic, therapist).status_code == 302
    again = invite(client, clinic, therapist, email="CLIENT@example.org")
    assert again.status_code == 422 and b"already invited" in again.data
    future = invite(
        client, clinic, therapist, email="other@example.org", visit=date.today() + timedelta(days=2)
    )
    assert future.status_code == 422 and b"cannot be in the future" in future.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewInvitation)) == 1


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_the_invitation_service_refuses_an_address_that_cannot_receive_mail(app, email):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    owner = member(clinic)
    with pytest.raises(invitations.InvitationRefused) as refusal:
        invitations.send_invitation(clinic, therapist, owner, email, "Ari Client", date.today())
    assert refusal.value.field == "client_email"
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewInvitation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_invitations_for_another_clinics_therapist_are_refused(client):
    clinic = create_clinic()
    owner = member(clinic)
    theirs = create_therapist(create_clinic())
    create_therapist(clinic)
    db.session.commit()
    sign_in(client, owner)
    response = invite(client, clinic, theirs)
    assert response.status_code in (404, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewInvitation)) == 0


def test_a_reply_that_discloses_a_clients_visit_is_held_until_confirmed(client):
    clinic = create_clinic()
    owner = member(clinic)
    review = create_review(create_therapist(clinic))
    db.session.commit()
    sign_in(client, owner)
    url = f"/manage/{clinic.slug}/reviews/{review.id}/reply"
    risky = "Thanks! We hope your sciatica is better since your appointment on March 3."
    held = client.post(url, data={"body": risky})
    assert held.status_code == 409
    assert b"Check before publishing" in held.data and b"Sciatica" in held.data
    reply = db.session.scalar(sa.select(ClinicReply))
    assert reply.state == ReplyState.HELD

    published = client.post(url, data={"body": risky, "confirmed": "yes"})
    assert published.status_code == 302
    db.session.refresh(reply)
    assert reply.state == ReplyState.PUBLISHED and reply.warning_acknowledged

    safe = client.post(url, data={"body": "Thank you for the kind words."})
    assert safe.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClinicReply)) == 1


def test_a_clinic_flags_a_review_once_and_cannot_touch_unpublished_ones(client):
    clinic = create_clinic()
    owner = member(clinic)
    therapist = create_therapist(clinic)
    review = create_review(therapist)
    pending = create_review(therapist, state=ReviewState.PENDING, published_at=None)
    db.session.commit()
    sign_in(client, owner)
    url = f"/manage/{clinic.slug}/reviews/{review.id}/flag"
    assert (
        client.post(
            url, data={"reason": "conflict_of_interest", "note": "A competitor"}
        ).status_code
        == 302
    )
    client.post(url, data={"reason": "offensive"})
    flags = db.session.scalars(sa.select(ReviewFlag)).all()
    assert [(f.source, f.reason_code) for f in flags] == [
        (FlagSource.CLINIC, "conflict_of_interest")
    ]
    assert (
        client.post(
            f"/manage/{clinic.slug}/reviews/{pending.id}/flag", data={"reason": "offensive"}
        ).status_code
        == 404
    )
    assert client.get(f"/manage/{clinic.slug}/reviews/{pending.id}/reply").status_code == 404
    db.session.refresh(review)
    assert review.state == ReviewState.PUBLISHED  # a flag never changes the review


def test_staff_can_invite_but_not_reply_or_flag(client):
    clinic = create_clinic()
    staff = member(clinic, Role.STAFF)
    review = create_review(create_therapist(clinic))
    db.session.commit()
    sign_in(client, staff)
    assert client.get(f"/manage/{clinic.slug}/invitations").status_code == 200
    assert (
        client.post(
            f"/manage/{clinic.slug}/reviews/{review.id}/reply", data={"body": "Hi"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/manage/{clinic.slug}/reviews/{review.id}/flag", data={"reason": "offensive"}
        ).status_code
        == 403
    )
