"""A client looks after their own account: changes email (both emails over real SMTP),
takes their data away as JSON, and deletes the account; their published review leaves the
profile, the therapist's rating changes, and the moderators' audit log still reads."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from directory.extensions import db
from directory.moderation.services import record
from directory.reviews import ratings
from tests import support
from tests.browser.helpers import sign_in
from tests.factories import PASSWORD, create_clinic, create_review, create_therapist, create_user

LINK = re.compile(r"https?://\S+")


def link_in(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return next(link for link in LINK.findall(text) if path in link)


def screenshots(page, artifacts_dir, name: str) -> None:
    """The page at a laptop's width and at a phone's."""
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=artifacts_dir / f"self-service-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_client_changes_email_exports_data_and_deletes_the_account(
    make_app, page, artifacts_dir, smtp_server, tmp_path
):
    app = make_app(WTF_CSRF_ENABLED=True, BASE_URL=support.loopback_url(), MAIL_URL=smtp_server.url)
    with app.app_context():
        therapist = create_therapist(create_clinic("Bang Rak Thai Massage"), name="John Wintertime")
        slug = therapist.slug
        ann = create_user("ann@example.com", display_name="Ann Lee")
        create_review(therapist, rating=5, reviewer_name="Bo Client", title="Shoulders free")
        mine = create_review(
            therapist,
            rating=2,
            user_id=ann.id,
            reviewer_email=ann.email,
            reviewer_name="Ann Lee",
            title="Too rushed for me",
        )
        ratings.recompute(therapist.id)
        moderator = create_user("mod@example.com", platform_role="moderator")
        record(moderator, "review.approve", "review", mine.id, clinic_id=mine.clinic_id)
        record(
            None,
            "review.appeal",
            "review",
            mine.id,
            clinic_id=mine.clinic_id,
            actor_email=ann.email,
            note="An appeal from before",
        )
        db.session.commit()
        db.session.remove()

    with support.serving(app) as live_server:
        page.goto(f"{live_server}/therapists/{slug}")
        expect(page.get_by_text("3.5 ★ from 2 reviews")).to_be_visible()
        expect(page.get_by_text("Too rushed for me")).to_be_visible()

        sign_in(page, live_server, "ann@example.com")
        page.goto(live_server + "/account")
        expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
        screenshots(page, artifacts_dir, "account-overview")
        nav = page.get_by_role("navigation", name="Your account")
        nav.get_by_role("link", name="My reviews").click()
        expect(page.get_by_text("Too rushed for me")).to_be_visible()
        expect(page.get_by_text("Published", exact=True)).to_be_visible()
        screenshots(page, artifacts_dir, "account-my-reviews")

        # A new address, confirmed from the link sent to it; the old one is told.
        nav.get_by_role("link", name="Email").click()
        page.get_by_label("New email address").fill("ann.lee@example.org")
        page.get_by_label("Current password").fill(PASSWORD)
        screenshots(page, artifacts_dir, "account-email")
        page.get_by_role("button", name="Send the confirmation link").click()
        expect(page.get_by_text("We sent a link to ann.lee@example.org")).to_be_visible()
        [confirmation] = smtp_server.wait_for(1)
        assert confirmation["To"] == "ann.lee@example.org"
        page.goto(link_in(confirmation, "/account/email/confirm/"))
        expect(page.get_by_text("Your account now uses ann.lee@example.org")).to_be_visible()
        notice = smtp_server.wait_for(2)[1]
        assert notice["To"] == "ann@example.com"
        assert "ann.lee@example.org" in notice.get_body(("plain",)).get_content()

        # The data, as one JSON file.
        with page.expect_download() as download:
            page.get_by_role("link", name="Download my data").first.click()
        saved = tmp_path / "export.json"
        download.value.save_as(saved)
        data = json.loads(saved.read_text())
        assert data["account"]["email"] == "ann.lee@example.org"
        assert [review["title"] for review in data["reviews"]] == ["Too rushed for me"]
        assert [email["to"] for email in data["emails"]] == ["ann.lee@example.org"]

        # Deletion: the rule first, the password, then the emailed link.
        nav.get_by_role("link", name="Delete account").click()
        expect(page.get_by_role("heading", name="What happens")).to_be_visible()
        screenshots(page, artifacts_dir, "account-delete")
        page.get_by_label("Withdraw them").check()
        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Email me the link to delete my account").click()
        request = smtp_server.wait_for(3)[2]
        assert request["To"] == "ann.lee@example.org"
        page.goto(link_in(request, "/account/delete/confirm/"))
        screenshots(page, artifacts_dir, "account-delete-confirm")
        page.get_by_role("button", name="Delete my account").click()
        expect(page.get_by_text("Your account is deleted")).to_be_visible()
        expect(page.get_by_role("link", name="Sign in").first).to_be_visible()

        page.goto(f"{live_server}/therapists/{slug}")
        expect(page.get_by_text("5.0 ★ from 1 review")).to_be_visible()
        expect(page.get_by_text("Too rushed for me")).to_have_count(0)

        page.goto(live_server + "/sign-in")
        page.get_by_label("Email address").fill("ann.lee@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("do not match an account")).to_be_visible()

        sign_in(page, live_server, "mod@example.com")
        page.goto(live_server + "/moderation/audit")
        expect(page.get_by_role("cell", name="review.approve")).to_be_visible()
        expect(page.get_by_role("cell", name="mod@example.com")).to_be_visible()
        expect(page.get_by_role("cell", name="An appeal from before")).to_be_visible()
        expect(page.get_by_role("cell", name=re.compile(r"^deleted-user-"))).to_be_visible()
        expect(page.get_by_text("ann@example.com")).to_have_count(0)
        screenshots(page, artifacts_dir, "account-deleted-audit")
