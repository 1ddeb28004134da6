"""Credentials that lapse: expired at once, and their clinics reminded 30 days before.

Both functions are safe to run more than once a day: an expired credential is not
expired again, and a reminder is sent once per credential (until it is renewed).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from directory.accounts.models import User
from directory.clinics.models import Clinic, Membership, Role
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.urls import external_url
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.therapists.models import Accreditation, AccreditationState, Therapist
from directory.therapists.services import queue_reindex

REMINDER_LEAD = timedelta(days=30)


def expire_lapsed(today: date) -> int:
    """Move verified credentials whose expiry date has passed to `expired`; returns how many.

    The verified badge disappears from profile and search at once: each affected
    therapist's search document is rebuilt.  Each change is recorded in the audit log.
    """
    lapsed = list(
        db.session.scalars(
            sa.select(Accreditation)
            .where(
                Accreditation.state == AccreditationState.VERIFIED,
                Accreditation.expires_on < today,
            )
            .with_for_update(of=Accreditation)
        )
    )
    for accreditation in lapsed:
        accreditation.state = AccreditationState.EXPIRED
        db.session.add(
            AuditEntry(
                action="expire",
                subject_type="accreditation",
                subject_id=accreditation.id,
                clinic_id=accreditation.clinic_id,
                note=f"expired on {accreditation.expires_on.isoformat()}",
                before_state=AccreditationState.VERIFIED,
                after_state=AccreditationState.EXPIRED,
            )
        )
    db.session.flush()
    for therapist in {a.therapist_id: a.therapist for a in lapsed}.values():
        queue_reindex(therapist)
    return len(lapsed)


def _owner_emails(clinic_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.clinic_id == clinic_id, Membership.role == Role.OWNER)
            .order_by(User.email)
        )
    )


def send_expiry_reminders(today: date) -> int:
    """Email each clinic's owners about credentials expiring within 30 days; returns how many.

    One reminder per credential: `expiry_reminder_sent_at` is set in the same transaction.
    """
    due = db.session.execute(
        sa.select(Accreditation, Therapist.name, Clinic)
        .join(Therapist, Therapist.id == Accreditation.therapist_id)
        .join(Clinic, Clinic.id == Accreditation.clinic_id)
        .where(
            Accreditation.state == AccreditationState.VERIFIED,
            Accreditation.expires_on.between(today, today + REMINDER_LEAD),
            Accreditation.expiry_reminder_sent_at.is_(None),
        )
        .order_by(Accreditation.clinic_id, Accreditation.expires_on)
    ).all()
    for accreditation, therapist_name, clinic in due:
        for email in _owner_emails(clinic.id):
            queue_email(
                email,
                "accreditation_expiring",
                f"{therapist_name}'s {accreditation.credential_type.code} expires on "
                f"{accreditation.expires_on.strftime('%-d %B %Y')}",
                accreditation=accreditation,
                therapist_name=therapist_name,
                clinic=clinic,
                link=external_url(
                    "manage_therapists.edit_accreditation",
                    clinic_slug=clinic.slug,
                    accreditation_id=accreditation.id,
                ),
            )
        accreditation.expiry_reminder_sent_at = utcnow()
    db.session.flush()
    return len(due)
