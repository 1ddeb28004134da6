"""PostgreSQL row-level security: the app role sees and changes only what its scope allows.

The third tenancy layer on its own: every query here is raw SQL or a plain insert, so no
ORM criteria help, and the app connects as the application role the suite creates.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from flask_login import login_user
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import DBAPIError

from directory.clinics.models import ClinicClosure, ClinicHours, Role, TeamInvitation
from directory.core.models import utcnow
from directory.core.tenancy import (
    PUBLIC_SCOPE,
    act_for_all_clinics,
    enter_clinic,
    restore_scope,
    tenant_models,
)
from directory.extensions import db
from directory.reviews.models import (
    ClinicReply,
    FlagSource,
    Provenance,
    ReplyState,
    Review,
    ReviewFlag,
    ReviewInvitation,
    ReviewState,
)
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    Therapist,
    TherapistDailyContacts,
)
from tests import support
from tests.factories import create_clinic, create_therapist, create_user

ONE_CONNECTION = {"pool_size": 1, "max_overflow": 0, "pool_pre_ping": True}


# Row-level security is PostgreSQL's; on SQLite the other two layers stand alone.
pytestmark = pytest.mark.postgres


@pytest.fixture
def world(app) -> dict:
    """Two clinics with public and private rows of every kind, written on the privileged
    path and committed; the test then runs in the public scope (no clinic, no user)."""
    ids = write_world()
    db.session.commit()
    restore_scope(PUBLIC_SCOPE)
    return ids


def write_world() -> dict:
    owner_a, owner_b = create_user(), create_user()
    clinic_a = create_clinic("Clinic A", owner=owner_a)
    clinic_b = create_clinic("Clinic B", owner=owner_b)
    listed_a = create_therapist(clinic_a, name="Listed A")
    draft_a = create_therapist(clinic_a, name="Draft A", is_published=False)
    create_therapist(clinic_a, name="Gone A", deleted_at=utcnow())
    create_therapist(clinic_b, name="Listed B")
    create_therapist(clinic_b, name="Draft B", is_published=False)
    published = review(listed_a, ReviewState.PUBLISHED, "first@example.com")
    held_reply_on = review(listed_a, ReviewState.PUBLISHED, "second@example.com")
    review(listed_a, ReviewState.PENDING, "third@example.com")
    db.session.add_all(
        [
            accreditation(listed_a, AccreditationState.VERIFIED, "V-1"),
            accreditation(listed_a, AccreditationState.SUBMITTED, "S-1"),
            accreditation(draft_a, AccreditationState.VERIFIED, "V-2"),
            reply(published, ReplyState.PUBLISHED),
            reply(held_reply_on, ReplyState.HELD),
            ReviewFlag(
                clinic_id=clinic_a.id,
                review_id=published.id,
                source=FlagSource.CLINIC,
                reason_code="conflict_of_interest",
            ),
            TeamInvitation(
                clinic_id=clinic_a.id,
                email="new@example.com",
                role=Role.STAFF,
                expires_at=utcnow() + timedelta(days=7),
            ),
            ClinicHours(clinic_id=clinic_a.id, weekday=0, opens=time(9), closes=time(17)),
            ClinicClosure(
                clinic_id=clinic_b.id, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26)
            ),
            TherapistDailyContacts(
                clinic_id=clinic_a.id,
                therapist_id=listed_a.id,
                day=date(2026, 1, 5),
                kind="book",
                clicks=2,
            ),
            ReviewInvitation(
                clinic_id=clinic_a.id,
                therapist_id=listed_a.id,
                client_email="client@example.com",
                client_name="Client",
                visit_date=date(2026, 1, 5),
                expires_at=utcnow() + timedelta(days=30),
            ),
        ]
    )
    db.session.flush()
    return {"a": clinic_a.id, "b": clinic_b.id, "owner_a": owner_a, "owner_b": owner_b}


def review(therapist: Therapist, state: ReviewState, email: str) -> Review:
    row = Review(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        reviewer_email=email,
        reviewer_name="Client",
        rating=5,
        title="Good",
        body="Careful work on my upper back; I could turn my head again.",
        visit_month=date(2026, 1, 1),
        provenance=Provenance.EMAIL_CONFIRMED,
        state=state,
    )
    db.session.add(row)
    db.session.flush()
    return row


def accreditation(therapist: Therapist, state: AccreditationState, number: str) -> Accreditation:
    return Accreditation(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        credential_type_id=1,
        issuing_body="CMTO",
        number=number,
        issued_on=date(2020, 1, 1),
        state=state,
    )


def reply(to: Review, state: ReplyState) -> ClinicReply:
    return ClinicReply(clinic_id=to.clinic_id, review_id=to.id, body="Thank you.", state=state)


def rows(sql: str, **parameters) -> list:
    return list(db.session.scalars(sa.text(sql), parameters))


def test_with_no_clinic_set_only_published_rows_are_readable(world):
    assert sorted(rows("SELECT name FROM therapists")) == ["Listed A", "Listed B"]
    assert rows("SELECT state FROM reviews") == ["published", "published"]
    assert rows("SELECT number FROM accreditations") == ["V-1"]
    assert rows("SELECT state FROM clinic_replies") == ["published"]
    for private in (
        "memberships",
        "team_invitations",
        "review_invitations",
        "review_flags",
        "review_helpful_votes",
        "therapist_daily_views",
        "therapist_daily_contacts",
    ):
        assert rows(f"SELECT clinic_id FROM {private}") == [], private


def test_opening_hours_are_public_but_only_their_clinic_writes_them(world):
    # A clinic's hours and closures are part of its public card, like its `clinics` row.
    assert rows("SELECT clinic_id FROM clinic_hours") == [world["a"]]
    assert rows("SELECT clinic_id FROM clinic_closures") == [world["b"]]
    enter_clinic(world["a"])
    assert rows("SELECT clinic_id FROM therapist_daily_contacts") == [world["a"]]
    refused = "row-level security"
    with pytest.raises(DBAPIError, match=refused):
        db.session.execute(
            sa.text(
                "INSERT INTO clinic_hours (clinic_id, weekday, opens, closes)"
                " VALUES (:b, 1, '09:00', '17:00')"
            ),
            {"b": world["b"]},
        )
    db.session.rollback()


def test_a_signed_in_user_reads_their_own_memberships_without_a_clinic(world, app):
    with app.test_request_context():
        # The transaction begins before anyone is signed in, as when loading the user is
        # a request's first query; the next statement catches up.
        assert rows("SELECT clinic_id FROM memberships") == []
        login_user(world["owner_a"])
        assert rows("SELECT clinic_id FROM memberships") == [world["a"]]
    db.session.rollback()  # the next transaction starts without the request's user
    assert rows("SELECT clinic_id FROM memberships") == []


def test_entering_a_clinic_applies_at_once_to_the_open_transaction(world):
    connection = db.session.connection()  # raw: no ORM event runs before these statements
    count = sa.text("SELECT count(*) FROM therapists")
    assert connection.scalar(count) == 2
    enter_clinic(world["a"])
    assert connection.scalar(count) == 4
    restore_scope(PUBLIC_SCOPE)
    assert connection.scalar(count) == 2


def test_inside_a_clinic_its_private_rows_are_readable_and_no_others(world):
    enter_clinic(world["a"])
    assert sorted(rows("SELECT name FROM therapists")) == [
        "Draft A",
        "Gone A",
        "Listed A",
        "Listed B",
    ]
    assert rows("SELECT DISTINCT clinic_id FROM memberships") == [world["a"]]
    assert rows("SELECT count(*) FROM reviews WHERE state = 'pending'") == [1]


@pytest.mark.parametrize("acting_in_a", [False, True], ids=["no clinic", "in clinic A"])
def test_a_row_for_another_clinic_cannot_be_inserted(world, acting_in_a):
    if acting_in_a:
        enter_clinic(world["a"])
    db.session.add(Therapist(clinic_id=world["b"], name="Smuggled", slug="smuggled"))
    with pytest.raises(DBAPIError, match="row-level security"):
        db.session.flush()
    db.session.rollback()


def test_another_clinics_rows_cannot_be_updated_or_deleted(world):
    enter_clinic(world["a"])
    b = {"b": world["b"]}
    renamed = db.session.execute(
        sa.text("UPDATE therapists SET name = 'Taken over' WHERE clinic_id = :b"), b
    )
    deleted = db.session.execute(sa.text("DELETE FROM memberships WHERE clinic_id = :b"), b)
    assert (renamed.rowcount, deleted.rowcount) == (0, 0)
    db.session.rollback()
    act_for_all_clinics()
    assert rows("SELECT name FROM therapists WHERE clinic_id = :b ORDER BY name", **b) == [
        "Draft B",
        "Listed B",
    ]
    assert rows("SELECT count(*) FROM memberships WHERE clinic_id = :b", **b) == [1]


def test_moving_a_row_into_another_clinic_is_refused(world):
    enter_clinic(world["a"])
    with pytest.raises(DBAPIError, match="row-level security"):
        db.session.execute(
            sa.text("UPDATE memberships SET clinic_id = :b WHERE clinic_id = :a"),
            {"a": world["a"], "b": world["b"]},
        )
    db.session.rollback()


def test_own_rows_can_be_updated(world):
    enter_clinic(world["a"])
    renamed = db.session.execute(
        sa.text("UPDATE therapists SET headline = 'Deep tissue' WHERE clinic_id = :a"),
        {"a": world["a"]},
    )
    assert renamed.rowcount == 3


def test_every_tenant_table_has_row_level_security_enabled_and_forced(app):
    tables = sorted(model.__tablename__ for model in tenant_models(db.Model.registry))
    assert len(tables) == 21
    flags = db.session.execute(
        sa.text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname IN :tables AND relkind = 'r' ORDER BY relname"
        ).bindparams(sa.bindparam("tables", expanding=True)),
        {"tables": tables},
    ).all()
    assert flags == [(table, True, True) for table in tables]


def test_the_app_role_cannot_bypass_row_level_security_and_owns_nothing(app):
    role = db.session.execute(
        sa.text("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    owned = db.session.scalar(
        sa.text(
            "SELECT count(*) FROM pg_class WHERE relowner ="
            " (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
    )
    assert role.rolname.startswith("directory_app_")
    assert (role.rolsuper, role.rolbypassrls, owned) == (False, False, 0)


def test_500_interleaved_requests_of_two_clinics_on_one_connection_never_mix(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    with app.app_context():
        a, b = create_clinic(), create_clinic()
        # Drafts only: what a clinic sees of them is decided by its clinic_id alone.
        for clinic, name in ((a, "A1"), (a, "A2"), (b, "B1")):
            create_therapist(clinic, name=name, is_published=False)
        db.session.commit()
        scopes = (a.id, b.id, None)  # clinic A, clinic B, and the public in between
        expected = {a.id: ["A1", "A2"], b.id: ["B1"], None: []}
    backends = set()
    for number in range(500):
        clinic_id = scopes[number % 3]
        with app.app_context():
            if clinic_id is not None:
                enter_clinic(clinic_id)
            names = rows("SELECT name FROM therapists ORDER BY name")
            backends.add(db.session.scalar(sa.text("SELECT pg_backend_pid()")))
            assert names == expected[clinic_id], f"request {number} for clinic {clinic_id}"
    assert len(backends) == 1


def test_a_transaction_local_setting_ends_with_its_transaction(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    read = sa.text("SELECT pg_backend_pid(), current_setting('app.clinic_id', true)")
    with app.app_context():
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT set_config('app.clinic_id', '7', true)"))
            pid, inside = connection.execute(read).one()
            connection.commit()
            same_connection = connection.execute(read).one()
        next_checkout = db.engine.connect()
        with next_checkout:
            pooled = next_checkout.execute(read).one()
    assert inside == "7"
    assert same_connection == (pid, "")
    assert pooled == (pid, "")


def test_a_clinic_entered_in_one_app_context_is_gone_in_the_next(make_app):
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    read = sa.text(
        "SELECT pg_backend_pid(), current_setting('app.clinic_id', true),"
        " current_setting('app.all_clinics', true)"
    )
    with app.app_context():
        enter_clinic(41)
        first = db.session.execute(read).one()
        db.session.commit()
        act_for_all_clinics()
        second = db.session.execute(read).one()
    with app.app_context():
        third = db.session.execute(read).one()
    assert first[1:] == ("41", "off")
    assert second[1:] == ("41", "on")
    assert third == (first[0], "", "off")


def test_public_pages_read_through_the_public_policies(world, client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"<strong>2</strong> therapists listed" in response.data


def test_create_app_role_is_idempotent_and_refuses_the_owner(app, runner):
    name = f"directory_app_{uuid.uuid4().hex[:12]}"
    owner_url = app.config["DATABASE_OWNER_URL"]
    try:
        created = runner.invoke(args=["db-roles", "create-app-role", name, "--password", "pw"])
        updated = runner.invoke(args=["db-roles", "create-app-role", name])
        role = db.session.execute(
            sa.text(
                "SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole,"
                " has_table_privilege(rolname, 'therapists', 'SELECT, INSERT, UPDATE, DELETE'),"
                " has_table_privilege(rolname, 'moderation_audit', 'INSERT'),"
                " has_table_privilege(rolname, 'moderation_audit', 'UPDATE'),"
                " has_table_privilege(rolname, 'moderation_audit', 'DELETE')"
                " FROM pg_roles WHERE rolname = :name"
            ),
            {"name": name},
        ).one()
    finally:
        support.drop_role(owner_url, name)
    owner = sa.engine.make_url(owner_url).username
    refused = runner.invoke(args=["db-roles", "create-app-role", owner])

    assert created.exit_code == 0 and f"Created role {name}" in created.output
    assert updated.exit_code == 0 and f"Updated role {name}" in updated.output
    assert tuple(role) == (True, False, False, False, False, True, True, False, False)
    assert refused.exit_code != 0 and "owner" in refused.output


def test_the_app_role_may_not_touch_the_migration_version(app):
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = version_num"))
    db.session.rollback()


def test_migrations_run_as_the_owner_while_the_app_runs_as_its_role(app):
    """Only the owner may drop and create policies: this round trip would fail as the app role."""
    policies = sa.text("SELECT count(*) FROM pg_policy")
    before = db.session.scalar(policies)
    db.session.remove()  # end the read transaction, or the downgrade waits for its locks
    downgrade(revision="0003_append_only_audit")
    assert db.session.scalar(policies) == 0
    db.session.remove()
    upgrade()
    assert db.session.scalar(policies) == before == 57
