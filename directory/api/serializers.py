"""Plain JSON-ready dicts of the API's answers, in the shapes directory.api.schemas describes.

Only public facts leave here: no reviewer email, no unverified credential, no internal id
other than a review's (which the public page shows as an anchor).  Needs a request context
(absolute URLs).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from directory.clinics.models import Clinic
from directory.core.pagination import Page
from directory.core.urls import external_url
from directory.places.models import City
from directory.public.therapist_profile import PublicAccreditation
from directory.reviews.models import ASPECTS, ClinicReply, Review, TherapistRating
from directory.reviews.ratings import RatingOverview, bayesian_score
from directory.search.query import Place, Term
from directory.search.results import Facets, Hit, SearchResults
from directory.taxonomy.models import Condition, Language, Modality
from directory.therapists.models import AccreditationState, Therapist

Json = dict[str, Any]


def _timestamp(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _average(mean: float | None) -> float | None:
    return round(mean, 2) if mean is not None else None


def term(value: Term) -> Json:
    return {"slug": value.slug, "name": value.name}


def taxonomy_terms(rows: Iterable[Modality | Condition]) -> list[Json]:
    return [{"slug": row.slug, "name": row.name} for row in rows]


def languages(rows: Iterable[Language]) -> list[Json]:
    """A language's slug is its ISO 639-1 code, as in search filters."""
    return [{"slug": row.code, "name": row.name} for row in rows]


def city(value: City | Place) -> Json:
    return {"slug": value.slug, "name": value.name, "country_code": value.country_code}


def profile_url(slug: str) -> str:
    return external_url("public_profiles.profile", slug=slug)


def clinic_ref(slug: str, name: str) -> Json:
    return {
        "slug": slug,
        "name": name,
        "url": external_url("public_clinics.page", slug=slug),
    }


def rating(mean: float | None, count: int, score: float) -> Json:
    return {"average": _average(mean), "count": count, "score": round(score, 3)}


def rating_details(overview: RatingOverview) -> Json:
    return {
        **rating(overview.mean, overview.count, overview.score),
        "distribution": [{"stars": bar.stars, "count": bar.count} for bar in overview.bars],
        "aspects": {aspect: round(mean, 2) for aspect, mean in overview.aspects.items()},
        "few_reviews": overview.few,
    }


def hit(value: Hit) -> Json:
    return {
        "slug": value.slug,
        "name": value.name,
        "headline": value.headline,
        "url": profile_url(value.slug),
        "clinic": clinic_ref(value.clinic_slug, value.clinic_name),
        "city": value.city_name,
        "specialties": [term(t) for t in value.specialties],
        "conditions": [term(t) for t in value.conditions],
        "languages": [term(t) for t in value.languages],
        "accepting_new_clients": value.accepting_new_clients,
        "accreditation_verified": value.accreditation_verified,
        "rating": rating(value.rating_mean, value.rating_count, value.rating_score),
        "distance_km": round(value.distance_km, 1) if value.distance_km is not None else None,
    }


def facets(value: Facets) -> Json:
    return {
        "specialties": [{**term(f.term), "count": f.count} for f in value.specialties],
        "conditions": [{**term(f.term), "count": f.count} for f in value.conditions],
        "cities": [{**city(f.term), "count": f.count} for f in value.cities],
        "verified": value.verified,
        "accepting": value.accepting,
    }


def therapist_list(results: SearchResults) -> Json:
    return {
        "total": results.total,
        "page": results.query.page,
        "per_page": results.query.per_page,
        "did_you_mean": results.did_you_mean,
        "results": [hit(h) for h in results.hits],
        "facets": facets(results.facets),
    }


def accreditation(item: PublicAccreditation) -> Json:
    credential = item.accreditation
    return {
        "type": {"code": credential.credential_type.code, "name": credential.credential_type.name},
        "issuing_body": credential.issuing_body,
        "number": credential.number,
        "issued_on": _day(credential.issued_on),
        "expires_on": _day(credential.expires_on),
        "state": str(credential.state),
        "verified_at": _timestamp(credential.verified_at),
        "checked_by": item.checked_by,
        "register_url": credential.register_url or None,
    }


def price(therapist: Therapist) -> Json | None:
    if therapist.price_min is None:
        return None
    return {
        "min": therapist.price_min,
        "max": therapist.price_max,
        "currency": therapist.currency,
        "session_minutes": therapist.session_minutes,
    }


def therapist_profile(
    therapist: Therapist, overview: RatingOverview, accreditations: list[PublicAccreditation]
) -> Json:
    clinic = therapist.clinic
    return {
        "slug": therapist.slug,
        "name": therapist.name,
        "headline": therapist.headline,
        "bio": therapist.bio,
        "url": profile_url(therapist.slug),
        "reviews_url": external_url("api.therapist_reviews", slug=therapist.slug),
        "clinic": clinic_ref(clinic.slug, clinic.name),
        "city": city(clinic.city),
        "accepting_new_clients": therapist.accepting_new_clients,
        "years_experience": therapist.years_experience,
        "price": price(therapist),
        "specialties": taxonomy_terms(therapist.modalities),
        "conditions": taxonomy_terms(therapist.conditions),
        "languages": languages(therapist.languages),
        "does_not_treat": therapist.does_not_treat,
        "accreditation_verified": any(
            item.accreditation.state == AccreditationState.VERIFIED for item in accreditations
        ),
        "accreditations": [accreditation(item) for item in accreditations],
        "rating": rating_details(overview),
    }


def review(value: Review, reply: ClinicReply | None) -> Json:
    return {
        "id": value.id,
        "rating": value.rating,
        "aspects": {
            aspect: getattr(value, f"rating_{aspect}")
            for aspect in ASPECTS
            if getattr(value, f"rating_{aspect}") is not None
        },
        "title": value.title,
        "body": value.body,
        "reviewer": value.public_name,
        "provenance": str(value.provenance),
        "visit_month": value.visit_month.strftime("%Y-%m"),
        "published_at": _timestamp(value.published_at),
        "helpful_count": value.helpful_count,
        "reply": (
            {"body": reply.body, "published_at": _timestamp(reply.published_at)} if reply else None
        ),
    }


def review_list(page: Page[tuple[Review, ClinicReply | None]], sort: str) -> Json:
    return {
        "total": page.total,
        "page": page.number,
        "per_page": page.per_page,
        "sort": sort,
        "results": [review(r, reply) for r, reply in page.items],
    }


def clinic_therapist(therapist: Therapist, totals: TherapistRating | None, mean: float) -> Json:
    count = totals.review_count if totals else 0
    total = totals.rating_sum if totals else 0
    return {
        "slug": therapist.slug,
        "name": therapist.name,
        "headline": therapist.headline,
        "url": profile_url(therapist.slug),
        "specialties": taxonomy_terms(therapist.modalities),
        "conditions": taxonomy_terms(therapist.conditions),
        "accepting_new_clients": therapist.accepting_new_clients,
        "rating": rating(
            totals.mean if totals else None, count, bayesian_score(total, count, mean)
        ),
    }


def clinic_card(
    clinic: Clinic,
    overview: RatingOverview,
    therapists: list[Therapist],
    totals: dict[int, TherapistRating],
    platform_mean: float,
) -> Json:
    return {
        **clinic_ref(clinic.slug, clinic.name),
        "description": clinic.description,
        "address": clinic.address,
        "postal_code": clinic.postal_code,
        "city": city(clinic.city),
        "location": {"latitude": clinic.latitude, "longitude": clinic.longitude},
        "website": clinic.website or None,
        "phone": clinic.phone or None,
        "email": clinic.email or None,
        "rating": rating_details(overview),
        "therapists": [clinic_therapist(t, totals.get(t.id), platform_mean) for t in therapists],
    }
