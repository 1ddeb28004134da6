"""Tenancy at the request layer: every /manage/ route, every method, another clinic's ids.

The routes come from the app's URL map, so a route added tomorrow is covered tomorrow.
"""

from __future__ import annotations

import hashlib
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from directory.clinics.models import ClinicClosure, ClinicHours, Membership, Role, TeamInvitation
from directory.core.models import utcnow
from directory.extensions import db
from directory.photos.models import Photo, PhotoKind
from directory.reviews.models import Provenance, Review, ReviewState
from directory.therapists.models import Accreditation
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_therapist

# Methods a browser or script could send; HEAD and OPTIONS answer for GET and CORS.
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def clinic_a_objects() -> dict:
    """Clinic A with one object of every kind a /manage/ URL can name."""
    clinic = create_clinic("Clinic A")
    owner = member(clinic, Role.OWNER)
    therapist = create_therapist(clinic, name="Therapist of A")
    accreditation = Accreditation(
        clinic_id=clinic.id,
        therapist_id=therapist.id,
        credential_type_id=1,
        issuing_body="CMTO",
        number="A-1",
        issued_on=date(2020, 1, 1),
    )
    invitation = TeamInvitation(
        clinic_id=clinic.id,
        email="x@example.com",
        role=Role.STAFF,
        expires_at=utcnow() + timedelta(days=3),
    )
    review = Review(
        clinic_id=clinic.id,
        therapist_id=therapist.id,
        reviewer_email="client@example.com",
        reviewer_name="Client",
        rating=2,
        title="Not for me",
        body="The pressure was far too strong and nobody asked how it felt.",
        visit_month=date(2026, 1, 1),
        provenance=Provenance.EMAIL_CONFIRMED,
        state=ReviewState.PUBLISHED,
    )
    closure = ClinicClosure(
        clinic_id=clinic.id, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26)
    )
    hours = ClinicHours(clinic_id=clinic.id, weekday=0, opens=time(9), closes=time(17))
    # A row only: the isolation walk never reaches a file.
    photo = Photo(
        clinic_id=clinic.id,
        kind=PhotoKind.CLINIC,
        large_name="a" * 64 + ".webp",
        large_width=800,
        large_height=600,
        small_name="b" * 64 + ".webp",
        small_width=240,
        small_height=180,
    )
    db.session.add_all([accreditation, invitation, review, closure, hours, photo])
    db.session.commit()
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
    return {
        "clinic": clinic,
        "ids": {
            "therapist_id": therapist.id,
            "accreditation_id": accreditation.id,
            "membership_id": membership.id,
            "invitation_id": invitation.id,
            "review_id": review.id,
            "closure_id": closure.id,
            "photo_id": photo.id,
        },
    }


def snapshot(clinic_id: int) -> str:
    """A fingerprint of every row clinic A owns, in every table with clinic_id."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if "clinic_id" not in table.c:
            continue
        key = list(table.primary_key.columns)
        rows = db.session.execute(
            sa.select(table).where(table.c.clinic_id == clinic_id).order_by(*key)
        )
        digest.update(repr([tuple(row) for row in rows]).encode())
    db.session.rollback()
    return digest.hexdigest()


def manage_rules(app):
    rules = [
        rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/manage/<clinic_slug>")
    ]
    assert len(rules) >= 10, "the console's routes should be found"
    return rules


def build_url(rule, clinic_slug: str, ids: dict) -> str:
    values = {"clinic_slug": clinic_slug}
    for argument in rule.arguments - {"clinic_slug"}:
        if argument not in ids:
            pytest.fail(f"{rule.rule}: add a sample id for <{argument}> to clinic_a_objects()")
        values[argument] = ids[argument]
    return rule.build(values, append_unknown=False)[1]


def test_every_manage_route_is_tenant_checked(app):
    for rule in manage_rules(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "clinic_permission"), f"{rule.rule} does not use clinic_route()"


def test_a_member_of_clinic_b_gets_404_for_everything_of_clinic_a(app, client):
    a = clinic_a_objects()
    clinic_b = create_clinic("Clinic B")
    owner_of_b = member(clinic_b, Role.OWNER)  # every permission in B
    sign_in(client, owner_of_b)
    before = snapshot(a["clinic"].id)

    checked = 0
    for rule in manage_rules(app):
        urls = [
            build_url(rule, a["clinic"].slug, a["ids"]),  # A's slug
            build_url(rule, clinic_b.slug, a["ids"]),  # B's slug, A's ids
        ]
        for url in urls:
            if url.startswith(f"/manage/{clinic_b.slug}") and rule.arguments == {"clinic_slug"}:
                continue  # B's own pages with no object ids are B's to see
            for method in METHODS:
                response = client.open(
                    url, method=method, data={"name": "Hijacked", "role": "owner"}
                )
                assert response.status_code in (404, 405), (
                    f"{method} {url} -> {response.status_code}"
                )
                if method in rule.methods:
                    assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
                checked += 1
    assert checked > 50
    assert snapshot(a["clinic"].id) == before


def test_signed_out_visitors_are_sent_to_sign_in(app, client):
    a = clinic_a_objects()
    for rule in manage_rules(app):
        response = client.get(build_url(rule, a["clinic"].slug, a["ids"]))
        assert response.status_code in (302, 405)
