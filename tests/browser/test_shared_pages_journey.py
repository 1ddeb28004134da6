"""Two visitors of shared pages: the second is served the profile the first one's visit
stored, adds the therapist to compare with the token in that page, signs in, and keeps
getting the stored pages with their own list, name and forms, while the first still sees
the signed-out pages with nothing of the second's on them."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from directory.extensions import db
from directory.public import view_counts
from directory.therapists.models import TherapistDailyViews
from tests.factories import PASSWORD, create_clinic, create_therapist, create_user
from tests.public.builders import give_terms, index, publish
from tests.support import loopback_url, serving


@pytest.fixture
def shared_app(make_redis_app):
    """The app with shared pages on (and CSRF), served on a free loopback port."""
    app = make_redis_app(WTF_CSRF_ENABLED=True, BASE_URL=loopback_url())
    with serving(app):
        yield app


def john(app) -> None:
    with app.app_context():
        clinic = create_clinic("Bang Rak Thai Massage", slug="bang-rak", city_slug="toronto")
        therapist = create_therapist(
            clinic,
            "John Wintertime",
            slug="john-wintertime",
            headline="Registered massage therapist and rehabilitation specialist",
        )
        give_terms(therapist, ("thai", "deep-tissue"), ("upper-back-pain",), ("en",))
        publish(therapist, 5, 4)
        index(therapist)
        create_user("sam@example.com", display_name="Sam Signedin")
        db.session.commit()
        db.session.remove()


def test_a_shared_profile_still_takes_each_visitors_own_actions(
    shared_app, page, artifacts_dir, database_url
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    john(shared_app)
    url = shared_app.config["BASE_URL"]
    profile = url + "/therapists/john-wintertime"
    first = page
    second = page.context.browser.new_context(viewport={"width": 1200, "height": 900}).new_page()

    first.goto(profile)  # rendered, and stored for the next signed-out visitor
    expect(first.get_by_role("heading", name="John Wintertime", level=1)).to_be_visible()

    second.goto(profile)  # the stored page, with this visitor's own token in its forms
    actions = second.locator(".profile-actions")
    actions.get_by_role("button", name="Add to compare").click()
    expect(actions.get_by_role("button", name="Remove from compare")).to_be_visible()
    expect(second.locator("header.site-header .compare-count")).to_have_text("1")
    second.screenshot(path=artifacts_dir / f"shared-profile-own-list-{kind}.png", full_page=True)

    second.goto(url + "/therapists?q=upper+back+pain")
    card = second.locator("article.result-card", has_text="John Wintertime")
    expect(card.get_by_role("button", name="Remove from compare")).to_be_visible()

    second.get_by_role("link", name="Sign in").click()
    second.get_by_label("Email").fill("sam@example.com")
    second.get_by_label("Password").fill(PASSWORD)
    second.locator("main").get_by_role("button", name="Sign in").click()
    second.goto(url + "/therapists?q=upper+back+pain")  # the stored page, with their header
    header = second.locator("header.site-header")
    expect(header.get_by_role("link", name="Sam Signedin")).to_be_visible()
    expect(header.locator(".compare-count")).to_have_text("1")
    expect(card.get_by_role("button", name="Remove from compare")).to_be_visible()
    second.screenshot(path=artifacts_dir / f"shared-search-signed-in-{kind}.png", full_page=True)
    header.get_by_role("button", name="Sign out", exact=True).click()  # its token is this visitor's
    expect(second.get_by_role("link", name="Sign in")).to_be_visible()

    first.goto(url + "/therapists?q=upper+back+pain")
    expect(first.get_by_text("Sam Signedin")).to_have_count(0)
    card = first.locator("article.result-card", has_text="John Wintertime")
    expect(card.get_by_role("button", name="Add to compare")).to_be_visible()
    expect(first.locator("header.site-header [data-compare-tray]")).to_be_hidden()
    first.screenshot(path=artifacts_dir / f"shared-search-{kind}.png", full_page=True)
    first.reload()
    expect(card.get_by_role("button", name="Add to compare")).to_be_visible()

    with shared_app.app_context():
        # Two visits of the profile, one of them shared (the compare button posts in place).
        assert view_counts.flush() == 2
        views = db.session.scalar(sa.select(sa.func.sum(TherapistDailyViews.views)))
        days = db.session.scalars(sa.select(TherapistDailyViews.day)).all()
        db.session.commit()
    assert (views, days) == (2, [date.today()])
    second.context.close()
