"""A small directory for the API tests, built through the services production uses.

Two clinics in two cities, five therapists (one a draft), credentials in every state and
reviews in every state, committed once: the outbox relay then rebuilds the search
documents as the worker does.  Expected answers in the tests are worked out from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from directory.core.models import utcnow
from directory.extensions import db
from directory.moderation.services import verify_accreditation
from directory.reviews.models import ClinicReply, Provenance, ReplyState, Review, ReviewState
from directory.reviews.publication import change_state
from directory.taxonomy.models import Condition, CredentialType, Modality
from directory.therapists import services as therapists
from directory.therapists.models import Accreditation, AccreditationState, Therapist
from tests.factories import create_clinic, create_review, create_user

# Words and addresses that appear only in reviews the public must never see.
HIDDEN_REVIEW_TITLES = {
    ReviewState.PENDING: "Pending words",
    ReviewState.REJECTED: "Rejected words",
    ReviewState.REMOVED: "Removed words",
    ReviewState.AWAITING_EMAIL: "Unconfirmed words",
    ReviewState.WITHDRAWN: "Withdrawn words",
}
REVIEWER_EMAIL_DOMAIN = "reviewers.example.org"


@dataclass(frozen=True)
class Row:
    name: str
    clinic: str
    modalities: tuple[str, ...]
    conditions: tuple[str, ...]
    languages: tuple[str, ...]
    ratings: tuple[int, ...] = ()
    accepting: bool = True
    verified: bool = False
    published: bool = True


CLINICS = {
    "bang-rak": ("Bang Rak Thai Massage", "bangkok"),
    "queen-west": ("Queen West", "toronto"),
}
ROWS = [
    Row(
        "John Wintertime",
        "bang-rak",
        ("thai", "trigger-point", "deep-tissue"),
        ("upper-back-pain", "posture-strain-from-prolonged-sitting"),
        ("en", "th"),
        ratings=(5, 5, 4),
        verified=True,
    ),
    Row("Somchai Rattanakorn", "bang-rak", ("thai", "reflexology"), ("stress",), ("th",), (4,)),
    Row(
        "Sarah Lindqvist",
        "queen-west",
        ("swedish", "prenatal"),
        ("stress",),
        ("en", "sv"),
        ratings=(5, 5, 5, 4),
        verified=True,
    ),
    Row(
        "Daniel Okafor",
        "queen-west",
        ("deep-tissue", "trigger-point"),
        ("upper-back-pain", "neck-pain"),
        ("en",),
        ratings=(3,),
        accepting=False,
    ),
    Row("Anna Draft", "queen-west", ("thai",), ("upper-back-pain",), ("en",), published=False),
]
LISTED = [row for row in ROWS if row.published]


def _ids(model, slugs) -> list[int]:
    rows = db.session.execute(sa.select(model.slug, model.id).where(model.slug.in_(slugs)))
    found = {slug: key for slug, key in rows}
    assert set(found) == set(slugs), set(slugs) - set(found)
    return [found[slug] for slug in slugs]


def _credential(therapist: Therapist, number: str, **dates) -> Accreditation:
    rmt = db.session.scalar(sa.select(CredentialType.id).where(CredentialType.code == "RMT"))
    return therapists.add_accreditation(
        therapist,
        therapists.CredentialDetails(
            credential_type_id=rmt,
            issuing_body="College of Massage Therapists of Ontario",
            number=number,
            issued_on=dates.get("issued_on", date(2015, 3, 1)),
            expires_on=dates.get("expires_on"),
            register_url="https://register.example.org/R-1",
        ),
    )


def _publish(therapist: Therapist, rating: int, days_ago: int, **fields) -> Review:
    review = create_review(
        therapist,
        rating=rating,
        state=ReviewState.PENDING,
        published_at=None,
        submitted_at=utcnow(),
        reviewer_email=f"{therapist.slug}-{days_ago}@{REVIEWER_EMAIL_DOMAIN}",
        **fields,
    )
    change_state(review, ReviewState.PUBLISHED)
    review.published_at = utcnow() - timedelta(days=days_ago)
    return review


def build() -> dict[str, Therapist]:
    """Create everything and commit once; returns the therapists by name."""
    moderator = create_user(platform_role="moderator", display_name="Morgan Moderator")
    clinics = {
        slug: create_clinic(name, slug=slug, city_slug=city, phone="+66 2 000 0000")
        for slug, (name, city) in CLINICS.items()
    }
    built = {}
    for row in ROWS:
        therapist = therapists.create_therapist(
            clinics[row.clinic],
            therapists.TherapistProfile(
                name=row.name,
                headline=f"{row.name.split()[0]}'s headline",
                accepting_new_clients=row.accepting,
                modality_ids=_ids(Modality, row.modalities),
                condition_ids=_ids(Condition, row.conditions),
                language_codes=list(row.languages),
            ),
        )
        built[row.name] = therapist
        if row.published:
            therapists.publish(therapist)
        if row.verified:
            credential = _credential(therapist, f"R-{therapist.id}")
            therapists.submit_accreditation(credential)
            verify_accreditation(credential, moderator)
        for days_ago, rating in enumerate(row.ratings):
            _publish(therapist, rating, days_ago)
    _john_extras(built["John Wintertime"], moderator)
    db.session.commit()
    return built


def _john_extras(john: Therapist, moderator) -> None:
    """Profile facts, credentials the public must not see, reviews in every other state,
    aspects and replies."""
    therapists.update_therapist(
        john,
        therapists.TherapistProfile(
            name=john.name,
            headline="Registered massage therapist and rehabilitation specialist",
            bio="Ten years of clinical work on upper back pain and posture strain.",
            years_experience=11,
            price_min=90,
            price_max=120,
            does_not_treat="Fever, contagious illness, undiagnosed severe pain.",
            modality_ids=[m.id for m in john.modalities],
            condition_ids=[c.id for c in john.conditions],
            language_codes=[lang.code for lang in john.languages],
        ),
    )
    lapsed = _credential(john, "R-OLD", issued_on=date(2010, 1, 1), expires_on=date(2014, 1, 1))
    lapsed.state = AccreditationState.EXPIRED
    lapsed.verified_by_id, lapsed.verified_at = moderator.id, utcnow()
    _credential(john, "R-DRAFT")  # a draft: never public
    submitted = _credential(john, "R-SUBMITTED")
    therapists.submit_accreditation(submitted)
    rejected = _credential(john, "R-REJECTED")
    rejected.state = AccreditationState.REJECTED

    for state, title in HIDDEN_REVIEW_TITLES.items():
        create_review(
            john,
            state=state,
            title=title,
            published_at=None,
            reviewer_email=f"{state}@{REVIEWER_EMAIL_DOMAIN}",
        )
    rated = _publish(
        john,
        5,
        days_ago=10,
        title="My upper back let go",
        reviewer_name="Sam Rivera",
        initials_only=True,
        provenance=Provenance.VERIFIED_CLIENT,
        rating_technique=5,
        rating_value=4,
        helpful_count=3,
        visit_month=date(2026, 3, 1),
    )
    db.session.add_all(
        [
            ClinicReply(
                clinic_id=john.clinic_id,
                review_id=rated.id,
                body="Thank you, Sam.",
                state=ReplyState.PUBLISHED,
                published_at=utcnow(),
            ),
        ]
    )
    newest = db.session.scalars(
        sa.select(Review)
        .where(Review.therapist_id == john.id, Review.state == ReviewState.PUBLISHED)
        .order_by(Review.published_at.desc())
    ).first()
    db.session.add(
        ClinicReply(
            clinic_id=john.clinic_id,
            review_id=newest.id,
            body="A held reply nobody sees.",
            state=ReplyState.HELD,
        )
    )
    db.session.flush()
