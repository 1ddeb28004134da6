"""A review's emails through a real SMTP server: confirm, then the moderator's decisions."""

from __future__ import annotations

import re

import sqlalchemy as sa

from directory.extensions import db
from directory.reviews.models import Review, ReviewState
from tests.clinics.test_console import sign_in
from tests.factories import create_clinic, create_therapist, create_user
from tests.reviews.test_writing import review_form

LINK = re.compile(r"http://localhost(/\S+)")


def links_in(message) -> list[str]:
    return LINK.findall(message.get_body(("plain",)).get_content())


def test_confirmation_and_decisions_reach_the_reviewer_by_smtp(make_app, smtp_server):
    app = make_app(MAIL_URL=smtp_server.url)
    guest, moderator_client = app.test_client(), app.test_client()
    with app.app_context():
        therapist = create_therapist(create_clinic(), name="John Wintertime")
        moderator = create_user(platform_role="moderator")
        db.session.commit()
        slug = therapist.slug

        guest.post(f"/therapists/{slug}/reviews/new", data=review_form(email="kim@example.org"))
        guest.post(
            f"/therapists/{slug}/reviews/new",
            data=review_form(email="lee@example.org", title="Buy now at example.com"),
        )
        confirmations = smtp_server.wait_for(2)
        assert [m["To"] for m in confirmations] == ["kim@example.org", "lee@example.org"]
        for message in confirmations:
            confirm = next(link for link in links_in(message) if "/reviews/confirm/" in link)
            assert guest.get(confirm).status_code == 200

        kim, lee = db.session.scalars(sa.select(Review).order_by(Review.id)).all()
        sign_in(moderator_client, moderator)
        assert moderator_client.post(f"/moderation/reviews/{kim.id}/approve").status_code == 302
        rejected = moderator_client.post(
            f"/moderation/reviews/{lee.id}/reject", data={"reason": "promotional", "note": ""}
        )
        assert rejected.status_code == 302

        published, refused = smtp_server.wait_for(4)[2:]
        assert published["To"] == "kim@example.org" and "is published" in published["Subject"]
        assert refused["To"] == "lee@example.org" and "was not published" in refused["Subject"]
        assert "Promotional" in refused.get_body(("plain",)).get_content()
        assert any("/reviews/appeal/" in link for link in links_in(refused))
        db.session.expire_all()
        assert [r.state for r in db.session.scalars(sa.select(Review).order_by(Review.id))] == [
            ReviewState.PUBLISHED,
            ReviewState.REJECTED,
        ]
        db.session.remove()
