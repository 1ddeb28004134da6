"""The request layer of tenancy: one decorator for every /manage/<clinic_slug>/ route.

It resolves the clinic from the URL, scopes the request to it (ORM criteria and the
database's row-level security follow), checks the signed-in user's membership and role,
and hands the view the clinic and membership.  A clinic the user does not belong to
answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user, login_required

from directory.clinics.models import Clinic, Membership
from directory.clinics.permissions import Permission, role_can
from directory.core.tenancy import enter_clinic
from directory.extensions import db


def clinic_by_slug(slug: str) -> Clinic | None:
    return db.session.scalar(
        sa.select(Clinic).where(Clinic.slug == slug, Clinic.is_active.is_(True))
    )


def membership_in(clinic_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.clinic_id == clinic_id, Membership.user_id == user_id
        )
    )


def clinic_route(permission: Permission) -> Callable:
    """Load the clinic from `clinic_slug`, enter it, and require `permission`.

    The wrapped view receives `clinic` and `membership` instead of `clinic_slug`.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(clinic_slug: str, **kwargs):
            clinic = clinic_by_slug(clinic_slug)
            if clinic is None:
                abort(404)
            enter_clinic(clinic.id)
            membership = membership_in(clinic.id, current_user.id)
            if membership is None:
                abort(404)
            if not role_can(membership.role, permission):
                abort(403)
            g.clinic, g.membership = clinic, membership
            return view(clinic=clinic, membership=membership, **kwargs)

        wrapper.clinic_permission = permission
        return wrapper

    return decorator


def owned_or_404(model: type, object_id: int, clinic: Clinic):
    """The clinic's row of `model` with this id; 404 for another clinic's or a missing one."""
    found = db.session.scalar(
        sa.select(model).where(model.id == object_id, model.clinic_id == clinic.id)
    )
    if found is None:
        abort(404)
    return found
