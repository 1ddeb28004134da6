"""A visitor reading reviews marks one helpful; it counts once and "Most helpful" follows."""

from __future__ import annotations

from playwright.sync_api import expect

from directory.extensions import db
from tests.factories import create_clinic, create_review, create_therapist


def test_a_visitor_marks_a_review_helpful(make_app, live_server, page, artifacts_dir, request):
    kind = request.node.callspec.params["migrated_database"]
    with make_app().app_context():
        therapist = create_therapist(create_clinic("Bang Rak Thai Massage"), "John Wintertime")
        create_review(therapist, title="My upper back finally let go")
        create_review(therapist, title="Calm, careful and on time")
        db.session.commit()
        slug = therapist.slug

    page.goto(f"{live_server}/therapists/{slug}")
    useful = page.locator("article.review", has_text="My upper back finally let go")
    useful.get_by_role("button", name="Helpful: My upper back finally let go").click()
    expect(page.locator(".flash")).to_contain_text("Thank you: your vote helps others")
    expect(useful).to_contain_text("1 person found this helpful")

    useful.get_by_role("button", name="Helpful: My upper back finally let go").click()
    expect(page.locator(".flash")).to_contain_text("You have already marked this review")
    expect(useful).to_contain_text("1 person found this helpful")

    page.get_by_role("link", name="Most helpful").click()
    expect(page.locator("article.review h3").first).to_have_text("My upper back finally let go")
    page.screenshot(path=artifacts_dir / f"review-helpful-{kind}.png", full_page=True)
