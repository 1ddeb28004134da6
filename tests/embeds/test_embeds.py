"""Embed pages and badges: what they show, that they set no cookie, and their caching."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest

from directory.clinics.models import Role
from directory.core.models import utcnow
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.reviews import ratings
from directory.reviews.models import Provenance, ReviewState
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_review, create_therapist

SVG = "{http://www.w3.org/2000/svg}"


def bang_rak():
    clinic = create_clinic("Bang Rak Thai Massage", slug="bang-rak")
    john = create_therapist(clinic, "John Wintertime", slug="john-wintertime")
    now = utcnow()
    create_review(
        john,
        rating=5,
        title="My upper back finally let go",
        provenance=Provenance.VERIFIED_CLIENT,
        published_at=now - timedelta(days=1),
    )
    create_review(john, rating=4, title="Good trigger point work", published_at=now)
    create_review(
        john, title="Waiting for moderation", state=ReviewState.PENDING, published_at=None
    )
    ratings.recompute(john.id)
    db.session.commit()
    return clinic, john


def test_the_therapist_embed_shows_rating_latest_reviews_labels_and_the_way_back(client):
    bang_rak()
    response = client.get("/embed/therapists/john-wintertime")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "4.5" in page and "from 2 reviews" in page
    assert page.index("Good trigger point work") < page.index("My upper back finally let go")
    assert "Verified client" in page and "Email confirmed" in page
    assert "Waiting for moderation" not in page
    assert (
        '<a href="http://localhost/therapists/john-wintertime" target="_blank" rel="noopener">'
        "Verified reviews on Therapist Directory</a>"
    ) in page
    assert 'href="http://localhost/how-reviews-work#verified_client" target="_blank"' in page


def test_the_clinic_embed_shows_reviews_of_its_listed_therapists_only(client):
    clinic, _john = bang_rak()
    hidden = create_therapist(clinic, "Unlisted Person", is_published=False)
    create_review(hidden, title="About someone unlisted")
    ratings.recompute(hidden.id)
    db.session.commit()
    page = client.get("/embed/clinics/bang-rak").get_data(as_text=True)
    assert "Bang Rak Thai Massage" in page and "from 2 reviews" in page
    assert "about John Wintertime" in page
    assert "About someone unlisted" not in page
    assert 'href="http://localhost/clinics/bang-rak" target="_blank"' in page


def test_embeds_carry_no_form_script_or_structured_data(client):
    bang_rak()
    for url in ("/embed/therapists/john-wintertime", "/embed/clinics/bang-rak"):
        page = client.get(url).get_data(as_text=True).lower()
        for forbidden in ("<form", "<script", "ld+json", "itemscope", "itemprop", "csrf"):
            assert forbidden not in page, f"{url} has {forbidden}"


@pytest.mark.parametrize(
    "url",
    [
        "/embed/therapists/nobody",
        "/embed/clinics/nowhere",
        "/embed/therapists/nobody/badge.svg",
        "/embed/clinics/nowhere/badge.svg",
    ],
)
def test_an_unknown_slug_answers_404(client, url):
    assert client.get(url).status_code == 404


def test_what_the_public_cannot_see_has_no_embed(client):
    clinic, john = bang_rak()
    john.is_published = False
    closed = create_clinic("Closed Clinic", slug="closed", is_active=False)
    db.session.commit()
    for url in (
        "/embed/therapists/john-wintertime",
        "/embed/therapists/john-wintertime/badge.svg",
        f"/embed/clinics/{closed.slug}",
        f"/embed/clinics/{closed.slug}/badge.svg",
    ):
        assert client.get(url).status_code == 404, url
    # The clinic stays, without the unlisted therapist's reviews.
    page = client.get(f"/embed/clinics/{clinic.slug}").get_data(as_text=True)
    assert "No reviews yet" in page and "My upper back" not in page


def test_the_badge_is_an_accessible_svg_with_stars_rating_and_count(client):
    bang_rak()
    response = client.get("/embed/therapists/john-wintertime/badge.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = ElementTree.fromstring(response.data)
    label = "John Wintertime: 4.5 out of 5 from 2 reviews on Therapist Directory"
    assert svg.get("role") == "img" and svg.get("aria-label") == label
    assert svg.find(f"{SVG}title").text == label
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "4.5" in texts and "2 verified reviews" in texts
    filled = svg.find(f".//{SVG}clipPath/{SVG}rect")
    assert float(filled.get("width")) == 4 * 20 + 0.5 * 18  # four and a half stars


def test_a_badge_with_no_reviews_says_so(client):
    create_clinic("New Clinic", slug="new-clinic")
    db.session.commit()
    svg = ElementTree.fromstring(client.get("/embed/clinics/new-clinic/badge.svg").data)
    assert svg.find(f"{SVG}title").text == "New Clinic: No reviews yet on Therapist Directory"
    assert "No reviews yet" in [t.text for t in svg.iter(f"{SVG}text")]
    assert float(svg.find(f".//{SVG}clipPath/{SVG}rect").get("width")) == 0


def test_the_badge_follows_the_readers_locale(client):
    bang_rak()
    response = client.get(
        "/embed/therapists/john-wintertime/badge.svg", headers={"Accept-Language": "de"}
    )
    assert "4,5" in response.get_data(as_text=True)
    assert "Accept-Language" in response.headers["Vary"]


def test_a_signed_in_visitor_with_a_session_gets_no_cookie_from_an_embed(client):
    clinic, _john = bang_rak()
    owner = member(clinic, Role.OWNER)
    sign_in(client, owner)
    client.post("/compare/add", data={"slug": "john-wintertime"})  # a session with content
    for url in (
        "/embed/therapists/john-wintertime",
        "/embed/clinics/bang-rak",
        "/embed/clinics/bang-rak/badge.svg",
        "/embed/therapists/john-wintertime/badge.svg",
        "/embed/therapists/nobody",
    ):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url
    # The session itself is untouched: the console still knows the owner.
    assert client.get(f"/manage/{clinic.slug}/").status_code == 200


def test_embeds_are_publicly_cacheable_and_revalidate_with_an_etag(client):
    _clinic, john = bang_rak()
    url = "/embed/therapists/john-wintertime"
    first = client.get(url)
    assert first.cache_control.public and first.cache_control.max_age == 60
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    review = create_review(john, rating=1, title="Too strong for me", published_at=utcnow())
    ratings.recompute(john.id)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Too strong for me" in changed.get_data(as_text=True)

    review.state = ReviewState.REMOVED
    ratings.recompute(john.id)
    db.session.commit()
    removed = client.get(url, headers={"If-None-Match": changed.headers["ETag"]})
    assert removed.status_code == 200 and "Too strong for me" not in removed.get_data(as_text=True)
    assert removed.headers["ETag"] == etag  # the same data as at first, the same bytes


def test_no_hook_can_give_an_embed_a_cookie(make_app):
    """Whatever an after_request hook adds (a visitor cookie, a remember cookie), an embed
    response leaves without it; other pages keep theirs."""
    app = make_app()

    @app.after_request
    def visitor_cookie(response):
        response.set_cookie("visitor", "someone")
        return response

    with app.app_context():
        act_for_all_clinics()
        create_clinic("New Clinic", slug="new-clinic")
        db.session.commit()
    client = app.test_client()
    for url in ("/embed/clinics/new-clinic", "/embed/clinics/new-clinic/badge.svg"):
        assert "Set-Cookie" not in client.get(url).headers, url
    assert "visitor=someone" in client.get("/").headers["Set-Cookie"]


def test_a_forged_host_never_reaches_a_publicly_cached_embed(client):
    """Links are built on BASE_URL, so a cache cannot keep an answer that points elsewhere."""
    bang_rak()
    for url in ("/embed/therapists/john-wintertime", "/embed/clinics/bang-rak/badge.svg"):
        body = client.get(url, headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body, url
