"""/api/v1/openapi.json: a valid OpenAPI 3.1 document, generated from the routes themselves."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint
from openapi_spec_validator import validate

from directory.api.declarations import ApiRoutes
from directory.api.views import API_PREFIX
from directory.search.params import PARAMETERS, SEARCH_PARAMETERS
from tests.api.helpers import assert_matches


@pytest.fixture
def spec(api, directory) -> dict:
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def api_rules(app) -> set[str]:
    """Every route the app serves under the API prefix, written as OpenAPI paths."""
    return {
        re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX + "/")
    }


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    assert_matches(spec, "OpenApiDocument")


def test_every_api_route_is_documented_and_every_documented_path_is_a_route(api, spec):
    assert api_rules(api.application) == set(spec["paths"])
    for rule in api.application.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX + "/"):
            assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule


def test_the_search_parameters_are_the_ones_the_parser_reads(spec):
    operation = spec["paths"]["/api/v1/therapists"]["get"]
    documented = [p["name"] for p in operation["parameters"]]
    assert documented == list(PARAMETERS)
    assert tuple(p.name for p in SEARCH_PARAMETERS) == PARAMETERS
    by_name = {p["name"]: p for p in operation["parameters"]}
    assert by_name["specialty"]["schema"]["type"] == "array"
    assert by_name["per_page"]["schema"]["maximum"] == 50
    assert by_name["radius_km"]["schema"]["enum"] == [5, 10, 25, 50]
    assert set(by_name["sort"]["schema"]["enum"]) == {"relevance", "rating", "reviews", "distance"}
    assert "refused" in by_name["per_page"]["description"]


def test_each_operation_documents_its_errors(spec):
    for path, item in spec["paths"].items():
        responses = item["get"]["responses"]
        assert {"200", "400"} <= set(responses), path
        assert ("404" in responses) == ("{" in path), path


def test_a_path_parameter_must_be_declared():
    routes = ApiRoutes(Blueprint("scratch", __name__))
    with pytest.raises(ValueError, match="path parameter"):
        routes.get("/things/<slug>", summary="", description="", response="Error")
