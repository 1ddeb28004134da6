"""Each API endpoint declared once: its route, its parameters and its response schema.

`ApiRoutes.get` registers the Flask route and records the declaration in one step, so the
OpenAPI document (directory.api.openapi) describes exactly the routes the app serves, and
every endpoint refuses a query parameter it does not declare.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, request

from directory.api.arguments import refuse_unknown
from directory.search.params import QueryParameter

# A Flask rule argument, `<slug>` or `<int:id>`: group 1 is its name.
RULE_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass(frozen=True)
class PathParameter:
    name: str
    description: str


@dataclass(frozen=True)
class Endpoint:
    rule: str  # the Flask rule below the blueprint's prefix, e.g. "/therapists/<slug>"
    name: str  # the view's name: the Flask endpoint (after "api.") and the operationId
    summary: str
    description: str
    response: str  # the name of a schema in directory.api.schemas.COMPONENTS
    query: tuple[QueryParameter, ...]
    path: tuple[PathParameter, ...]

    @property
    def openapi_path(self) -> str:
        """The rule as OpenAPI writes a path: `/therapists/{slug}`."""
        return RULE_ARGUMENT.sub(r"{\1}", self.rule)


class ApiRoutes:
    """The endpoints of one blueprint, in the order they were declared."""

    def __init__(self, blueprint: Blueprint):
        self.blueprint = blueprint
        self.endpoints: list[Endpoint] = []

    def get(
        self,
        rule: str,
        *,
        summary: str,
        description: str,
        response: str,
        query: Sequence[QueryParameter] = (),
        path: Sequence[PathParameter] = (),
    ) -> Callable[[Callable], Callable]:
        """Declare a GET endpoint and register its view.

        Every argument of the rule must be declared in `path`, in order (checked here, at
        import time); a request carrying a query parameter outside `query` is refused
        with a 400 naming it before the view runs.
        """
        if RULE_ARGUMENT.findall(rule) != [p.name for p in path]:
            raise ValueError(f"{rule}: declare each path parameter once, in order")
        allowed = frozenset(p.name for p in query)

        def decorator(view: Callable) -> Callable:
            @wraps(view)
            def checked(**kwargs):
                refuse_unknown(request.args, allowed)
                return view(**kwargs)

            self.blueprint.add_url_rule(rule, view_func=checked, methods=["GET"])
            self.endpoints.append(
                Endpoint(rule, view.__name__, summary, description, response, (*query,), (*path,))
            )
            return checked

        return decorator
