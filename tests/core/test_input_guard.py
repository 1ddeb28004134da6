"""A NUL character anywhere in a request is refused with a 400 before any view runs."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/therapists/%00",
        "/clinics/%00",
        "/therapists?q=a%00b",
        "/therapists?city=%00",
        "/transparency?page=%00",
    ],
)
def test_nul_in_a_page_request_answers_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"Traceback" not in response.data


def test_nul_in_an_api_parameter_names_the_parameter(client):
    response = client.get("/api/v1/therapists?near=%00")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "near"


def test_nul_in_a_submitted_form_answers_400(client):
    response = client.post("/sign-in", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["²", "9" * 5000, "-1", "0"])
def test_a_page_number_that_is_not_plain_digits_answers_400(client, page):
    assert client.get("/transparency", query_string={"page": page}).status_code == 400
