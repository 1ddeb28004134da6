"""A real `celery worker` runs the daily review digest: one email per member, through SMTP,
with its one-click unsubscribe headers intact."""

from __future__ import annotations

import sqlalchemy as sa

from directory.clinics.models import Membership, ReviewEmails, Role
from directory.core.mail import queue_email
from directory.extensions import db
from directory.reviews.models import ReviewDigestItem
from tests.factories import create_clinic, create_review, create_therapist, create_user
from tests.workers.test_email_worker import worker  # noqa: F401 - the worker fixture
from workers.reviews import SEND_DIGESTS_TASK


def test_a_worker_sends_each_member_one_digest(make_app, worker, redis_url, smtp_server):  # noqa: F811
    app = make_app(CELERY_EAGER=False, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=worker)
    with app.app_context():
        owner = create_user("owner@example.com")
        clinic = create_clinic("Bang Rak Thai Massage", owner=owner)
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
        membership.review_emails = ReviewEmails.DAILY
        manager = create_user("manager@example.com")
        db.session.add(
            Membership(
                clinic_id=clinic.id,
                user_id=manager.id,
                role=Role.MANAGER,
                review_emails=ReviewEmails.DAILY,
            )
        )
        db.session.flush()
        therapist = create_therapist(clinic, name="John Wintertime")
        for title in ("Fixed my upper back", "Calm and precise"):
            review = create_review(therapist, title=title)
            for member in db.session.scalars(sa.select(Membership)):
                db.session.add(
                    ReviewDigestItem(
                        clinic_id=clinic.id, membership_id=member.id, review_id=review.id
                    )
                )
        db.session.commit()

        celery = app.extensions["celery"]
        celery.send_task(SEND_DIGESTS_TASK)
        celery.send_task(SEND_DIGESTS_TASK)  # a repeat (beat twice, a redelivery) sends nothing

        messages = smtp_server.wait_for(2, timeout=60)
        assert sorted(m["To"] for m in messages) == ["manager@example.com", "owner@example.com"]
        for message in messages:
            assert message["Subject"] == "2 new reviews for Bang Rak Thai Massage"
            body = message.get_body(("plain",)).get_content()
            assert "Fixed my upper back" in body and "Calm and precise" in body
            link = message["List-Unsubscribe"]
            assert link.startswith("<http://localhost/review-emails/unsubscribe/")
            assert link.endswith(">") and link[1:-1] in body
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewDigestItem)) == 0
        # A solo worker runs jobs in order: once a marker queued now arrives, nothing else
        # is coming.
        queue_email("marker@example.com", "verify_account", "Marker", user={}, link="x")
        db.session.commit()
        assert [m["To"] for m in smtp_server.wait_for(3, timeout=30)][2:] == ["marker@example.com"]
        db.session.remove()
