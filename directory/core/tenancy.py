"""Tenancy below the request layer: the ORM filter and PostgreSQL row-level security.

The request layer (clinics.access) resolves the clinic from the URL and calls
`enter_clinic`; from then on two independent layers follow the same scope:

- ORM: `do_orm_execute` adds `clinic_id = <clinic>` to every SELECT of a tenant-owned
  model, including lazy loads and relationships.  A single query that reads across
  clinics on purpose says so with `execution_options(**ALL_CLINICS)`; that option is the
  ORM's only, so one careless query cannot switch off the database's check as well.
- PostgreSQL: every transaction starts with `set_config(..., true)` of `app.clinic_id`,
  `app.all_clinics` and `app.user_id` (transaction-local, so a pooled connection never
  carries a value into the next transaction), and the row-level security policies of
  migration 0004 compare rows with them.  Without a clinic the database shows only what
  the public may see, plus the signed-in user's own memberships.

The privileged path, `act_for_all_clinics()` (or the `for_all_clinics()` block), lifts
both layers for the rest of the app context: platform staff views, CLI commands, demo
data and cross-clinic jobs call it.  `enter_clinic` narrows again to one clinic;
`current_scope()` and `restore_scope()` save and put back a scope.

Celery tasks do not act for all clinics by default.  Each task runs in a fresh app
context (see extensions.celery_init_app), so it inherits no scope, and it declares the
one it needs: `enter_clinic(id)` for one clinic's work, `act_for_all_clinics()` for
platform work such as reindexing or expiring accreditations (workers/indexing.py).  A
task that declares nothing sees what the public sees, so a forgotten declaration fails
closed (no rows, or a refused write that is retried and logged) instead of open; the
email and outbox tasks touch no tenant table and need nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, with_loader_criteria

from directory.core.models import TenantMixin
from directory.extensions import db

# Pass as `execution_options(**ALL_CLINICS)` to read across clinics on purpose (ORM only).
ALL_CLINICS = {"all_clinics": True}

# One round trip sets all three, always, so no value survives from an earlier scope.
_SET_TRANSACTION_SETTINGS = sa.text(
    "SELECT set_config('app.clinic_id', :clinic_id, true),"
    " set_config('app.all_clinics', :all_clinics, true),"
    " set_config('app.user_id', :user_id, true)"
)
# session.info key: (connection of the open transaction, settings it carries or None).
_APPLIED = "tenancy_settings"


@dataclass(frozen=True)
class Scope:
    """Whose rows an app context acts on: one clinic, all clinics, or neither (the public)."""

    clinic_id: int | None = None
    all_clinics: bool = False


PUBLIC_SCOPE = Scope()


def enter_clinic(clinic_id: int) -> None:
    """Scope the rest of this app context to one clinic, leaving the privileged path.

    Applies at once to the session's open transaction, if any.
    """
    restore_scope(Scope(clinic_id=clinic_id))


def act_for_all_clinics() -> None:
    """The explicitly privileged path: platform work across clinics (moderation, reindexing,
    demo data).  Only platform staff views, workers and CLI commands call this.

    Applies at once to the session's open transaction, if any.
    """
    restore_scope(Scope(clinic_id=current_clinic_id(), all_clinics=True))


@contextmanager
def for_all_clinics() -> Iterator[None]:
    """Act for all clinics inside the block only, then return to the scope before it."""
    previous = current_scope()
    act_for_all_clinics()
    try:
        yield
    finally:
        restore_scope(previous)


def current_scope() -> Scope:
    return Scope(current_clinic_id(), acting_for_all_clinics())


def restore_scope(scope: Scope) -> None:
    """Make `scope` this app context's scope (as `current_scope()` returned it, or
    PUBLIC_SCOPE); applies at once to the session's open transaction, if any."""
    g.clinic_id, g.all_clinics = scope.clinic_id, scope.all_clinics
    _apply_to_open_transaction()


def current_clinic_id() -> int | None:
    return g.get("clinic_id") if has_app_context() else None


def acting_for_all_clinics() -> bool:
    return bool(g.get("all_clinics")) if has_app_context() else False


def transaction_settings() -> dict[str, str]:
    """The values of app.clinic_id, app.all_clinics and app.user_id for this app context
    ('' where there is none: the policies read '' as "no such value")."""
    clinic_id = current_clinic_id()
    user_id = signed_in_user_id()
    return {
        "clinic_id": "" if clinic_id is None else str(clinic_id),
        "all_clinics": "on" if acting_for_all_clinics() else "off",
        "user_id": user_id or "",
    }


def signed_in_user_id() -> str | None:
    """The id of the request's signed-in user, if flask_login has loaded it already.

    Never loads anything: this runs inside session events, where a query of the session
    is not allowed, and for every log record (core.logs).  So it neither resolves
    `current_user` (flask_login keeps the request's user in `g._login_user` once resolved;
    a transaction that began before that catches up at its next statement, see
    `_keep_settings_current`) nor reads the user's attributes, which a commit may have
    expired: the id comes from the identity key.  The anonymous user is not mapped and
    has none.
    """
    if not has_request_context():
        return None
    state = sa.inspect(g.get("_login_user"), raiseerr=False)
    if state is None or state.identity is None:
        return None
    return str(state.identity[0])


def _limit_to_current_clinic(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("all_clinics"):
        return
    if acting_for_all_clinics():
        return
    clinic_id = current_clinic_id()
    if clinic_id is None:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantMixin,
            lambda cls: cls.clinic_id == clinic_id,
            include_aliases=True,
        )
    )


def install_tenant_filter(session_class: type[Session]) -> None:
    if not event.contains(session_class, "do_orm_execute", _limit_to_current_clinic):
        event.listen(session_class, "do_orm_execute", _limit_to_current_clinic)


def _apply(session: Session, connection: sa.Connection, settings: dict[str, str]) -> None:
    connection.execute(_SET_TRANSACTION_SETTINGS, settings)
    session.info[_APPLIED] = (connection, settings)


def _set_on_begin(
    session: Session, transaction: SessionTransaction, connection: sa.Connection
) -> None:
    """Every PostgreSQL transaction of the session starts with this app context's settings.

    A savepoint inherits its transaction's values, so it needs nothing.
    """
    if connection.dialect.name == "postgresql" and not transaction.nested:
        _apply(session, connection, transaction_settings())


def _forget_on_end(session: Session, transaction: SessionTransaction) -> None:
    """The transaction's values die with it; a rolled-back savepoint may restore older
    ones, so after any savepoint the next statement sets them again."""
    applied = session.info.get(_APPLIED)
    if applied is None:
        return
    if transaction.parent is None:
        del session.info[_APPLIED]
    elif transaction.nested:
        session.info[_APPLIED] = (applied[0], None)


def _refresh(session: Session) -> None:
    """Set the values again on the open transaction if they changed since it began."""
    applied = session.info.get(_APPLIED)
    if applied is None:
        return
    connection, settings = applied
    wanted = transaction_settings()
    if wanted != settings:
        _apply(session, connection, wanted)


def _keep_settings_current(state: ORMExecuteState) -> None:
    """Catch up before a statement when the scope changed mid-transaction (typically: the
    signed-in user was loaded by the transaction's first query)."""
    _refresh(state.session)


def _apply_to_open_transaction() -> None:
    _refresh(db.session())


def install_row_level_security(session_class: type[Session]) -> None:
    """Keep PostgreSQL's per-transaction tenancy settings in step with the app context.

    One round trip when a transaction begins, another only if the scope changes while it
    is open; nothing at all on SQLite.
    """
    for name, listener in (
        ("after_begin", _set_on_begin),
        ("after_transaction_end", _forget_on_end),
        ("do_orm_execute", _keep_settings_current),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def tenant_models(metadata_registry) -> list[type]:
    """Every mapped class that is tenant-owned (the tests check each has RLS and clinic_id)."""
    return [
        mapper.class_
        for mapper in metadata_registry.mappers
        if issubclass(mapper.class_, TenantMixin)
    ]
