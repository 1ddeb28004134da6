"""Clinics hear of their published reviews: each one, a daily digest, or nothing, with a
one-click unsubscribe that works signed out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from directory.clinics.models import Membership, ReviewEmails, Role
from directory.core.tenancy import act_for_all_clinics
from directory.core.tokens import TokenPurpose, make_token
from directory.extensions import db
from directory.moderation.services import approve
from directory.reviews.models import ReviewDigestItem, ReviewState
from directory.reviews.notifications import unsubscribe_link
from tests.clinics.test_console import sign_in
from tests.factories import create_clinic, create_therapist, create_user
from tests.moderation.helpers import emails_in, moderator_client, pending_review, text_of
from workers.reviews import SEND_DIGESTS_TASK, send_digests
from workers.schedule import BEAT_SCHEDULE

UNSUBSCRIBE_PATH = re.compile(r"http://localhost(/review-emails/unsubscribe/\S+)")


def join(clinic, role: Role, choice: ReviewEmails = ReviewEmails.EACH, email: str | None = None):
    user = create_user(email)
    membership = Membership(clinic_id=clinic.id, user_id=user.id, role=role, review_emails=choice)
    db.session.add(membership)
    db.session.flush()
    return membership


def build_team() -> dict:
    """A clinic whose members chose every way of hearing, and its therapist (committed)."""
    act_for_all_clinics()
    clinic = create_clinic("Bang Rak Thai Massage")
    members = {
        "owner": join(clinic, Role.OWNER, email="owner@example.com"),
        "manager": join(clinic, Role.MANAGER, email="manager@example.com"),
        "quiet_manager": join(clinic, Role.MANAGER, ReviewEmails.NONE, "quiet@example.com"),
        "staff": join(clinic, Role.STAFF, email="staff@example.com"),
        "digest_owner": join(clinic, Role.OWNER, ReviewEmails.DAILY, "digest@example.com"),
    }
    therapist = create_therapist(clinic, name="John Wintertime")
    db.session.commit()
    return {"clinic": clinic, "therapist": therapist, **members}


@pytest.fixture
def team(app) -> dict:
    return build_team()


def folder_of(app) -> Path:
    return Path(app.config["MAIL_URL"].removeprefix("file://"))


def publish(therapist, **fields):
    review = pending_review(therapist, **fields)
    approve(review, create_user(platform_role="moderator"))
    db.session.commit()
    return review


def to_clinic(folder) -> list:
    """The emails sent to clinic members (not the reviewer's "is published")."""
    return [m for m in emails_in(folder) if "is published" not in m["Subject"]]


def test_publishing_emails_owners_and_managers_who_chose_each(app, client, team, mail_folder):
    review = pending_review(team["therapist"], title="Fixed my upper back")
    db.session.commit()
    moderator_client(client)

    assert client.post(f"/moderation/reviews/{review.id}/approve").status_code == 302

    sent = to_clinic(mail_folder)
    assert sorted(m["To"] for m in sent) == ["manager@example.com", "owner@example.com"]
    message = sent[0]
    assert message["Subject"] == "New 4-star review of John Wintertime"
    body = text_of(message)
    assert "Fixed my upper back" in body
    reply = f"http://localhost/manage/{team['clinic'].slug}/reviews/{review.id}/reply"
    assert reply in body
    # Digest members get it later; staff and "none" never.
    items = db.session.scalars(sa.select(ReviewDigestItem)).all()
    assert [(i.membership_id, i.review_id) for i in items] == [(team["digest_owner"].id, review.id)]


def test_notification_emails_carry_one_click_unsubscribe_headers_unfolded(app, team, mail_folder):
    publish(team["therapist"])
    message = next(m for m in to_clinic(mail_folder) if m["To"] == "owner@example.com")

    # The token carries its time: compare with the link in the body, sent with it.
    link = "http://localhost" + UNSUBSCRIBE_PATH.search(text_of(message)).group(1)
    assert message["List-Unsubscribe"] == f"<{link}>"  # on BASE_URL, whole, not encoded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raws = [path.read_bytes() for path in sorted(mail_folder.glob("*.eml"))]
    assert any(f"List-Unsubscribe: <{link}>\n".encode() in raw for raw in raws)  # one line


def test_verification_email_carries_no_unsubscribe(app, client, mail_folder):
    response = client.post(
        "/register",
        data={
            "display_name": "Wen",
            "email": "wen@example.com",
            "password": "a long password",
            "confirm": "a long password",
        },
    )
    assert response.status_code == 302
    (message,) = emails_in(mail_folder)
    assert "/account/verify/" in text_of(message)
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None


def test_the_daily_digest_lists_the_days_reviews_in_one_email_once(app, team, mail_folder):
    publish(team["therapist"], title="Fixed my upper back")
    publish(team["therapist"], title="Calm and precise", rating=5)
    before = {path.name for path in mail_folder.glob("*.eml")}

    assert send_digests() == 1
    assert send_digests() == 0  # nothing collected since: nothing sent

    new = [m for m in emails_in(mail_folder) if m["To"] == "digest@example.com"]
    assert len(new) == 1 and len(list(mail_folder.glob("*.eml"))) == len(before) + 1
    digest = new[0]
    assert digest["Subject"] == "2 new reviews for Bang Rak Thai Massage"
    body = text_of(digest)
    assert "Fixed my upper back" in body and "Calm and precise" in body
    assert body.count("/reply") == 2
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewDigestItem)) == 0


def test_a_digest_leaves_out_reviews_removed_since_and_members_who_left(app, team, mail_folder):
    review = publish(team["therapist"])
    review.state = ReviewState.REMOVED
    db.session.commit()

    assert send_digests() == 0
    assert [m for m in emails_in(mail_folder) if m["To"] == "digest@example.com"] == []


def test_choosing_on_the_console_page(app, client, team):
    owner = db.session.get(Membership, team["owner"].id).user
    sign_in(client, owner)
    page = f"/manage/{team['clinic'].slug}/review-emails"

    shown = client.get(page)
    assert shown.status_code == 200
    assert re.search(rb'<input checked[^>]*value="each"', shown.data)
    assert b"Review emails</a>" in client.get(f"/manage/{team['clinic'].slug}/").data

    saved = client.post(page, data={"choice": "daily"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, team["owner"].id).review_emails == ReviewEmails.DAILY

    refused = client.post(page, data={"choice": "hourly"})
    assert refused.status_code == 422
    assert b"Choose how you want to hear of new reviews." in refused.data


def test_staff_may_not_choose_review_emails(app, client, team):
    sign_in(client, db.session.get(Membership, team["staff"].id).user)
    assert client.get(f"/manage/{team['clinic'].slug}/review-emails").status_code == 403


def test_the_unsubscribe_link_works_signed_out_and_stops_emails(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        team, folder = build_team(), folder_of(app)
        publish(team["therapist"])
        message = next(m for m in emails_in(folder) if m["To"] == "owner@example.com")
        path = UNSUBSCRIBE_PATH.search(text_of(message)).group(1)
        client = app.test_client()  # signed out

        confirm = client.get(path)
        assert confirm.status_code == 200
        assert b"Stop review emails?" in confirm.data and b"owner@example.com" in confirm.data
        assert b"<button" in confirm.data
        db.session.expire_all()
        assert db.session.get(Membership, team["owner"].id).review_emails == ReviewEmails.EACH

        token = re.search(rb'name="csrf_token" value="([^"]+)"', confirm.data).group(1)
        done = client.post(path, data={"csrf_token": token.decode()})
        assert done.status_code == 200 and b"You are unsubscribed" in done.data
        db.session.expire_all()
        assert db.session.get(Membership, team["owner"].id).review_emails == ReviewEmails.NONE

        again = client.get(path)
        assert again.status_code == 200 and b"You are already unsubscribed" in again.data

        count = len(emails_in(folder))
        publish(team["therapist"], reviewer_email="another@example.com")
        later = emails_in(folder)[count:]
        assert "owner@example.com" not in [m["To"] for m in later]
        assert "manager@example.com" in [m["To"] for m in later]
        db.session.remove()


def test_one_click_unsubscribe_posts_without_a_form_token_and_stops_the_digest(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        team, folder = build_team(), folder_of(app)
        publish(team["therapist"])
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewDigestItem)) == 1
        path = unsubscribe_link(team["digest_owner"]).removeprefix("http://localhost")

        # What a mail client sends (RFC 8058): no cookie, no CSRF token.
        response = app.test_client().post(
            path,
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )

        assert response.status_code == 200
        db.session.expire_all()
        membership = db.session.get(Membership, team["digest_owner"].id)
        assert membership.review_emails == ReviewEmails.NONE
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewDigestItem)) == 0
        assert send_digests() == 0
        assert "digest@example.com" not in [m["To"] for m in emails_in(folder)]
        # Other routes still demand the token.
        assert app.test_client().post("/sign-in", data={"email": "x"}).status_code == 400
        db.session.remove()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_token_answers_400_with_a_clear_page(app, client, team, method):
    good = unsubscribe_link(team["owner"]).removeprefix("http://localhost")
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    foreign = "/review-emails/unsubscribe/" + make_token(
        TokenPurpose.JOIN_CLINIC, {"m": team["owner"].id, "clinic": team["clinic"].id}
    )
    for path in (tampered, foreign, "/review-emails/unsubscribe/nonsense"):
        response = getattr(client, method)(path)
        assert response.status_code == 400
        assert b"This unsubscribe link does not work" in response.data
    db.session.expire_all()
    assert db.session.get(Membership, team["owner"].id).review_emails == ReviewEmails.EACH


def test_a_link_for_a_member_who_left_answers_400(app, client, team):
    path = unsubscribe_link(team["manager"]).removeprefix("http://localhost")
    db.session.delete(db.session.get(Membership, team["manager"].id))
    db.session.commit()
    assert client.get(path).status_code == 400


def test_the_digest_task_runs_across_clinics_and_is_scheduled(app, team, mail_folder):
    other = build_team_elsewhere()
    publish(team["therapist"])
    publish(other["therapist"])
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()

    assert celery.tasks[SEND_DIGESTS_TASK].apply().get() == 2  # in its own app context
    assert celery.tasks[SEND_DIGESTS_TASK].apply().get() == 0
    assert any(job["task"] == SEND_DIGESTS_TASK for job in BEAT_SCHEDULE.values())


def build_team_elsewhere() -> dict:
    clinic = create_clinic("Second Clinic")
    join(clinic, Role.MANAGER, ReviewEmails.DAILY, "elsewhere@example.com")
    therapist = create_therapist(clinic)
    db.session.commit()
    return {"clinic": clinic, "therapist": therapist}
