"""Every page answers without a server error, whoever asks and whatever the query string."""

from __future__ import annotations

from directory.clinics.models import Role
from directory.extensions import db
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_review, create_therapist, create_user

ODD_QUERIES = ["", "?page=abc", "?page=-1", "?page=99999999999", "?page=2", "?q=%00%27%22<script>"]


def sample_values(clinic, therapist, review) -> dict:
    return {
        "clinic_slug": clinic.slug,
        "slug": therapist.slug,
        "therapist_id": therapist.id,
        "review_id": review.id,
        "name": "20260101T000000000000-deadbeef.eml",
        "token": "not-a-token",
    }


def get_routes(app, values: dict):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not rule.arguments <= values.keys():
            continue
        yield rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


def test_no_get_route_answers_500_for_anyone(app, client):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    review = create_review(therapist)
    owner = member(clinic, Role.OWNER)
    moderator = create_user(platform_role="moderator")
    db.session.commit()
    values = sample_values(clinic, therapist, review)
    urls = list(get_routes(app, values))
    assert len(urls) > 15

    for who in (None, owner, moderator):
        if who is not None:
            client.post("/sign-out")
            sign_in(client, who)
        for url in urls:
            for query in ODD_QUERIES:
                response = client.get(url + query)
                assert response.status_code < 500, f"{url}{query} -> {response.status_code}"


def test_an_id_no_table_can_hold_matches_no_route(client):
    """Every route taking an id, with every method, answers 404 for a number past any id
    column (it used to fail inside the query as a server error)."""
    tried = 0
    for rule in client.application.url_map.iter_rules():
        ids = {name for name in rule.arguments if name == "id" or name.endswith("_id")}
        if not ids:
            continue
        values = {name: 2**63 if name in ids else "some-slug" for name in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code == 404, f"{method} {path} -> {response.status_code}"
            tried += 1
    assert tried > 20
