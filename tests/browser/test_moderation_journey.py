"""A moderator works the queue: one review approved onto the profile, one rejected."""

from __future__ import annotations

from playwright.sync_api import expect

from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews.models import ReviewState
from tests.browser.helpers import sign_in
from tests.factories import create_clinic, create_review, create_therapist, create_user


def test_moderator_approves_and_rejects_from_the_queue(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with make_app().app_context():
        therapist = create_therapist(create_clinic("Bang Rak Thai Massage"), name="John Wintertime")
        slug = therapist.slug
        create_review(
            therapist,
            title="Finally free of desk-job shoulders",
            body="Careful trigger point work; I could turn my head again after two visits.",
            state=ReviewState.PENDING,
            published_at=None,
            submitted_at=utcnow(),
        )
        create_review(
            therapist,
            title="Best massage ever!!! Visit www.example.com",
            body="Call 555 0100 for a discount at our spa, best prices in town, book now today.",
            state=ReviewState.PENDING,
            published_at=None,
            submitted_at=utcnow(),
        )
        create_user("mod@example.com", platform_role="moderator")
        db.session.commit()
        db.session.remove()
    sign_in(page, live_server, "mod@example.com")
    page.get_by_role("link", name="Moderation").first.click()
    expect(page.get_by_role("heading", name="Pending reviews")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"moderation-queue-{kind}.png", full_page=True)

    spam = page.locator("article.moderation-item", has_text="Best massage ever")
    spam.get_by_text("Reject with a reason").click()
    spam.get_by_label("Reason").select_option("promotional")
    spam.get_by_role("button", name="Reject").click()

    genuine = page.locator("article.moderation-item", has_text="desk-job shoulders")
    genuine.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Nothing waiting")).to_be_visible()

    page.goto(f"{live_server}/therapists/{slug}")
    expect(page.get_by_role("heading", name="Finally free of desk-job shoulders")).to_be_visible()
    expect(page.get_by_text("Best massage ever")).to_have_count(0)
    page.screenshot(path=artifacts_dir / f"moderation-published-{kind}.png", full_page=True)
