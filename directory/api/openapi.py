"""The OpenAPI 3.1 document, built from the endpoint declarations and the schemas.

Nothing here is written by hand per endpoint: paths, parameters and responses come from
directory.api.declarations (the search parameters from directory.search.params, the list
the parser itself reads), schemas from directory.api.schemas.
"""

from __future__ import annotations

from collections.abc import Iterable

from directory.api.declarations import Endpoint, PathParameter
from directory.api.schemas import COMPONENTS, Schema, ref
from directory.search.params import QueryParameter
from directory.search.query import MAX_VALUES

VERSION = "1.0.0"
DESCRIPTION = """\
The therapist directory's public, read-only API: search therapists with the filters of the
search page, read a therapist's profile and published reviews, and a clinic's card.

- No authentication, no cookies. Every answer allows any origin
  (`Access-Control-Allow-Origin: *`) and may be cached for 60 seconds; answers carry an
  `ETag` and honour `If-None-Match`.
- A parameter an endpoint does not declare, a value it cannot use, or more than one value
  for a parameter that takes one answers 400 with an `Error` naming the parameter.
  `per_page` above its maximum is refused the same way, never silently reduced.
- An unknown or unlisted therapist or clinic answers 404.
- Requests are rate limited per client address; past the limit the answer is 429.
"""

ERRORS = {
    400: "A parameter is unknown or its value unusable; `error.parameter` names it.",
    404: "No listed therapist or clinic has this slug.",
    429: "Too many requests from this address; wait a little.",
}


def query_schema(parameter: QueryParameter) -> Schema:
    schema: Schema = {"type": parameter.type}
    if parameter.choices:
        schema["enum"] = list(parameter.choices)
    if parameter.minimum is not None:
        schema["minimum"] = parameter.minimum
    if parameter.maximum is not None:
        schema["maximum"] = parameter.maximum
    if parameter.default is not None:
        schema["default"] = parameter.default
    if parameter.repeatable:
        return {"type": "array", "items": schema, "maxItems": MAX_VALUES}
    return schema


def _query(parameter: QueryParameter) -> Schema:
    declared: Schema = {
        "name": parameter.name,
        "in": "query",
        "description": parameter.description,
        "required": False,
        "schema": query_schema(parameter),
    }
    if parameter.repeatable:
        declared |= {"style": "form", "explode": True}
    return declared


def _path(parameter: PathParameter) -> Schema:
    return {
        "name": parameter.name,
        "in": "path",
        "description": parameter.description,
        "required": True,
        "schema": {"type": "string"},
    }


def _json(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def operation(endpoint: Endpoint) -> Schema:
    errors = [400, 429] + ([404] if endpoint.path else [])
    return {
        "operationId": endpoint.name,
        "summary": endpoint.summary,
        "description": endpoint.description,
        "parameters": [_path(p) for p in endpoint.path] + [_query(p) for p in endpoint.query],
        "responses": {
            "200": _json("OK", ref(endpoint.response)),
            **{str(status): _json(ERRORS[status], ref("Error")) for status in sorted(errors)},
        },
    }


def document(endpoints: Iterable[Endpoint], prefix: str) -> Schema:
    """The whole OpenAPI document; `prefix` is where the endpoints are mounted (/api/v1)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Therapist directory API",
            "version": VERSION,
            "description": DESCRIPTION,
        },
        "paths": {
            prefix + endpoint.openapi_path: {"get": operation(endpoint)} for endpoint in endpoints
        },
        "components": {"schemas": COMPONENTS},
    }
