"""How the API answers over HTTP: CORS for any origin, caching, no cookies, GET only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from directory.accounts.models import User
from directory.extensions import db
from tests.api.helpers import error_of
from tests.factories import PASSWORD

URLS = [
    "/api/v1/therapists?q=thai",
    "/api/v1/therapists/john-wintertime",
    "/api/v1/therapists/john-wintertime/reviews",
    "/api/v1/clinics/bang-rak",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("url", URLS)
def test_reads_are_open_to_every_origin_and_cacheable(api, directory, url):
    response = api.get(url, headers={"Origin": "https://example.net"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_errors_carry_cors_too_so_browsers_can_read_them(api, directory):
    for url in ("/api/v1/therapists?sort=nope", "/api/v1/therapists/nobody", "/api/v1/nope"):
        response = api.get(url, headers={"Origin": "https://example.net"})
        assert response.status_code in (400, 404)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Cache-Control" not in response.headers


def test_a_preflight_allows_get_from_any_origin(api, directory):
    response = api.options(
        "/api/v1/therapists",
        headers={
            "Origin": "https://example.net",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Accept, X-Requested-With",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) >= {"GET"}
    assert response.headers["Access-Control-Allow-Headers"] == "Accept, X-Requested-With"
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_a_preflight_never_echoes_a_malformed_header_list(api, directory):
    response = api.options(
        "/api/v1/therapists/john-wintertime",
        headers={"Origin": "https://example.net", "Access-Control-Request-Headers": "a b; c"},
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Headers" not in response.headers


def test_an_unchanged_answer_is_not_sent_again(api, directory):
    first = api.get("/api/v1/therapists/john-wintertime")
    again = api.get(
        "/api/v1/therapists/john-wintertime", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.get_data() == b""


def test_head_answers_like_get_without_a_body(api, directory):
    response = api.head("/api/v1/therapists")
    assert response.status_code == 200
    assert response.get_data() == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(api, directory, method):
    response = getattr(api, method)("/api/v1/therapists", json={"name": "x"})
    error = error_of(response, 405)
    assert error["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_a_signed_in_visitor_gets_no_cookie_from_the_api(api, directory):
    moderator = db.session.scalar(sa.select(User).where(User.platform_role == "moderator"))
    signed_in = api.post("/sign-in", data={"email": moderator.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    for url in URLS:
        response = api.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers


def _api_routes(app) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}


def test_no_answer_echoes_a_foreign_host_header(api, directory):
    """Links are built on BASE_URL, so a forged Host never reaches a cached answer."""
    routes = api.application.url_map.bind("localhost")
    covered = set()
    for url in URLS:
        response = api.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 200, url
        assert "evil.example" not in response.get_data(as_text=True), url
        covered.add(routes.match(url.split("?")[0], return_rule=True)[0].rule)
    assert _api_routes(api.application) - covered == set(), "a new API route: add it to URLS"
    listed = api.get("/api/v1/therapists?q=thai", headers={"Host": "evil.example"}).get_json()
    assert listed["results"][0]["url"].startswith("http://localhost/")
