"""The request layer for platform staff: one decorator for every /moderation route.

Anonymous visitors are sent to sign in.  A signed-in user who is not a moderator gets 404,
as for a clinic that is not theirs: the console's pages are not theirs to know about, and
the answer does not tell an attacker which accounts are worth taking over.  A moderator's
request then acts for all clinics (`act_for_all_clinics`), which lifts the ORM filter and,
on PostgreSQL, row-level security, so pending and other clinics' private rows are visible.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from directory.core.tenancy import act_for_all_clinics


def moderator_route(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapper(**kwargs):
        if not current_user.is_moderator:
            abort(404)
        act_for_all_clinics()
        return view(**kwargs)

    wrapper.moderator_only = True
    return wrapper
