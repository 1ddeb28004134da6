"""Factory helpers: create a row with sensible defaults, override what the test cares about.

Factories put the test on the privileged path (`act_for_all_clinics`): setup code writes
and inspects rows of any clinic.  Requests the test makes still run in their own scope
(see support.isolate_request_scope).
"""

from __future__ import annotations

import itertools
from datetime import date

import sqlalchemy as sa

from directory.accounts.models import User
from directory.clinics.models import Clinic, Membership, Role
from directory.core.mail import SEND_EMAIL_TASK
from directory.core.models import utcnow
from directory.core.outbox import OutboxMessage, OutboxState
from directory.core.passwords import hash_password
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.places.models import City
from directory.reviews.models import Provenance, Review, ReviewState
from directory.therapists.models import Therapist

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def create_user(
    email: str | None = None, *, verified: bool = True, password: str = PASSWORD, **fields
) -> User:
    number = next(_numbers)
    user = User(
        email=email or f"user{number}@example.com",
        display_name=fields.pop("display_name", f"User {number}"),
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def city(slug: str = "toronto") -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def create_clinic(
    name: str | None = None, *, owner: User | None = None, city_slug: str = "toronto", **fields
) -> Clinic:
    number = next(_numbers)
    where = city(city_slug)
    clinic = Clinic(
        name=name or f"Clinic {number}",
        slug=fields.pop("slug", f"clinic-{number}"),
        city_id=where.id,
        latitude=where.latitude,
        longitude=where.longitude,
        **fields,
    )
    act_for_all_clinics()
    db.session.add(clinic)
    db.session.flush()
    if owner is not None:
        db.session.add(Membership(clinic_id=clinic.id, user_id=owner.id, role=Role.OWNER))
        db.session.flush()
    return clinic


def create_therapist(clinic: Clinic, name: str | None = None, **fields) -> Therapist:
    number = next(_numbers)
    therapist = Therapist(
        clinic_id=clinic.id,
        name=name or f"Therapist {number}",
        slug=fields.pop("slug", f"therapist-{number}"),
        is_published=fields.pop("is_published", True),
        **fields,
    )
    act_for_all_clinics()
    db.session.add(therapist)
    db.session.flush()
    return therapist


def month_start(day: date) -> date:
    return day.replace(day=1)


def create_review(therapist: Therapist, **fields) -> Review:
    number = next(_numbers)
    review = Review(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        reviewer_email=fields.pop("reviewer_email", f"reviewer{number}@example.com"),
        reviewer_name=fields.pop("reviewer_name", "Robin Client"),
        rating=fields.pop("rating", 4),
        title=fields.pop("title", "Helped my shoulders"),
        body=fields.pop(
            "body", "Careful, strong work on my upper back; I could turn my head again."
        ),
        visit_month=fields.pop("visit_month", month_start(date.today())),
        provenance=fields.pop("provenance", Provenance.EMAIL_CONFIRMED),
        state=fields.pop("state", ReviewState.PUBLISHED),
        published_at=fields.pop("published_at", utcnow()),
        **fields,
    )
    act_for_all_clinics()
    db.session.add(review)
    db.session.flush()
    return review


def create_dead_letter(
    to: str = "lost@example.com", error: str = "ConnectionRefusedError: 111"
) -> OutboxMessage:
    """An email job that failed for good, as a worker leaves it after its last retry (written
    straight to the table: nothing is dispatched when the test commits)."""
    message = OutboxMessage(
        task_name=SEND_EMAIL_TASK,
        payload={"to": to, "subject": "Hello", "template": "verify_account", "text": "Hi."},
        state=OutboxState.FAILED,
        attempts=9,
        last_error=error,
    )
    db.session.add(message)
    db.session.flush()
    return message
