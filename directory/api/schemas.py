"""The JSON Schemas (2020-12, as OpenAPI 3.1 uses) of everything the API answers.

directory.api.serializers builds exactly these shapes; the tests validate every response
against them, refusing any field that is not described here.
"""

from __future__ import annotations

from typing import Any

from directory.reviews.models import ASPECTS, Provenance
from directory.therapists.models import AccreditationState

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(description: str, properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    """An object whose properties are all present, except those named in `optional`."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


STRING: Schema = {"type": "string"}
COUNT: Schema = {"type": "integer", "minimum": 0}
URL: Schema = {"type": "string", "format": "uri"}
DATE: Schema = {"type": "string", "format": "date"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
STARS: Schema = {"type": "integer", "minimum": 1, "maximum": 5}
MEAN: Schema = {"type": "number", "minimum": 1, "maximum": 5}

COMPONENTS: dict[str, Schema] = {
    "Error": obj(
        "What went wrong. `parameter` names the query parameter at fault, when one is;"
        " `suggestions` are values that would work instead, best first (the cities spelt"
        " like a `near` or `city` we do not know).",
        {
            "error": obj(
                "The error.",
                {
                    "status": {"type": "integer"},
                    "message": STRING,
                    "parameter": STRING,
                    "suggestions": array(STRING),
                },
                optional=("parameter", "suggestions"),
            )
        },
    ),
    "Term": obj(
        "A specialty (modality), condition or language: its slug (a language's is its"
        " ISO 639-1 code) and its name; either works as a filter value.",
        {"slug": STRING, "name": STRING},
    ),
    "City": obj("A city.", {"slug": STRING, "name": STRING, "country_code": STRING}),
    "ClinicRef": obj(
        "The clinic a therapist works at; `url` is its public page.",
        {"slug": STRING, "name": STRING, "url": URL},
    ),
    "Rating": obj(
        "Published reviews only. `average` is the plain mean (null without reviews);"
        " `score` is the Bayesian average that ranks results: the mean pulled towards"
        " the platform's mean when there are few reviews.",
        {"average": nullable(MEAN), "count": COUNT, "score": {"type": "number"}},
    ),
    "RatingDetails": obj(
        "A Rating with how the stars are distributed (5 down to 1), the mean of each"
        " aspect someone rated, and whether there are too few reviews to mean much.",
        {
            "average": nullable(MEAN),
            "count": COUNT,
            "score": {"type": "number"},
            "distribution": array(
                obj("Reviews with this many stars.", {"stars": STARS, "count": COUNT})
            ),
            "aspects": obj(
                "Aspect means; an aspect nobody rated is absent.",
                {aspect: MEAN for aspect in ASPECTS},
                optional=ASPECTS,
            ),
            "few_reviews": {"type": "boolean"},
        },
    ),
    "TherapistSummary": obj(
        "A therapist as a search result. `distance_km` is set when the search has `near`.",
        {
            "slug": STRING,
            "name": STRING,
            "headline": STRING,
            "url": URL,
            "clinic": ref("ClinicRef"),
            "city": STRING,
            "specialties": array(ref("Term")),
            "conditions": array(ref("Term")),
            "languages": array(ref("Term")),
            "accepting_new_clients": {"type": "boolean"},
            "accreditation_verified": {"type": "boolean"},
            "rating": ref("Rating"),
            "distance_km": nullable({"type": "number", "minimum": 0}),
        },
    ),
    "FacetCount": obj(
        "How many results have this specialty or condition.",
        {"slug": STRING, "name": STRING, "count": COUNT},
    ),
    "CityFacetCount": obj(
        "How many results are in this city.",
        {"slug": STRING, "name": STRING, "country_code": STRING, "count": COUNT},
    ),
    "Facets": obj(
        "Counts over every result of the search (not just this page): each specialty and"
        " condition, the most common cities, and how many have a verified credential or"
        " accept new clients.",
        {
            "specialties": array(ref("FacetCount")),
            "conditions": array(ref("FacetCount")),
            "cities": array(ref("CityFacetCount")),
            "verified": COUNT,
            "accepting": COUNT,
        },
    ),
    "TherapistList": obj(
        "One page of search results. `did_you_mean` suggests a therapist's name when the"
        " words look like a misspelt one.",
        {
            "total": COUNT,
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "did_you_mean": nullable(STRING),
            "results": array(ref("TherapistSummary")),
            "facets": ref("Facets"),
        },
    ),
    "Accreditation": obj(
        "A credential our moderators checked: `verified`, or verified once and since"
        " `expired`. `checked_by` is the moderator's display name.",
        {
            "type": obj("The kind of credential.", {"code": STRING, "name": STRING}),
            "issuing_body": STRING,
            "number": STRING,
            "issued_on": DATE,
            "expires_on": nullable(DATE),
            "state": {
                "type": "string",
                "enum": [AccreditationState.VERIFIED.value, AccreditationState.EXPIRED.value],
            },
            "verified_at": nullable(DATE_TIME),
            "checked_by": nullable(STRING),
            "register_url": nullable(URL),
        },
    ),
    "Price": obj(
        "The price of one session, in whole units of `currency`.",
        {
            "min": COUNT,
            "max": nullable(COUNT),
            "currency": STRING,
            "session_minutes": {"type": "integer", "minimum": 1},
        },
    ),
    "TherapistProfile": obj(
        "Everything a therapist's public profile shows except the reviews, which are at"
        " `reviews_url`.",
        {
            "slug": STRING,
            "name": STRING,
            "headline": STRING,
            "bio": STRING,
            "url": URL,
            "reviews_url": URL,
            "clinic": ref("ClinicRef"),
            "city": ref("City"),
            "accepting_new_clients": {"type": "boolean"},
            "years_experience": nullable(COUNT),
            "price": nullable(ref("Price")),
            "specialties": array(ref("Term")),
            "conditions": array(ref("Term")),
            "languages": array(ref("Term")),
            "does_not_treat": STRING,
            "accreditation_verified": {"type": "boolean"},
            "accreditations": array(ref("Accreditation")),
            "rating": ref("RatingDetails"),
        },
    ),
    "Reply": obj(
        "The clinic's public reply.", {"body": STRING, "published_at": nullable(DATE_TIME)}
    ),
    "Review": obj(
        "A published review. `reviewer` is the name the reviewer chose to show (initials"
        " when they asked); `provenance` says how it was verified: `verified_client` (written"
        " from the clinic's invitation after a visit) or `email_confirmed`.",
        {
            "id": {"type": "integer"},
            "rating": STARS,
            "aspects": obj(
                "The aspects the reviewer rated; the others are absent.",
                {aspect: STARS for aspect in ASPECTS},
                optional=ASPECTS,
            ),
            "title": STRING,
            "body": STRING,
            "reviewer": STRING,
            "provenance": {"type": "string", "enum": [p.value for p in Provenance]},
            "visit_month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
            "published_at": DATE_TIME,
            "helpful_count": COUNT,
            "reply": nullable(ref("Reply")),
        },
    ),
    "ReviewList": obj(
        "One page of a therapist's published reviews.",
        {
            "total": COUNT,
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "sort": STRING,
            "results": array(ref("Review")),
        },
    ),
    "ClinicTherapist": obj(
        "A therapist listed by a clinic.",
        {
            "slug": STRING,
            "name": STRING,
            "headline": STRING,
            "url": URL,
            "specialties": array(ref("Term")),
            "conditions": array(ref("Term")),
            "accepting_new_clients": {"type": "boolean"},
            "rating": ref("Rating"),
        },
    ),
    "Clinic": obj(
        "A clinic's public card, its rating across its listed therapists, and those"
        " therapists by name. Contact fields are null when the clinic gave none.",
        {
            "slug": STRING,
            "name": STRING,
            "url": URL,
            "description": STRING,
            "address": STRING,
            "postal_code": STRING,
            "city": ref("City"),
            "location": obj(
                "Where the clinic is (entered by the clinic, or its city's centre).",
                {"latitude": {"type": "number"}, "longitude": {"type": "number"}},
            ),
            "website": nullable(URL),
            "phone": nullable(STRING),
            "email": nullable(STRING),
            "rating": ref("RatingDetails"),
            "therapists": array(ref("ClinicTherapist")),
        },
    ),
    "OpenApiDocument": {
        "type": "object",
        "description": "This document: an OpenAPI 3.1 description of the API.",
    },
}
