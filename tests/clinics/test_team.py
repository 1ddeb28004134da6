"""The team: invitations by email (through a real SMTP server), roles, the last owner."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from directory.clinics import services
from directory.clinics.models import Membership, Role, TeamInvitation
from directory.core.addresses import InvalidEmail
from directory.core.outbox import OutboxMessage
from directory.extensions import db
from directory.therapists.models import Therapist
from tests.clinics.test_console import member, sign_in, therapist_form
from tests.factories import create_clinic, create_therapist, create_user

JOIN_LINK = re.compile(r"http://localhost(/join/\S+)")


def test_an_invited_colleague_joins_through_the_emailed_link_once(make_app, smtp_server):
    app = make_app(MAIL_URL=smtp_server.url)
    client = app.test_client()
    with app.app_context():
        clinic = create_clinic("Lakeside")
        owner = member(clinic)
        sign_in(client, owner)
        response = client.post(
            f"/manage/{clinic.slug}/team/invite",
            data={"email": "New.Colleague@Example.com", "role": "manager"},
        )
        assert response.status_code == 302
        [email] = smtp_server.wait_for(1)
        assert email["To"] == "new.colleague@example.com"
        assert "Lakeside" in email["Subject"]
        link = JOIN_LINK.search(email.get_body(("plain",)).get_content()).group(1)

        client.post("/sign-out")
        assert b"Sign in with that address" in client.get(link).data
        colleague = create_user("new.colleague@example.com", verified=False)
        db.session.commit()
        sign_in(client, colleague)
        assert client.post(link).status_code == 302
        membership = db.session.scalar(
            sa.select(Membership).where(Membership.user_id == colleague.id)
        )
        assert (membership.clinic_id, membership.role) == (clinic.id, Role.MANAGER)
        db.session.refresh(colleague)
        assert colleague.email_verified  # the link proved the address
        assert client.get(link).status_code == 400  # used
        db.session.remove()


def test_an_invitation_for_someone_else_cannot_be_used(make_app, smtp_server):
    app = make_app(MAIL_URL=smtp_server.url)
    client = app.test_client()
    with app.app_context():
        clinic = create_clinic()
        owner = member(clinic)
        sign_in(client, owner)
        client.post(
            f"/manage/{clinic.slug}/team/invite", data={"email": "a@example.com", "role": "staff"}
        )
        [email] = smtp_server.wait_for(1)
        link = JOIN_LINK.search(email.get_body(("plain",)).get_content()).group(1)
        client.post("/sign-out")
        intruder = create_user("b@example.com")
        db.session.commit()
        sign_in(client, intruder)
        assert client.post(link).status_code == 403
        assert (
            db.session.scalar(sa.select(Membership.id).where(Membership.user_id == intruder.id))
            is None
        )
        db.session.remove()


def test_inviting_a_current_member_is_refused_next_to_the_field(client):
    clinic = create_clinic()
    owner = member(clinic)
    sign_in(client, owner)
    response = client.post(
        f"/manage/{clinic.slug}/team/invite", data={"email": owner.email, "role": "staff"}
    )
    assert response.status_code == 422
    assert b"already on the team" in response.data


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_the_team_invitation_service_refuses_an_address_that_cannot_receive_mail(app, email):
    clinic = create_clinic()
    owner = member(clinic)
    with pytest.raises(InvalidEmail):
        services.invite_member(clinic, owner, email, Role.STAFF)
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamInvitation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_staff_cannot_edit_therapists(client):
    clinic = create_clinic()
    therapist = create_therapist(clinic, name="Unchanged")
    staff = member(clinic, Role.STAFF)
    sign_in(client, staff)
    assert client.get(f"/manage/{clinic.slug}/").status_code == 200
    assert client.get(f"/manage/{clinic.slug}/therapists").status_code == 200
    edit = client.post(
        f"/manage/{clinic.slug}/therapists/{therapist.id}/edit", data=therapist_form(name="Changed")
    )
    assert edit.status_code == 403
    assert (
        client.post(f"/manage/{clinic.slug}/therapists/new", data=therapist_form()).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.scalar(sa.select(Therapist.name)) == "Unchanged"


def test_managers_cannot_manage_the_team(client):
    clinic = create_clinic()
    manager = member(clinic, Role.MANAGER)
    owner = member(clinic, Role.OWNER)
    owner_membership = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == owner.id)
    )
    sign_in(client, manager)
    assert client.get(f"/manage/{clinic.slug}/team").status_code == 200  # may see it
    invite = client.post(
        f"/manage/{clinic.slug}/team/invite", data={"email": "x@example.com", "role": "owner"}
    )
    assert invite.status_code == 403
    demote = client.post(
        f"/manage/{clinic.slug}/team/{owner_membership.id}/role", data={"role": "staff"}
    )
    assert demote.status_code == 403
    assert client.get(f"/manage/{clinic.slug}/settings").status_code == 403
    db.session.refresh(owner_membership)
    assert owner_membership.role == Role.OWNER


def test_the_last_owner_stays(client):
    clinic = create_clinic()
    owner = member(clinic, Role.OWNER)
    mine = db.session.scalar(sa.select(Membership).where(Membership.user_id == owner.id))
    sign_in(client, owner)
    demote = client.post(f"/manage/{clinic.slug}/team/{mine.id}/role", data={"role": "staff"})
    assert demote.status_code == 409
    assert b"at least one owner" in demote.data
    remove = client.post(f"/manage/{clinic.slug}/team/{mine.id}/remove")
    assert remove.status_code == 409
    db.session.refresh(mine)
    assert mine.role == Role.OWNER

    second = member(clinic, Role.OWNER)
    assert second is not None
    assert (
        client.post(
            f"/manage/{clinic.slug}/team/{mine.id}/role", data={"role": "manager"}
        ).status_code
        == 302
    )
    db.session.refresh(mine)
    assert mine.role == Role.MANAGER
