"""A clinic owner copies the snippets from the console into the clinic's own website (a
page of another origin made by the test); a visitor of that site sees the reviews."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import expect

from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews import ratings
from directory.reviews.models import Provenance
from tests.browser.helpers import sign_in
from tests.factories import create_clinic, create_review, create_therapist, create_user

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

OTHER_SITE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bang Rak Thai Massage, Bangkok</title></head>
<body style="font-family: Georgia, serif; margin: 0 auto; max-width: 760px; padding: 1rem;">
<h1>Bang Rak Thai Massage</h1>
<p>Traditional Thai massage and rehabilitation in the heart of Bang Rak, since 2014.</p>
<h2>What our clients say</h2>
{iframe}
<h2>Our badge</h2>
<p>{badge}</p>
<footer><p>1 Charoen Krung Road, Bangkok</p></footer>
</body>
</html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the test output stays quiet
        pass


@contextmanager
def other_site(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on another loopback port: another origin than the app's."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_reviews_show_on_the_clinics_own_website(
    make_app, live_server, page, artifacts_dir, tmp_path, request
):
    kind = request.node.callspec.params["migrated_database"]
    with make_app().app_context():
        owner = create_user("owner@example.com", display_name="Nok Owner")
        clinic = create_clinic("Bang Rak Thai Massage", slug="bang-rak", owner=owner)
        john = create_therapist(clinic, "John Wintertime", slug="john-wintertime")
        create_review(
            john,
            rating=5,
            title="My upper back finally let go",
            body="Firm trigger point work between the shoulder blades; a full workday, no pain.",
            provenance=Provenance.VERIFIED_CLIENT,
            published_at=utcnow() - timedelta(days=2),
        )
        create_review(john, rating=4, title="Calm, careful and on time", published_at=utcnow())
        ratings.recompute(john.id)
        db.session.commit()

    # The owner finds the snippets in the console, with live previews.
    sign_in(page, live_server, "owner@example.com")
    page.goto(f"{live_server}/manage/bang-rak/")
    page.get_by_role("link", name="Reviews on your website").click()
    expect(page.get_by_role("heading", name="Show your reviews on your website")).to_be_visible()
    preview = page.frame_locator(
        "iframe[title='Preview: verified reviews of Bang Rak Thai Massage']"
    )
    expect(preview.get_by_text("4.5 out of 5 from 2 reviews")).to_be_visible()
    badge_preview = page.get_by_role("img", name="Badge preview: verified reviews of Bang Rak")
    expect(badge_preview).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=badge_preview.element_handle()
    )
    iframe_snippet = page.get_by_label("Paste this where the box should appear").first
    badge_snippet = page.get_by_label("Paste this where the badge should appear").first
    iframe_html, badge_html = iframe_snippet.input_value(), badge_snippet.input_value()
    assert iframe_html.startswith(f'<iframe src="{live_server}/embed/clinics/bang-rak"')
    for width, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(width)
        page.screenshot(path=artifacts_dir / f"embed-console-{name}-{kind}.png", full_page=True)

    # The clinic pastes them into its own site, served from another origin.
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(OTHER_SITE.format(iframe=iframe_html, badge=badge_html))
    visitor_context = page.context.browser.new_context(viewport=DESKTOP)
    visitor = visitor_context.new_page()
    with other_site(site) as site_url:
        visitor.goto(site_url + "/index.html")
        frame = visitor.frame_locator("iframe")
        expect(frame.get_by_text("4.5 out of 5 from 2 reviews")).to_be_visible()
        expect(frame.get_by_text("My upper back finally let go")).to_be_visible()
        expect(frame.get_by_role("link", name="Verified client")).to_be_visible()
        back = frame.get_by_role("link", name="Verified reviews on Therapist Directory")
        expect(back).to_have_attribute("href", f"{live_server}/clinics/bang-rak")
        expect(back).to_have_attribute("target", "_blank")
        badge = visitor.get_by_role("img", name="Verified reviews of Bang Rak Thai Massage")
        visitor.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=badge.element_handle()
        )
        for width, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
            visitor.set_viewport_size(width)
            visitor.screenshot(
                path=artifacts_dir / f"embed-other-site-{name}-{kind}.png", full_page=True
            )

        # Reading the embed and the badge left no cookie of ours in the visitor's browser.
        assert visitor_context.cookies(live_server) == []

        # The link back opens the clinic's page here in a new tab.
        with visitor_context.expect_page() as opened:
            back.click()
        expect(opened.value.get_by_role("heading", name="Bang Rak Thai Massage")).to_be_visible()
    visitor_context.close()
