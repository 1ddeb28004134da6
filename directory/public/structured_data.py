"""schema.org JSON-LD for the public profile and clinic pages, built as plain dicts.

Templates render the dict with `|tojson` inside <script type="application/ld+json">:
`tojson` escapes <, > and &, so no text from a clinic can close the script element.

What the data says equals what the page shows: the plain mean rounded as the page rounds
it, the count of published reviews (and no rating at all without one), and only the
credentials a moderator checked.

Types, and why (schema.org, not one search engine's subset):
- the therapist is a `Person`; `aggregateRating` is not a property of Person, so their
  rating sits on the `Service` they provide (provider: the Person), in one `@graph`;
- a clinic is a `HealthAndBeautyBusiness` (a LocalBusiness, which takes aggregateRating);
- a credential is an `EducationalOccupationalCredential`; it has no `validUntil` (that is
  for offers and permits), so the expiry date is the CreativeWork property `expires`;
- hours are `openingHoursSpecification`s, one per range; a closure is one with
  validFrom / validThrough that opens and closes at 00:00, schema.org's way of saying
  "closed on these days";
- Book is the therapist's `potentialAction`, a `ReserveAction` whose target is the
  booking page itself (not our counting redirect).
"""

from __future__ import annotations

from typing import Any

from directory.clinics.models import Clinic
from directory.clinics.opening_hours import WEEKDAYS
from directory.core.links import is_web_address
from directory.core.urls import external_url
from directory.public.contact import ClinicHoursView, ContactCard
from directory.public.therapist_profile import PublicAccreditation, Terms
from directory.reviews.ratings import RatingOverview
from directory.therapists.models import Therapist

CONTEXT = "https://schema.org"
BEST_RATING, WORST_RATING = 5, 1
# schema.org suggests "degree", "certificate", "license"…; by what the credential is.
CREDENTIAL_CATEGORIES = {
    "RMT": "license",
    "LMT": "license",
    "CMT": "certificate",
    "NCBTMB": "certification",
    "AMTA": "membership",
    "ABMP": "membership",
}
DEFAULT_CREDENTIAL_CATEGORY = "certification"

JsonLd = dict[str, Any]


def shown_mean(mean: float) -> float:
    """The mean as pages print it ('4.5 ★'), so the data never claims more precision."""
    return float(f"{mean:.1f}")


def aggregate_rating(rating: RatingOverview) -> JsonLd | None:
    """The plain mean and count of published reviews; None without a review."""
    if not rating.count or rating.mean is None:
        return None
    return {
        "@type": "AggregateRating",
        "ratingValue": shown_mean(rating.mean),
        "reviewCount": rating.count,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
    }


def _without_empty(data: JsonLd) -> JsonLd:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def postal_address(clinic: Clinic) -> JsonLd:
    return _without_empty(
        {
            "@type": "PostalAddress",
            "streetAddress": clinic.address,
            "postalCode": clinic.postal_code,
            "addressLocality": clinic.city.name,
            "addressRegion": clinic.city.admin1_code,
            "addressCountry": clinic.city.country_code,
        }
    )


def opening_hours(hours: ClinicHoursView) -> list[JsonLd]:
    """The weekly ranges, then the closures still to come."""
    weekly = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"{CONTEXT}/{WEEKDAYS[weekday]}",
            "opens": f"{r.opens:%H:%M}",
            "closes": f"{r.closes:%H:%M}",
        }
        for weekday, day in enumerate(hours.week)
        for r in day
    ]
    closed = [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": closure.starts_on.isoformat(),
            "validThrough": closure.ends_on.isoformat(),
            "opens": "00:00",
            "closes": "00:00",
        }
        for closure in hours.closures
    ]
    return weekly + closed


def business(clinic: Clinic, hours: ClinicHoursView | None = None) -> JsonLd:
    """The clinic as a local business: where it is, how to reach it, when it is open."""
    page = external_url("public_clinics.page", slug=clinic.slug)
    return _without_empty(
        {
            "@type": "HealthAndBeautyBusiness",
            "@id": f"{page}#business",
            "name": clinic.name,
            "url": page,
            "sameAs": clinic.website,
            "telephone": clinic.phone,
            "email": clinic.email,
            "address": postal_address(clinic),
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": clinic.latitude,
                "longitude": clinic.longitude,
            },
            "openingHoursSpecification": opening_hours(hours) if hours else None,
        }
    )


def credential(item: PublicAccreditation) -> JsonLd:
    accreditation = item.accreditation
    kind = accreditation.credential_type
    return _without_empty(
        {
            "@type": "EducationalOccupationalCredential",
            "name": kind.name,
            "alternateName": kind.code,
            "credentialCategory": CREDENTIAL_CATEGORIES.get(kind.code, DEFAULT_CREDENTIAL_CATEGORY),
            "identifier": accreditation.number,
            "recognizedBy": {"@type": "Organization", "name": accreditation.issuing_body},
            "dateCreated": accreditation.issued_on.isoformat(),
            "expires": accreditation.expires_on.isoformat() if accreditation.expires_on else None,
        }
    )


def therapist_graph(
    therapist: Therapist,
    terms: Terms,
    rating: RatingOverview,
    accreditations: list[PublicAccreditation],
    contact: ContactCard | None = None,
) -> JsonLd:
    """The profile's data: the therapist (Person), and the massage service they provide
    (Service), which carries the rating and the price.

    `terms`, `rating`, `accreditations` and `contact` are what the page shows
    (therapist_profile's terms_of, listed_with_rating and public_accreditations,
    public.contact), so the two cannot differ.
    """
    page = external_url("public_profiles.profile", slug=therapist.slug)
    person_id = f"{page}#person"
    person = _without_empty(
        {
            "@type": "Person",
            "@id": person_id,
            "name": therapist.name,
            "url": page,
            "description": therapist.headline,
            "knowsAbout": [*terms.modalities, *terms.conditions],
            "knowsLanguage": terms.languages,
            "telephone": contact.phone if contact else None,
            "worksFor": business(therapist.clinic, contact.hours if contact else None),
            "potentialAction": reserve_action(contact.booking_url) if contact else None,
            "hasCredential": [credential(item) for item in accreditations],
        }
    )
    offer = None
    if therapist.price_min is not None:
        offer = {
            "@type": "Offer",
            "priceCurrency": therapist.currency,
            "priceSpecification": _without_empty(
                {
                    "@type": "PriceSpecification",
                    "priceCurrency": therapist.currency,
                    "minPrice": therapist.price_min,
                    "maxPrice": therapist.price_max,
                }
            ),
            "description": f"One {therapist.session_minutes}-minute session",
        }
    service = _without_empty(
        {
            "@type": "Service",
            "@id": f"{page}#service",
            "name": f"Massage therapy with {therapist.name}",
            "serviceType": "Massage therapy",
            "provider": {"@id": person_id},
            "areaServed": {"@type": "City", "name": therapist.clinic.city.name},
            "aggregateRating": aggregate_rating(rating),
            "offers": offer,
        }
    )
    return {"@context": CONTEXT, "@graph": [person, service]}


def contact_booking(clinic: Clinic) -> str:
    return clinic.booking_url if is_web_address(clinic.booking_url) else ""


def reserve_action(booking_url: str) -> JsonLd | None:
    """Book: where a visit is reserved (None without a booking page)."""
    if not booking_url:
        return None
    return {
        "@type": "ReserveAction",
        "target": {"@type": "EntryPoint", "urlTemplate": booking_url},
    }


def clinic_data(
    clinic: Clinic,
    rating: RatingOverview,
    therapists: list[Therapist],
    hours: ClinicHoursView | None = None,
) -> JsonLd:
    """The clinic page's data: the business, its listed therapists, and the rating across
    them that the page shows (none without a published review)."""
    return _without_empty(
        {
            "@context": CONTEXT,
            **business(clinic, hours),
            "description": clinic.description,
            "potentialAction": reserve_action(contact_booking(clinic)),
            "aggregateRating": aggregate_rating(rating),
            "employee": [
                {
                    "@type": "Person",
                    "name": therapist.name,
                    "url": external_url("public_profiles.profile", slug=therapist.slug),
                }
                for therapist in therapists
            ],
        }
    )
