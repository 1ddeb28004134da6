"""Lapsed credentials expire at once; clinics are reminded 30 days before, once."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from directory.clinics.models import Role
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.search.documents import rebuild_document
from directory.search.models import SearchDocument
from directory.therapists.models import Accreditation, AccreditationState
from tests.accounts.test_accounts import emails_in
from tests.clinics.test_console import member
from tests.factories import create_clinic, create_therapist

TODAY = date.today()


def verified_credential(therapist, expires_on: date) -> Accreditation:
    accreditation = Accreditation(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        credential_type_id=1,
        issuing_body="CMTO",
        number="R-77",
        issued_on=date(2015, 1, 1),
        expires_on=expires_on,
        state=AccreditationState.VERIFIED,
    )
    db.session.add(accreditation)
    db.session.commit()
    return accreditation


def run_daily_job(app) -> dict:
    app.extensions["celery"].loader.import_default_modules()
    return app.extensions["celery"].tasks["accreditations.expire_and_remind"].apply().get()


def test_a_lapsed_credential_expires_and_loses_its_badge_in_search(app):
    therapist = create_therapist(create_clinic())
    lapsed = verified_credential(therapist, TODAY - timedelta(days=1))
    rebuild_document(therapist.id)
    db.session.commit()
    assert db.session.get(SearchDocument, therapist.id).accreditation_verified

    assert run_daily_job(app) == {"expired": 1, "reminded": 0}
    db.session.expire_all()
    assert db.session.get(Accreditation, lapsed.id).state == AccreditationState.EXPIRED
    assert not db.session.get(SearchDocument, therapist.id).accreditation_verified
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.subject_id, entry.after_state) == ("expire", lapsed.id, "expired")
    assert run_daily_job(app) == {"expired": 0, "reminded": 0}


def test_owners_are_reminded_once_thirty_days_ahead(app, mail_folder):
    clinic = create_clinic("Lakeside")
    owner = member(clinic, Role.OWNER)
    member(clinic, Role.STAFF)
    therapist = create_therapist(clinic, name="Ana Reyes")
    verified_credential(therapist, TODAY + timedelta(days=20))
    verified_credential(therapist, TODAY + timedelta(days=90))  # not yet

    assert run_daily_job(app) == {"expired": 0, "reminded": 1}
    [email] = emails_in(mail_folder)
    assert email["To"] == owner.email
    assert "Ana Reyes" in email["Subject"]
    assert run_daily_job(app) == {"expired": 0, "reminded": 0}
    assert len(emails_in(mail_folder)) == 1
