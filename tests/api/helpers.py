"""Checking answers against the API's own OpenAPI document."""

from __future__ import annotations

import copy
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.api.openapi import document
from directory.api.views import API_PREFIX, routes

DOCUMENT_URI = "urn:directory-api"


def _closed(schema: Any) -> Any:
    """The schema with every described object closed: a field it does not describe fails."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if closed.get("type") == "object" and "properties" in closed:
            closed.setdefault("additionalProperties", False)
        return closed
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


def _registry() -> Registry:
    closed = _closed(copy.deepcopy(document(routes.endpoints, API_PREFIX)))
    resource = Resource.from_contents(closed, default_specification=DRAFT202012)
    return Registry().with_resource(DOCUMENT_URI, resource)


REGISTRY = _registry()


def assert_matches(body: Any, schema_name: str) -> None:
    """`body` is exactly what the document's schema `schema_name` describes (formats too)."""
    validator = Draft202012Validator(
        {"$ref": f"{DOCUMENT_URI}#/components/schemas/{schema_name}"},
        registry=REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def error_of(response, status: int = 400) -> dict:
    """The JSON error of a response that must have failed with `status`."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.is_json
    body = response.get_json()
    assert_matches(body, "Error")
    return body["error"]
