"""Deleting an account: password, then an emailed link; erased, signed out everywhere."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from directory.accounts.models import User
from directory.clinics.models import Membership, Role
from directory.core.database_roles import owner_database_url
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.moderation.services import record
from directory.reviews import ratings
from directory.reviews.models import Review, ReviewState, TherapistRating
from tests.factories import PASSWORD, create_clinic, create_review, create_therapist, create_user
from tests.self_service.conftest import emails_in, links_in, sign_in, signed_in

REFUSED = r"append-only|permission denied"  # the trigger, or the app role's missing grant


@pytest.fixture
def world():
    """Ann wrote a published 1-star review (another client gave 5) and a rejected one she
    appealed; she is on a clinic's staff; a moderator approved the published one."""
    ann = create_user("ann@example.com", display_name="Ann Lee")
    moderator = create_user("mod@example.com", platform_role="moderator")
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    create_review(therapist, rating=5, reviewer_email="bo@example.com", reviewer_name="Bo")
    published = create_review(
        therapist, rating=1, user_id=ann.id, reviewer_email=ann.email, reviewer_name="Ann Lee"
    )
    rejected = create_review(
        create_therapist(clinic),
        user_id=ann.id,
        reviewer_email=ann.email,
        state=ReviewState.REJECTED,
        rejection_reason="promotional",
    )
    as_guest = create_review(
        create_therapist(clinic),
        reviewer_email=ann.email,
        reviewer_name="Ann Lee",
        state=ReviewState.PENDING,
        published_at=None,
    )
    ratings.recompute(therapist.id)
    record(moderator, "review.approve", "review", published.id, clinic_id=clinic.id)
    record(
        None,
        "review.appeal",
        "review",
        rejected.id,
        clinic_id=clinic.id,
        note="It was a real visit.",
        actor_email=ann.email,
    )
    workplace = create_clinic(owner=create_user())
    db.session.add(Membership(clinic_id=workplace.id, user_id=ann.id, role=Role.STAFF))
    db.session.commit()
    return {
        "ann": ann,
        "therapist": therapist,
        "published": published.id,
        "rejected": rejected.id,
        "as_guest": as_guest.id,
    }


def ask_to_delete(client, reviews: str = "withdraw", password: str = PASSWORD):
    return client.post(
        "/account/delete", data={"reviews": reviews, "password": password, "understood": "y"}
    )


def confirmation_link(mail_folder) -> str:
    [message] = [m for m in emails_in(mail_folder) if "delete" in m["Subject"]]
    [link] = [link for link in links_in(message) if "/account/delete/confirm/" in link]
    return link


def test_deleting_erases_the_account_withdraws_its_reviews_and_signs_out(app, world, mail_folder):
    ann = world["ann"]
    client, elsewhere = app.test_client(), app.test_client()
    sign_in(client, ann.email)
    sign_in(elsewhere, ann.email)
    assert client.get("/account/delete").status_code == 200

    assert ask_to_delete(client, password="not it").status_code == 422
    assert ask_to_delete(client).status_code == 302
    db.session.refresh(ann)
    assert ann.deleted_at is None  # nothing happens before the link is opened
    link = confirmation_link(mail_folder)
    assert "Delete my account" in client.get(link).get_data(True)
    response = client.post(link)
    assert response.status_code == 302

    db.session.expire_all()
    ann = db.session.get(User, ann.id)
    assert ann.deleted_at is not None and not ann.is_active
    assert ann.display_name == "Deleted account"
    assert ann.email.startswith("deleted-user-") and ann.email.endswith("@deleted.invalid")
    published = db.session.get(Review, world["published"])
    assert published.state == ReviewState.WITHDRAWN
    assert published.reviewer_name == "A. L." and published.reviewer_email == ann.email
    as_guest = db.session.get(Review, world["as_guest"])
    assert as_guest.state == ReviewState.WITHDRAWN and as_guest.reviewer_email == ann.email
    totals = db.session.get(TherapistRating, world["therapist"].id)
    assert (totals.review_count, totals.rating_sum) == (1, 5)
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == ann.id)) is None

    tombstone = ann.email.split("@")[0]
    audit = {row.action: row for row in db.session.scalars(sa.select(AuditEntry))}
    assert audit["review.appeal"].actor_email == tombstone
    assert audit["review.appeal"].note == "It was a real visit."
    assert audit["review.approve"].actor_email == "mod@example.com"

    assert not signed_in(client)
    assert not signed_in(elsewhere)  # a cookie signed in before answers as signed out
    refused = app.test_client().post(
        "/sign-in", data={"email": "ann@example.com", "password": PASSWORD}
    )
    assert refused.status_code == 422
    assert client.post(link).status_code in (302, 400)  # signed out now: the link is spent


def test_a_former_member_may_keep_published_reviews_under_initials(app, world, mail_folder):
    ann = world["ann"]
    client = app.test_client()
    sign_in(client, ann.email)
    ask_to_delete(client, reviews="keep")
    client.post(confirmation_link(mail_folder))

    db.session.expire_all()
    published = db.session.get(Review, world["published"])
    assert published.state == ReviewState.PUBLISHED
    assert published.by_former_member and published.initials_only
    assert "Ann Lee" not in published.reviewer_name
    totals = db.session.get(TherapistRating, world["therapist"].id)
    assert (totals.review_count, totals.rating_sum) == (2, 6)
    profile = app.test_client().get(f"/therapists/{world['therapist'].slug}").get_data(True)
    assert 'A.L. <span class="muted">(former member)</span>' in profile


def test_the_last_owner_of_a_clinic_must_hand_it_over_first(app, client, mail_folder):
    owner = create_user()
    clinic = create_clinic("Solo Clinic", owner=owner)
    db.session.commit()
    sign_in(client, owner.email)
    page = client.get("/account/delete").get_data(True)
    assert "Hand your clinics over first" in page and "Solo Clinic" in page

    response = ask_to_delete(client)
    assert response.status_code == 409
    assert "Solo Clinic" in response.get_data(True)
    assert [m for m in emails_in(mail_folder) if "delete" in m["Subject"]] == []

    colleague = create_user()
    db.session.add(Membership(clinic_id=clinic.id, user_id=colleague.id, role=Role.OWNER))
    db.session.commit()
    assert ask_to_delete(client).status_code == 302
    client.post(confirmation_link(mail_folder))
    db.session.expire_all()
    assert db.session.get(User, owner.id).is_deleted
    assert db.session.scalars(sa.select(Membership.user_id)).all() == [colleague.id]


def test_the_audit_accepts_a_tombstone_for_the_actor_email_and_nothing_else(app):
    entry = record(None, "review.appeal", "review", 1, clinic_id=None, actor_email="a@b.example")
    db.session.commit()
    for statement in (
        "UPDATE moderation_audit SET note = 'rewritten'",
        "UPDATE moderation_audit SET actor_email = 'someone@else.example'",
        "UPDATE moderation_audit SET actor_email = 'deleted-user-1', note = 'x'",
        "DELETE FROM moderation_audit",
    ):
        with pytest.raises(DBAPIError, match=REFUSED):
            db.session.execute(sa.text(statement))
        db.session.rollback()
    db.session.execute(sa.text("UPDATE moderation_audit SET actor_email = 'deleted-user-1'"))
    db.session.commit()
    with pytest.raises(DBAPIError, match=REFUSED):
        db.session.execute(sa.text("UPDATE moderation_audit SET actor_email = 'deleted-user-2'"))
    db.session.rollback()
    db.session.refresh(entry)
    assert entry.actor_email == "deleted-user-1"


def test_even_the_owner_may_change_only_the_actor_email_to_a_tombstone(app):
    """The trigger, not only the app role's column grant, holds the line (PostgreSQL's
    owner has every privilege; SQLite has only the trigger)."""
    record(None, "review.appeal", "review", 1, clinic_id=None, actor_email="a@b.example")
    db.session.commit()
    owner = sa.create_engine(owner_database_url(app.config), poolclass=NullPool)
    try:
        with pytest.raises(DBAPIError, match="append-only"), owner.begin() as connection:
            connection.execute(
                sa.text("UPDATE moderation_audit SET actor_email = 'deleted-user-1', note = 'x'")
            )
        with owner.begin() as connection:
            connection.execute(
                sa.text("UPDATE moderation_audit SET actor_email = 'deleted-user-1'")
            )
    finally:
        owner.dispose()
