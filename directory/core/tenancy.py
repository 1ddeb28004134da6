"""Tenancy at the ORM layer: inside a clinic request every query sees only that clinic.

The request layer (clinics.access) resolves the clinic from the URL and calls
`enter_clinic`; from then on `do_orm_execute` adds `clinic_id = <clinic>` to every SELECT
of a tenant-owned model, including lazy loads and relationships.  A cross-clinic query
(a platform job, the moderators' queues) says so explicitly with `ALL_CLINICS`.
"""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from directory.core.models import TenantMixin

# Pass as `execution_options(**ALL_CLINICS)` to read across clinics on purpose.
ALL_CLINICS = {"all_clinics": True}


def enter_clinic(clinic_id: int) -> None:
    """Scope the rest of this app context to one clinic."""
    g.clinic_id = clinic_id


def act_for_all_clinics() -> None:
    """The explicitly privileged path: platform work across clinics (moderation, reindexing,
    demo data).  Only platform staff views, workers and CLI commands call this."""
    g.all_clinics = True


def current_clinic_id() -> int | None:
    return g.get("clinic_id") if has_app_context() else None


def acting_for_all_clinics() -> bool:
    return bool(g.get("all_clinics")) if has_app_context() else False


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


def tenant_models(metadata_registry) -> list[type]:
    """Every mapped class that is tenant-owned (used by tests and the RLS migration)."""
    return [
        mapper.class_
        for mapper in metadata_registry.mappers
        if issubclass(mapper.class_, TenantMixin)
    ]
