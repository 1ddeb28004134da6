"""A moderator finds a dead letter on the jobs page and sends it again."""

from __future__ import annotations

from playwright.sync_api import expect

from directory.extensions import db
from tests.browser.helpers import sign_in
from tests.factories import create_dead_letter, create_user


def test_moderator_retries_a_dead_letter_from_the_jobs_page(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with make_app().app_context():
        message_id = create_dead_letter(error="SMTP refused: 111").id
        create_user("mod@example.com", platform_role="moderator")
        db.session.commit()
        db.session.remove()
    main = page.get_by_role("main")

    sign_in(page, live_server, "mod@example.com")
    page.get_by_role("link", name="Moderation").first.click()
    page.get_by_role("link", name="Jobs").click()
    expect(page.get_by_role("heading", name="Background jobs")).to_be_visible()
    expect(main.get_by_text("SMTP refused: 111")).to_be_visible()
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=artifacts_dir / f"jobs-{width}-{kind}.png", full_page=True)

    main.get_by_role("button", name=f"Retry #{message_id}").click()
    expect(page.get_by_text(f"Job #{message_id} is queued again.")).to_be_visible()
    expect(main.get_by_text("No dead letters.")).to_be_visible()
