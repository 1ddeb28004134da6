"""Therapists and their accreditations, as the clinic manages them.

Services flush; the view commits.  Every change a searcher could see queues a rebuild of
the therapist's search document through the outbox, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.core import outbox
from directory.core.links import checked_web_address
from directory.core.models import utcnow
from directory.core.phones import tidy_phone
from directory.core.slugs import unique_slug
from directory.extensions import db
from directory.search.documents import remove_document
from directory.taxonomy.models import Condition, CredentialType, Language, Modality
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    Therapist,
    TherapistCondition,
    TherapistLanguage,
    TherapistModality,
)

REINDEX_THERAPIST_TASK = "search.reindex_therapist"


class UnknownTerms(Exception):
    """Ids or codes that are not in the vocabulary."""

    def __init__(self, field_name: str, unknown: set):
        super().__init__(f"{field_name}: {sorted(unknown)}")
        self.field_name = field_name
        self.unknown = unknown


class NotAllowed(Exception):
    """The change is not possible in the object's current state."""


@dataclass(frozen=True)
class TherapistProfile:
    name: str
    headline: str = ""
    bio: str = ""
    years_experience: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    currency: str | None = None  # None: a new therapist's clinic's, an existing one's own
    session_minutes: int = 60
    accepting_new_clients: bool = True
    does_not_treat: str = ""
    booking_url: str = ""
    phone: str = ""
    modality_ids: list[int] = field(default_factory=list)
    condition_ids: list[int] = field(default_factory=list)
    language_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CredentialDetails:
    credential_type_id: int
    issuing_body: str
    number: str
    issued_on: date
    expires_on: date | None
    register_url: str = ""


def queue_reindex(therapist: Therapist) -> None:
    """What the public sees of this therapist changes with this transaction: after the
    commit a worker rebuilds their search document."""
    outbox.enqueue(REINDEX_THERAPIST_TASK, therapist_id=therapist.id, clinic_id=therapist.clinic_id)


def _check_known(key, wanted, field_name: str) -> None:
    wanted = set(wanted)
    if not wanted:
        return
    known = set(db.session.scalars(sa.select(key).where(key.in_(wanted))))
    if wanted - known:
        raise UnknownTerms(field_name, wanted - known)


def _replace_links(therapist: Therapist, profile: TherapistProfile) -> None:
    _check_known(Modality.id, profile.modality_ids, "modalities")
    _check_known(Condition.id, profile.condition_ids, "conditions")
    _check_known(Language.code, profile.language_codes, "languages")
    for link in (TherapistModality, TherapistCondition, TherapistLanguage):
        db.session.execute(
            sa.delete(link).where(
                link.therapist_id == therapist.id, link.clinic_id == therapist.clinic_id
            )
        )
    ids = {"therapist_id": therapist.id, "clinic_id": therapist.clinic_id}
    db.session.add_all(
        [TherapistModality(modality_id=m, **ids) for m in sorted(set(profile.modality_ids))]
        + [TherapistCondition(condition_id=c, **ids) for c in sorted(set(profile.condition_ids))]
        + [
            TherapistLanguage(language_code=code, **ids)
            for code in sorted(set(profile.language_codes))
        ]
    )


def _apply_profile(therapist: Therapist, profile: TherapistProfile) -> None:
    therapist.name = profile.name.strip()
    therapist.headline = profile.headline.strip()
    therapist.bio = profile.bio.strip()
    therapist.years_experience = profile.years_experience
    therapist.price_min = profile.price_min
    therapist.price_max = profile.price_max
    if profile.currency:
        therapist.currency = profile.currency
    therapist.session_minutes = profile.session_minutes
    therapist.accepting_new_clients = profile.accepting_new_clients
    therapist.does_not_treat = profile.does_not_treat.strip()
    therapist.booking_url = checked_web_address(profile.booking_url)
    therapist.phone = tidy_phone(profile.phone)


def create_therapist(clinic: Clinic, profile: TherapistProfile) -> Therapist:
    """A new draft therapist; its slug is fixed now and never changes.  Its prices are in
    the clinic's country's currency unless the profile names another."""
    therapist = Therapist(
        clinic_id=clinic.id,
        slug=unique_slug(Therapist, profile.name),
        is_published=False,
        currency=clinic.currency,
    )
    _apply_profile(therapist, profile)
    db.session.add(therapist)
    db.session.flush()
    _replace_links(therapist, profile)
    db.session.flush()
    return therapist


def update_therapist(therapist: Therapist, profile: TherapistProfile) -> Therapist:
    _apply_profile(therapist, profile)
    _replace_links(therapist, profile)
    therapist.updated_at = utcnow()
    db.session.flush()
    db.session.expire(therapist, ["modalities", "conditions", "languages"])
    queue_reindex(therapist)
    return therapist


def publish(therapist: Therapist) -> None:
    """Show the therapist in the directory (idempotent)."""
    if not therapist.is_published:
        therapist.is_published = True
        therapist.published_at = therapist.published_at or utcnow()
        db.session.flush()
        queue_reindex(therapist)


def unpublish(therapist: Therapist) -> None:
    """Hide the therapist from the directory at once (idempotent)."""
    if therapist.is_published:
        therapist.is_published = False
        db.session.flush()
        _unlist(therapist)


def delete_therapist(therapist: Therapist) -> None:
    """Soft delete: hidden everywhere, reviews and history kept."""
    therapist.deleted_at = utcnow()
    therapist.is_published = False
    db.session.flush()
    _unlist(therapist)


def _unlist(therapist: Therapist) -> None:
    """Out of search in this transaction."""
    remove_document(therapist.id)


def add_accreditation(therapist: Therapist, details: CredentialDetails) -> Accreditation:
    _check_known(CredentialType.id, [details.credential_type_id], "credential type")
    accreditation = Accreditation(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        state=AccreditationState.DRAFT,
        **details.__dict__,
    )
    db.session.add(accreditation)
    db.session.flush()
    return accreditation


def update_accreditation(accreditation: Accreditation, details: CredentialDetails) -> Accreditation:
    """Change a credential; a checked one goes back to be checked again."""
    _check_known(CredentialType.id, [details.credential_type_id], "credential type")
    for name, value in details.__dict__.items():
        setattr(accreditation, name, value)
    if accreditation.state in (
        AccreditationState.VERIFIED,
        AccreditationState.REJECTED,
        AccreditationState.EXPIRED,
    ):
        was_verified = accreditation.state == AccreditationState.VERIFIED
        accreditation.state = AccreditationState.SUBMITTED
        accreditation.submitted_at = utcnow()
        accreditation.verified_by_id = None
        accreditation.verified_at = None
        if was_verified:
            queue_reindex(accreditation.therapist)
    db.session.flush()
    return accreditation


def submit_accreditation(accreditation: Accreditation) -> None:
    """Send a draft credential to the moderators' queue."""
    if accreditation.state != AccreditationState.DRAFT:
        raise NotAllowed("Only a draft credential can be submitted.")
    accreditation.state = AccreditationState.SUBMITTED
    accreditation.submitted_at = utcnow()
    db.session.flush()


def remove_accreditation(accreditation: Accreditation) -> None:
    therapist = accreditation.therapist
    was_verified = accreditation.state == AccreditationState.VERIFIED
    db.session.delete(accreditation)
    db.session.flush()
    if was_verified:
        queue_reindex(therapist)
