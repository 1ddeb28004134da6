"""A clinic owner chooses a daily digest of new reviews, then unsubscribes from the digest's
link while signed out."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from directory.accounts.models import User
from directory.clinics.models import Membership, ReviewEmails
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.moderation.services import approve
from directory.reviews.models import Review
from tests.browser.helpers import sign_in
from tests.factories import create_clinic, create_therapist, create_user
from tests.moderation.helpers import pending_review
from workers.reviews import send_digests

WIDTHS = ((1280, 900), (390, 844))


def test_owner_chooses_the_digest_then_unsubscribes_signed_out(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    # The jobs run in an app of their own, whose emails link to the live server.
    jobs = make_app(BASE_URL=live_server)
    with jobs.app_context():
        owner = create_user("owner@example.com", display_name="Nok Owner")
        clinic = create_clinic("Bang Rak Thai Massage", owner=owner)
        therapist = create_therapist(clinic, name="John Wintertime")
        review = pending_review(therapist, title="My upper back moves again")
        moderator = create_user(platform_role="moderator")
        db.session.commit()
        slug, review_id, owner_id, moderator_id = clinic.slug, review.id, owner.id, moderator.id
        db.session.remove()
    main = page.get_by_role("main")

    sign_in(page, live_server, "owner@example.com")
    page.goto(f"{live_server}/manage/{slug}/")
    page.get_by_role("navigation", name="Clinic console").get_by_role(
        "link", name="Review emails"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review emails")
    choices = page.get_by_role("group", name="Email me about new reviews")
    expect(choices.get_by_label("For each review, as soon as it is published")).to_be_checked()
    choices.get_by_label("Once a day, one email listing the new reviews").check()
    main.get_by_role("button", name="Save").click()
    expect(page.get_by_text("We will email you once a day")).to_be_visible()
    expect(choices.get_by_label("Once a day, one email listing the new reviews")).to_be_checked()
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(
            path=artifacts_dir / f"review-emails-console-{width}-{kind}.png", full_page=True
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Sign out", exact=True).click()

    # A moderator publishes the review; the next morning the beat task sends the digest.
    with jobs.app_context():
        act_for_all_clinics()
        approve(db.session.get(Review, review_id), db.session.get(User, moderator_id))
        db.session.commit()
        assert send_digests() == 1
        db.session.remove()

    page.goto(live_server + "/dev/mailbox")
    page.get_by_role("link", name="1 new review for Bang Rak Thai Massage").click()
    expect(page.get_by_text("My upper back moves again")).to_be_visible()
    page.locator("a[href*='/review-emails/unsubscribe/']").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Stop review emails?")
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(
            path=artifacts_dir / f"review-emails-unsubscribe-{width}-{kind}.png", full_page=True
        )
    main.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(
            path=artifacts_dir / f"review-emails-unsubscribed-{width}-{kind}.png", full_page=True
        )

    with jobs.app_context():
        act_for_all_clinics()
        choice = db.session.scalar(
            sa.select(Membership.review_emails).where(Membership.user_id == owner_id)
        )
        assert choice == ReviewEmails.NONE
        db.session.remove()
