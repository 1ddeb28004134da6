"""A visitor reads a profile, writes a review as a guest and confirms it from the mailbox."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews import ratings
from directory.reviews.models import ClinicReply, Provenance, ReplyState
from tests.factories import create_clinic, create_review, create_therapist


def john_with_reviews(make_app) -> None:
    with make_app().app_context():
        clinic = create_clinic("Bang Rak Thai Massage", slug="bang-rak")
        therapist = create_therapist(
            clinic,
            "John Wintertime",
            slug="john-wintertime",
            headline="Registered massage therapist and rehabilitation specialist",
            bio="More than ten years of clinical work in musculoskeletal recovery and pain "
            "management: upper back pain, posture strain, trigger point work.",
            years_experience=11,
            price_min=90,
            price_max=120,
        )
        invited = create_review(
            therapist,
            rating=5,
            rating_technique=5,
            rating_communication=4,
            provenance=Provenance.VERIFIED_CLIENT,
            reviewer_name="Sam Rivera",
            initials_only=True,
            title="My upper back finally let go",
            body="Two sessions of trigger point work and I can sit at my desk all day again.",
            visit_month=date.today().replace(day=1),
            published_at=utcnow(),
        )
        create_review(
            therapist,
            rating=4,
            reviewer_name="Priya Shah",
            title="Calm, careful and on time",
            visit_month=(date.today().replace(day=1) - timedelta(days=40)).replace(day=1),
            published_at=utcnow() - timedelta(days=30),
        )
        db.session.add(
            ClinicReply(
                clinic_id=clinic.id,
                review_id=invited.id,
                body="Thank you, Sam. Remember the stretches between sessions.",
                state=ReplyState.PUBLISHED,
            )
        )
        ratings.recompute(therapist.id)
        db.session.commit()
        db.session.remove()


def test_read_a_profile_write_a_review_and_confirm_it(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    john_with_reviews(make_app)
    main = page.get_by_role("main")

    page.goto(live_server + "/therapists/john-wintertime")
    expect(page.get_by_role("heading", level=1)).to_have_text("John Wintertime")
    expect(main.get_by_text("4.5 ★ average from 2 published reviews")).to_be_visible()
    expect(main.get_by_text("Based on only 2 reviews")).to_be_visible()
    expect(main.get_by_role("link", name="Verified client")).to_be_visible()
    expect(main.get_by_role("link", name="Email confirmed")).to_be_visible()
    expect(main.get_by_text("Reply from Bang Rak Thai Massage")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"profile-{kind}.png", full_page=True)

    main.get_by_role("button", name="Write a review").click()  # a link styled as a button
    expect(page.get_by_role("heading", level=1)).to_have_text("Review John Wintertime")
    overall = page.get_by_role("group", name="Overall rating")
    overall.get_by_label("4 stars out of 5 (good)").check()
    page.keyboard.press("ArrowRight")  # a native radio group: the arrow moves to 5 stars
    expect(overall.get_by_label("5 stars out of 5 (excellent)")).to_be_checked()
    expect(overall.get_by_label("5 stars out of 5 (excellent)")).to_be_focused()
    technique = page.get_by_role("group", name="Technique")
    expect(technique.get_by_label("Not rated")).to_be_checked()
    technique.get_by_label("3 stars out of 5").check()
    page.get_by_label("Title").fill("Fixed my posture strain")
    page.get_by_label("Your review").fill(
        "Thai massage with careful trigger point work; my neck and shoulders feel free again."
    )
    visit = page.get_by_role("group", name="Month of your visit")
    visit.get_by_label("Month").select_option(str(date.today().month))
    visit.get_by_label("Year").select_option(str(date.today().year))
    page.get_by_label("Your name").fill("Alex Morgan")
    page.get_by_label("Your email").fill("alex@example.org")
    page.screenshot(path=artifacts_dir / f"review-form-{kind}.png", full_page=True)
    main.get_by_role("button", name="Send the review").click()
    expect(page.get_by_text("We emailed alex@example.org a link")).to_be_visible()
    expect(main.get_by_role("link", name="edit or withdraw your review")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"review-thanks-{kind}.png", full_page=True)

    page.get_by_role("link", name="Development mailbox").click()
    page.get_by_role("link", name="Confirm your review of John Wintertime").click()
    page.screenshot(path=artifacts_dir / f"review-email-{kind}.png", full_page=True)
    page.locator("a[href*='/reviews/confirm/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your review is confirmed")
    page.screenshot(path=artifacts_dir / f"review-confirmed-{kind}.png", full_page=True)
    page.go_back()
    page.locator("a[href*='/reviews/confirm/']").click()  # the link again: no error page
    expect(page.get_by_role("heading", level=1)).to_have_text("Your review is already confirmed")
    page.screenshot(path=artifacts_dir / f"review-already-confirmed-{kind}.png", full_page=True)
    main.get_by_role("link", name="See your review's status, edit or withdraw it").click()
    expect(page.get_by_label("Title")).to_have_value("Fixed my posture strain")
    page.screenshot(path=artifacts_dir / f"review-manage-{kind}.png", full_page=True)

    page.goto(live_server + "/how-reviews-work")
    expect(page.get_by_role("heading", name="What the labels mean")).to_be_visible()
    page.goto(live_server + "/transparency")
    expect(page.get_by_role("heading", level=1)).to_have_text("Transparency")
    page.screenshot(path=artifacts_dir / f"transparency-{kind}.png", full_page=True)
