"""Every page answers without a server error, whoever asks, whatever the query string and
however a form is posted."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from directory.clinics.models import Membership, Role
from directory.core.outbox import OutboxMessage
from directory.extensions import db
from directory.moderation.reasons import Reason
from directory.reviews.models import FlagSource, Review
from directory.reviews.responses import flag_review
from tests.clinics.test_console import count, member, sign_in
from tests.factories import create_clinic, create_review, create_therapist, create_user
from tests.moderation.test_console import credential
from tests.pages import field_errors
from tests.reviews.test_writing import listed_therapist, review_form

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


# Forms posted wrong: a field left out, or a body no page of ours sends.

REVIEW_FIELDS_REQUIRED = {
    "rating",
    "title",
    "body",
    "visit_month-month",
    "visit_month-year",
    "reviewer_name",
    "email",
}


def field_of(posted_name: str) -> str:
    """The form field a posted name belongs to (a month is posted as two selects)."""
    return posted_name.partition("-")[0]


DESTRUCTIVE = ("delete", "remove", "revoke", "withdraw", "reject", "unpublish")


def malformed_bodies(fields: dict) -> dict[str, dict]:
    """Bodies a browser posting our forms never sends, as test-client keyword arguments."""
    return {
        "empty": {},
        "json": {"json": {**fields, "title": 123, "email": None, "rating": [5]}},
        "files": {"data": {name: (io.BytesIO(b"\x00\xff"), "a.bin") for name in fields}},
        "not utf-8": {
            "data": b"title=\xff\xfe&email=\xc3",
            "content_type": "application/x-www-form-urlencoded",
        },
        "text": {"data": "title=Hello", "content_type": "text/plain"},
        "multipart without boundary": {
            "data": b"--x\r\n",
            "content_type": "multipart/form-data",
        },
    }


def counts() -> tuple[int, int]:
    return count(Review), count(OutboxMessage)


def test_a_guest_review_missing_any_field_is_refused_whole_or_taken_whole(client):
    therapist = listed_therapist()
    url = f"/therapists/{therapist.slug}/reviews/new"
    for number, name in enumerate(review_form()):
        data = review_form(email=f"guest{number}@example.org")
        del data[name]
        before = counts()
        response = client.post(url, data=data)
        if name in REVIEW_FIELDS_REQUIRED:
            assert response.status_code == 422, name
            assert field_errors(response, field_of(name)), f"no message next to {name}"
            assert counts() == before, f"something was saved without {name}"
        else:  # optional: the review is taken, with its confirmation email
            assert response.status_code == 200, name
            assert counts() == (before[0] + 1, before[1] + 1), name


def test_a_review_posted_with_no_field_at_all_gets_a_message_for_each(client):
    therapist = listed_therapist()
    response = client.post(f"/therapists/{therapist.slug}/reviews/new")
    assert response.status_code == 422
    for name in REVIEW_FIELDS_REQUIRED:
        assert field_errors(response, field_of(name)), f"no message next to {name}"
    assert counts() == (0, 0)


def test_a_signed_in_review_missing_a_required_field_saves_nothing(client):
    therapist = listed_therapist()
    sign_in(client, create_user("client@example.org"))
    for name in REVIEW_FIELDS_REQUIRED - {"email"}:
        data = review_form()
        del data[name]
        response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
        assert response.status_code == 422, name
        assert field_errors(response, field_of(name)), f"no message next to {name}"
    assert counts() == (0, 0)


@pytest.mark.parametrize("body", list(malformed_bodies({})))
def test_a_malformed_review_post_is_a_client_error_and_saves_nothing(client, body):
    therapist = listed_therapist()
    kwargs = malformed_bodies(review_form())[body]
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", **kwargs)
    assert response.status_code in (400, 422), response.status_code
    assert counts() == (0, 0)


def test_an_oversized_review_post_is_refused_and_saves_nothing(client):
    therapist = listed_therapist()
    data = review_form(body="x" * (3 * 1024 * 1024))
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    assert response.status_code == 413
    assert counts() == (0, 0)


def post_routes(app, values: dict):
    """Every POST route that `values` can fill in, the destructive ones last."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "accounts.sign_out":
            continue
        if rule.arguments <= values.keys():
            urls.append(rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1])
    return sorted(urls, key=lambda url: any(word in url for word in DESTRUCTIVE))


def test_no_post_route_answers_500_to_a_malformed_form(app, client):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    review = create_review(therapist)
    owner = member(clinic, Role.OWNER)
    moderator = create_user(platform_role="moderator")
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
    accreditation = credential(therapist)
    flag = flag_review(review, Reason.OFFENSIVE, "", source=FlagSource.PUBLIC)
    db.session.commit()
    values = {
        **sample_values(clinic, therapist, review),
        "membership_id": membership.id,
        "invitation_id": 1,
        "accreditation_id": accreditation.id,
        "flag_id": flag.id,
    }
    urls = list(post_routes(app, values))
    assert len(urls) > 30

    for who in (None, moderator, owner):
        if who is not None:
            sign_in(client, who)
        for url in urls:
            for name, kwargs in malformed_bodies({"title": "", "email": ""}).items():
                response = client.post(url, **kwargs)
                assert response.status_code < 500, f"{url} ({name}) -> {response.status_code}"
        client.post("/sign-out")
