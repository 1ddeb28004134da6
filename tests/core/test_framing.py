"""Only embed pages may be framed, and they set no cookie; every other page refuses to be
framed.  The routes come from the app's URL map, so a route added tomorrow is checked
tomorrow."""

from __future__ import annotations

from directory.clinics.models import Role
from directory.core.embedding import is_embed_path
from directory.extensions import db
from directory.reviews import ratings
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_review, create_therapist


def get_urls(app, clinic, therapist, review) -> list[str]:
    """One URL for every GET route, with real values where the route names a known one."""
    known = {
        "clinic_slug": clinic.slug,
        "slug": therapist.slug,
        "therapist_id": therapist.id,
        "review_id": review.id,
        "filename": "css/site.css",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        values = {
            name: known.get(name, 1 if name.endswith("id") else "x") for name in rule.arguments
        }
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def test_only_embed_routes_allow_framing_and_they_set_no_cookie(app, client):
    # One slug for both, so every `<slug>` route finds what it names.
    clinic = create_clinic(slug="bang-rak")
    therapist = create_therapist(clinic, slug="bang-rak")
    review = create_review(therapist)
    ratings.recompute(therapist.id)
    owner = member(clinic, Role.OWNER)
    db.session.commit()
    urls = get_urls(app, clinic, therapist, review)
    embed_urls = [url for url in urls if is_embed_path(url)]
    assert len(embed_urls) == 4 and len(urls) > 40

    for who in (None, owner):
        if who is not None:
            sign_in(client, who)
        for url in urls:
            with client.get(url) as response:  # closes a static file's stream
                headers, status = response.headers, response.status_code
            policy = headers["Content-Security-Policy"]
            if is_embed_path(url):
                assert status == 200, url
                assert "frame-ancestors *" in policy, url
                assert "X-Frame-Options" not in headers, url
                assert "Set-Cookie" not in headers, url
            else:
                assert "frame-ancestors 'none'" in policy, f"{url} may be framed"
                assert headers["X-Frame-Options"] == "DENY", url


def test_the_console_may_frame_its_own_embed_pages_only(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "frame-src 'self'" in policy
