"""A small directory to search: eight clinics in five cities, eighteen listed therapists
and a draft.

Everything is built through the services production uses (therapists created, linked and
published by therapists.services; credentials verified by a moderator; reviews published
through reviews.publication), and committed once, so the rating totals and the search
documents are exactly what the worker builds.  The expected results in the tests are
worked out by hand from the tables below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.core.models import utcnow
from directory.core.slugs import unique_slug
from directory.extensions import db
from directory.moderation.services import verify_accreditation
from directory.reviews.models import Review, ReviewState
from directory.reviews.publication import change_state
from directory.taxonomy.models import Condition, CredentialType, Modality
from directory.therapists import services as therapists
from directory.therapists.models import Therapist
from tests.factories import create_clinic, create_review, create_user

# Coordinates a clinic entered itself (east Mississauga, about 21 km from Toronto's
# centre); Mississauga's own centre is 25.3 km away, just outside a 25 km radius.
PORT_CREDIT = (43.5890, -79.6000)


@dataclass(frozen=True)
class ClinicRow:
    name: str
    city: str
    coordinates: tuple[float, float] | None = None


@dataclass(frozen=True)
class TherapistRow:
    name: str
    clinic: str
    modalities: tuple[str, ...]
    conditions: tuple[str, ...]
    languages: tuple[str, ...]
    headline: str = ""
    bio: str = ""
    accepting: bool = True
    verified: bool = False
    ratings: tuple[int, ...] = ()
    review_text: str = "Good session. Professional and kind."
    published: bool = True


CLINICS = [
    ClinicRow("Bang Rak Thai Massage", "bangkok"),
    ClinicRow("Sukhumvit Wellness", "bangkok"),
    ClinicRow("Queen West Massage Therapy", "toronto"),
    ClinicRow("Annex Sports Clinic", "toronto"),
    ClinicRow("Port Credit Wellness", "mississauga", PORT_CREDIT),
    ClinicRow("Square One Bodywork", "mississauga"),
    ClinicRow("Plateau Massothérapie", "montreal"),
    ClinicRow("Kitsilano Bodywork", "vancouver"),
]

THERAPISTS = [
    TherapistRow(
        "John Wintertime",
        "Bang Rak Thai Massage",
        ("thai", "deep-tissue", "trigger-point"),
        ("upper-back-pain", "posture-strain-from-prolonged-sitting"),
        ("en", "th"),
        headline="Registered massage therapist and rehabilitation specialist",
        bio="More than ten years of clinical experience in musculoskeletal recovery and pain"
        " management: upper back pain, posture strain, trigger point work.",
        verified=True,
        ratings=(5, 5, 4, 5),
        review_text="Sorted out the knots from my desk job in one visit.",
    ),
    TherapistRow(
        "Somchai Rattanakorn",
        "Bang Rak Thai Massage",
        ("thai", "reflexology"),
        ("stress", "neck-pain"),
        ("th", "en"),
        headline="Traditional Thai massage",
        ratings=(4, 4),
    ),
    TherapistRow(
        "Malee Srisuk",
        "Bang Rak Thai Massage",
        ("thai", "hot-stone"),
        ("stress", "lower-back-pain"),
        ("th",),
        accepting=False,
        ratings=(5,),
    ),
    TherapistRow(
        "Niran Chaiyaporn",
        "Sukhumvit Wellness",
        ("deep-tissue", "sports"),
        ("sports-injuries", "upper-back-pain"),
        ("th", "en"),
        headline="Sports recovery",
        verified=True,
        ratings=(4, 3, 4),
    ),
    TherapistRow(
        "Ploy Kittisak",
        "Sukhumvit Wellness",
        ("shiatsu", "acupressure"),
        ("tension-headaches", "neck-pain"),
        ("th", "ja"),
    ),
    TherapistRow(
        "Sarah Lindqvist",
        "Queen West Massage Therapy",
        ("swedish", "prenatal"),
        ("pregnancy-discomfort", "stress"),
        ("en", "sv"),
        verified=True,
        ratings=(5, 5, 5, 4, 5, 5),
        # Her reviews mention neck pain; she does not list it as a condition she treats.
        review_text="Eased my neck pain after a long week.",
    ),
    TherapistRow(
        "Daniel Okafor",
        "Queen West Massage Therapy",
        ("deep-tissue", "trigger-point"),
        ("upper-back-pain", "neck-pain", "tension-headaches"),
        ("en",),
        verified=True,
        ratings=(4, 5, 4),
    ),
    TherapistRow(
        "Mei Chen",
        "Queen West Massage Therapy",
        ("acupressure", "cupping"),
        ("stress", "neck-pain"),
        ("en", "zh"),
        accepting=False,
        ratings=(3, 4),
    ),
    TherapistRow(
        "Marcus Bell",
        "Annex Sports Clinic",
        ("sports", "deep-tissue"),
        ("sports-injuries", "lower-back-pain"),
        ("en",),
        verified=True,
        ratings=(5, 4, 4, 5, 4),
    ),
    TherapistRow(
        "Priya Sharma",
        "Annex Sports Clinic",
        ("myofascial-release", "swedish"),
        ("sciatica", "lower-back-pain"),
        ("en", "hi", "pa"),
        ratings=(4,),
    ),
    TherapistRow(
        "Elena Petrova",
        "Port Credit Wellness",
        ("lymphatic-drainage", "swedish"),
        ("post-surgical-swelling",),
        ("en", "ru"),
        verified=True,
        ratings=(5, 4),
    ),
    TherapistRow(
        "Tomasz Nowak",
        "Port Credit Wellness",
        ("deep-tissue", "sports"),
        ("upper-back-pain", "sports-injuries"),
        ("en", "pl"),
        accepting=False,
        ratings=(3,),
    ),
    TherapistRow(
        "Aisha Khan",
        "Square One Bodywork",
        ("prenatal", "swedish"),
        ("pregnancy-discomfort",),
        ("en", "ur", "ar"),
        ratings=(5, 5),
    ),
    TherapistRow(
        "Julie Tremblay",
        "Plateau Massothérapie",
        ("swedish", "deep-tissue"),
        ("upper-back-pain", "stress"),
        ("fr", "en"),
        verified=True,
        ratings=(4, 4, 5),
    ),
    TherapistRow(
        "Marc-André Gagnon",
        "Plateau Massothérapie",
        ("sports", "trigger-point"),
        ("sports-injuries", "shoulder-pain"),
        ("fr",),
    ),
    TherapistRow(
        "Hiro Tanaka",
        "Kitsilano Bodywork",
        ("shiatsu", "acupressure"),
        ("neck-pain", "stress"),
        ("en", "ja"),
        verified=True,
        ratings=(5, 4, 5),
    ),
    TherapistRow(
        "Olivia Brooks",
        "Kitsilano Bodywork",
        ("myofascial-release", "craniosacral"),
        ("jaw-pain-tmj", "tension-headaches"),
        ("en",),
        accepting=False,
        ratings=(2, 3),
    ),
    TherapistRow(
        "Jon Winters",
        "Kitsilano Bodywork",
        ("swedish",),
        ("stress",),
        ("en",),
    ),
    # A draft: never listed, so never found, however close its name.
    TherapistRow(
        "Anna Wintertime",
        "Queen West Massage Therapy",
        ("thai",),
        ("upper-back-pain",),
        ("en",),
        published=False,
    ),
]

# A review still waiting for a moderator: neither its rating nor its words count.
PENDING_REVIEW_WORD = "hovercraft"


@dataclass
class Directory:
    """What the fixture built: ids by therapist and clinic name."""

    therapist_ids: dict[str, int] = field(default_factory=dict)
    clinic_ids: dict[str, int] = field(default_factory=dict)

    def therapist(self, name: str) -> Therapist:
        return db.session.get(Therapist, self.therapist_ids[name])

    def clinic(self, name: str) -> Clinic:
        return db.session.get(Clinic, self.clinic_ids[name])


def listed_rows() -> list[TherapistRow]:
    return [row for row in THERAPISTS if row.published]


def _ids(model, slugs) -> list[int]:
    rows = db.session.execute(sa.select(model.slug, model.id).where(model.slug.in_(slugs)))
    found = {slug: key for slug, key in rows}
    assert set(found) == set(slugs), f"unknown {model.__name__}: {set(slugs) - set(found)}"
    return [found[slug] for slug in slugs]


def publish_review(therapist: Therapist, rating: int, text: str) -> Review:
    """A review as a reviewer submits it, then published as a moderator approves it."""
    review = create_review(
        therapist,
        rating=rating,
        title="Worth it",
        body=text,
        state=ReviewState.PENDING,
        published_at=None,
        submitted_at=utcnow(),
    )
    change_state(review, ReviewState.PUBLISHED)
    return review


def verified_credential(therapist: Therapist, moderator) -> None:
    rmt = db.session.scalar(sa.select(CredentialType.id).where(CredentialType.code == "RMT"))
    accreditation = therapists.add_accreditation(
        therapist,
        therapists.CredentialDetails(
            credential_type_id=rmt,
            issuing_body="College of Massage Therapists of Ontario",
            number=f"R-{therapist.id:05d}",
            issued_on=date(2015, 3, 1),
            expires_on=None,
        ),
    )
    therapists.submit_accreditation(accreditation)
    verify_accreditation(accreditation, moderator)


def build_directory() -> Directory:
    """Create the clinics, therapists, credentials and reviews, and commit once."""
    built = Directory()
    moderator = create_user(platform_role="moderator")
    for row in CLINICS:
        clinic = create_clinic(row.name, city_slug=row.city, slug=unique_slug(Clinic, row.name))
        if row.coordinates:
            clinic.latitude, clinic.longitude = row.coordinates
        built.clinic_ids[row.name] = clinic.id
    db.session.flush()
    for row in THERAPISTS:
        clinic = db.session.get(Clinic, built.clinic_ids[row.clinic])
        profile = therapists.TherapistProfile(
            name=row.name,
            headline=row.headline,
            bio=row.bio,
            accepting_new_clients=row.accepting,
            modality_ids=_ids(Modality, row.modalities),
            condition_ids=_ids(Condition, row.conditions),
            language_codes=list(row.languages),
        )
        therapist = therapists.create_therapist(clinic, profile)
        built.therapist_ids[row.name] = therapist.id
        if row.published:
            therapists.publish(therapist)
        if row.verified:
            verified_credential(therapist, moderator)
        for rating in row.ratings:
            publish_review(therapist, rating, row.review_text)
    sarah = built.therapist("Sarah Lindqvist")
    create_review(
        sarah,
        rating=1,
        body=f"Waiting for a moderator: {PENDING_REVIEW_WORD}.",
        state=ReviewState.PENDING,
        published_at=None,
        submitted_at=utcnow(),
    )
    db.session.commit()  # the outbox relay now rebuilds every document, as the worker does
    return built
