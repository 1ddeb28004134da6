"""A clinic owner lists a therapist and invites a client, who writes a verified review."""

from __future__ import annotations

from playwright.sync_api import expect

from directory.extensions import db
from tests.browser.helpers import sign_in
from tests.factories import create_user


def test_owner_lists_a_therapist_and_a_client_reviews_from_the_invitation(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with make_app().app_context():
        create_user("owner@example.com", display_name="Nok Owner")
        db.session.commit()
        db.session.remove()
    main = page.get_by_role("main")

    sign_in(page, live_server, "owner@example.com")

    page.goto(live_server + "/clinics/new")
    page.get_by_label("Clinic name").fill("Bang Rak Thai Massage")
    page.get_by_label("Street address").fill("1 Charoen Krung Road")
    page.get_by_label("City").fill("Bangkok")
    page.get_by_label("Phone").fill("+66 2 123 4567")
    main.get_by_role("button", name="Register the clinic").click()
    expect(page.get_by_text("Bang Rak Thai Massage is registered")).to_be_visible()

    page.get_by_role("link", name="Therapists").click()
    main.get_by_role("button", name="Add a therapist").click()
    page.get_by_label("Full name").fill("John Wintertime")
    page.get_by_label("Headline").fill("Registered massage therapist for upper back pain")
    page.get_by_label("Years of experience").fill("12")
    modalities = page.get_by_role("group", name="Modalities")
    modalities.get_by_label("Thai", exact=True).check()
    modalities.get_by_label("Trigger point").check()
    conditions = page.get_by_role("group", name="Conditions treated")
    conditions.get_by_label("Upper back pain").check()
    conditions.get_by_label("Posture strain from prolonged sitting").check()
    page.get_by_role("group", name="Languages").get_by_label("English").check()
    main.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("is saved as a draft")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"console-therapist-{kind}.png", full_page=True)
    main.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is now listed in the directory")).to_be_visible()

    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Client's name").fill("Ari Client")
    page.get_by_label("Client's email").fill("ari@example.org")
    main.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("We emailed ari@example.org")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"console-invitations-{kind}.png", full_page=True)

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("link", name="Development mailbox").click()
    page.get_by_role("link", name="How was your visit with John Wintertime?").click()
    page.locator("a[href*='/reviews/invited/']").click()
    expect(page.get_by_text("verified client")).to_be_visible()
    page.get_by_label("5 stars out of 5 (excellent)").check()
    page.get_by_label("Title").fill("My upper back finally let go")
    page.get_by_label("Your review").fill(
        "Firm trigger point work between the shoulder blades; "
        "I sat through a full workday without pain."
    )
    page.screenshot(path=artifacts_dir / f"review-form-{kind}.png", full_page=True)
    main.get_by_role("button", name="Send the review").click()
    expect(page.get_by_text("is with our moderators")).to_be_visible()
