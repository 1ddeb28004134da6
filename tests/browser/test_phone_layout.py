"""Every public page at a phone's width (390 px): never wider than the screen, and a header
on one line whoever is signed in; the main pages at 1280 px too, for the screenshots."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from directory.clinics.models import Clinic, Membership, Role
from directory.core.tenancy import act_for_all_clinics
from directory.core.tokens import TokenPurpose, make_token
from directory.extensions import db
from directory.reviews.models import ReviewState
from tests.browser.helpers import sign_in
from tests.factories import create_clinic, create_review, create_therapist, create_user
from tests.public.builders import credential, give_terms, index, publish

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SLUGS = ("john-wintertime", "mia-laurent", "noor-haddad", "bartholomew-featherstonehaugh")
LONG_NAME = "Maximiliana Featherstonehaugh-Vandersloot"
SEARCH_PAGES = {
    "search": "/therapists?q=massage",
    "search-filtered": "/therapists?q=massage&specialty=deep-tissue&city=toronto&min_rating=4",
}


def directory_to_browse(make_app) -> dict[str, str]:
    """Four therapists in two clinics, a review waiting for its email, and the paths that
    need tokens; every account has the test password."""
    with make_app().app_context():
        bang_rak = create_clinic("Bang Rak Thai Massage", slug="bang-rak", city_slug="toronto")
        harbour = create_clinic(
            "Harbourfront Sports and Remedial Massage Therapy Clinic",
            slug="harbour",
            city_slug="toronto",
        )
        people = [
            create_therapist(
                bang_rak,
                "John Wintertime",
                slug=SLUGS[0],
                headline="Registered massage therapist and rehabilitation specialist",
                years_experience=11,
                price_min=90,
                price_max=120,
            ),
            create_therapist(harbour, "Mia Laurent", slug=SLUGS[1], years_experience=4),
            create_therapist(harbour, "Noor Haddad", slug=SLUGS[2], price_min=70),
            create_therapist(
                bang_rak,
                "Bartholomew Featherstonehaugh-Cholmondeley",
                slug=SLUGS[3],
                headline="Myofascial release, lymphatic drainage and hot stone for chronic pain",
            ),
        ]
        for person in people:
            give_terms(
                person,
                ("thai", "trigger-point", "deep-tissue", "myofascial-release"),
                ("upper-back-pain", "posture-strain-from-prolonged-sitting"),
                ("en", "th"),
            )
        credential(people[0], "RMT", number="R-4471", expires_on=date(2030, 1, 31))
        publish(people[0], 5, 5, 4, technique=5, communication=4)
        publish(people[1], 4, 3, technique=4)
        waiting = create_review(people[2], state=ReviewState.AWAITING_EMAIL, published_at=None)
        create_user("client@example.com", display_name=LONG_NAME)
        create_user("moderator@example.com", display_name=LONG_NAME, platform_role="moderator")
        index(*people)
        paths = {
            "confirm": "/reviews/confirm/"
            + make_token(
                TokenPurpose.CONFIRM_REVIEW, {"rid": waiting.id, "clinic": waiting.clinic_id}
            ),
        }
        db.session.commit()
        db.session.remove()
    return paths


def public_pages(paths: dict[str, str]) -> dict[str, str]:
    compare = "/compare?" + "&".join(f"t={slug}" for slug in SLUGS)
    return {
        "home": "/",
        "profile": f"/therapists/{SLUGS[0]}",
        "profile-long-name": f"/therapists/{SLUGS[3]}",
        "clinic": "/clinics/bang-rak",
        "clinic-long-name": "/clinics/harbour",
        "compare-2": "/compare?t=john-wintertime&t=mia-laurent&near=Toronto",
        "compare-3": "/compare?t=john-wintertime&t=mia-laurent&t=noor-haddad",
        "compare-4": compare,
        "how-reviews-work": "/how-reviews-work",
        "transparency": "/transparency",
        "sign-in": "/sign-in",
        "register": "/register",
        "forgot-password": "/forgot-password",
        "review-form": f"/therapists/{SLUGS[0]}/reviews/new",
        "review-confirmed": paths["confirm"],
        "review-already-confirmed": paths["confirm"],
        "review-link-problem": paths["confirm"][:-4] + "abcd",
        "not-found": "/no-such-page",
    }


# How many lines the header takes: its shown items side by side, and none broken onto two
# lines itself ("Sign / in").
HEADER_LINES = """
    const header_lines = () => {
        const shown = [...document.querySelectorAll(".site-header nav > ul > li")]
            .map((item) => item.getBoundingClientRect())
            .filter((box) => box.height > 0);
        const middles = shown.map((box) => box.top + box.height / 2);
        const rows = Math.max(...middles) - Math.min(...middles) > 16 ? 2 : 1;
        const words = [...document.querySelectorAll(
            ".site-header nav > ul > li > a, .site-header nav > ul > li > form button,"
            + " .site-header summary")]
            .filter((el) => el.getBoundingClientRect().height > 0);
        const textHeight = (el) => {
            const style = getComputedStyle(el);
            return el.getBoundingClientRect().height - parseFloat(style.paddingTop)
                - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth)
                - parseFloat(style.borderBottomWidth);
        };
        const broken = words.some((el) => el.getClientRects().length > 1
            || textHeight(el) > 1.5 * parseFloat(getComputedStyle(el).lineHeight));
        return broken ? rows + 1 : rows;
    };
"""


def widths(page) -> dict[str, int]:
    return page.evaluate(
        "() => {"
        + HEADER_LINES
        + """return {
            document: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            viewport: window.innerWidth,
            header: header_lines(),
        }; }"""
    )


def sticking_out(page) -> list[str]:
    """The outermost elements that reach past the right edge of the screen."""
    return page.evaluate(
        """() => {
            const out = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
            return [...document.querySelectorAll("body *")]
            .filter((el) => out(el) && !out(el.parentElement))
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
        }"""
    )


def too_wide(page, live_server: str, name: str, path: str, artifacts_dir, kind: str) -> str | None:
    """What is wrong with this page at the current width, or None; with a screenshot."""
    page.goto(live_server + path)
    measured = widths(page)
    width = page.viewport_size["width"]
    page.screenshot(path=artifacts_dir / f"phone-{name}-{width}-{kind}.png", full_page=True)
    problems = []
    if max(measured["document"], measured["body"]) > measured["viewport"]:
        problems.append(f"{measured['document']} px wide, past the edge: {sticking_out(page)}")
    if measured["header"] > 1:
        problems.append(f"the header takes {measured['header']} lines")
    return f"{name} ({path}): {', '.join(problems)}" if problems else None


def kind_of(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


def test_every_public_page_fits_a_phone_screen(
    live_server, page, artifacts_dir, database_url, make_app
):
    kind = kind_of(database_url)
    pages = public_pages(directory_to_browse(make_app))
    problems = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        problems += [
            problem
            for name, path in pages.items()
            if (problem := too_wide(page, live_server, name, path, artifacts_dir, kind))
        ]
    assert problems == []
    page.goto(live_server + pages["review-already-confirmed"])  # visited twice above
    expect(page.get_by_role("heading", level=1)).to_have_text("Your review is already confirmed")


@pytest.mark.parametrize("name", sorted(SEARCH_PAGES))
def test_the_search_pages_fit_a_phone_screen(
    live_server, page, artifacts_dir, database_url, make_app, name
):
    directory_to_browse(make_app)
    page.set_viewport_size(PHONE)
    kind = kind_of(database_url)
    assert too_wide(page, live_server, name, SEARCH_PAGES[name], artifacts_dir, kind) is None


@pytest.mark.parametrize(
    "who", ["client@example.com", "owner", "moderator@example.com", "signed-out"]
)
def test_the_header_stays_on_one_line_and_its_menu_works_on_a_phone(
    live_server, page, artifacts_dir, database_url, make_app, who
):
    directory_to_browse(make_app)
    if who == "owner":
        with make_app().app_context():
            clinic = db.session.scalar(db.select(Clinic).filter_by(slug="harbour"))
            user = create_user("owner@example.com", display_name=LONG_NAME)
            act_for_all_clinics()
            db.session.add(Membership(clinic_id=clinic.id, user_id=user.id, role=Role.OWNER))
            db.session.commit()
            db.session.remove()
        who = "owner@example.com"
    page.emulate_media(reduced_motion="reduce")  # the menu opens at once, for the screenshot
    if who != "signed-out":
        sign_in(page, live_server, who)
    header = page.locator("header.site-header")
    page.set_viewport_size(PHONE)
    for count, slug in enumerate(SLUGS[:2], start=1):  # a compare link: the widest header
        page.goto(f"{live_server}/therapists/{slug}")
        page.get_by_role("main").get_by_role("button", name="Add to compare").click()
        named = f"Compare {count} therapist{'s' if count > 1 else ''}"
        expect(header.get_by_role("link", name=named)).to_be_visible()
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(live_server + "/compare?t=john-wintertime&t=mia-laurent")
        measured = widths(page)
        assert measured["header"] == 1 and measured["document"] <= measured["viewport"]
        page.screenshot(
            path=artifacts_dir
            / f"phone-header-{who.split('@')[0]}-{viewport['width']}-{kind_of(database_url)}.png"
        )
    page.set_viewport_size(PHONE)
    expect(header.get_by_role("link", name="Sign in")).to_be_hidden()
    header.get_by_text("Menu").click()
    page.screenshot(
        path=artifacts_dir / f"phone-menu-{who.split('@')[0]}-{kind_of(database_url)}.png"
    )
    if who == "signed-out":
        header.get_by_role("link", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    else:
        expect(header.get_by_role("link", name=LONG_NAME)).to_be_visible()
        header.get_by_role("button", name="Sign out", exact=True).click()
        expect(header.get_by_text("Menu")).to_be_visible()
