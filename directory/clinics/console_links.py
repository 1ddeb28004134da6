"""The way into a member's console: the one place that decides where "Your clinics" leads.

A member of one clinic goes straight to its dashboard; a member of several, to the list
of their clinics; anyone else has no console.  The header link, the landing after sign-in
and `/manage/` all follow this rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for

from directory.accounts.models import User
from directory.clinics.services import clinics_of


def member_clinic_slugs(user: User) -> list[str]:
    """The slugs of the active clinics `user` is on the team of, by clinic name."""
    return [clinic.slug for clinic, _role in clinics_of(user)]


def console_url(clinic_slugs: Sequence[str]) -> str | None:
    """Where "Your clinics" leads for a member of these clinics; None for nobody's member."""
    if not clinic_slugs:
        return None
    if len(clinic_slugs) == 1:
        return url_for("clinics.dashboard_page", clinic_slug=clinic_slugs[0])
    return url_for("clinics.my_clinics")
