"""The console page "Show your reviews on your website": snippets with a live preview."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory.clinics.access import clinic_route
from directory.clinics.permissions import Permission
from directory.embeds.snippets import snippets_for
from directory.therapists.queries import published_therapists_of

bp = Blueprint("manage_embeds", __name__)


@bp.get("/manage/<clinic_slug>/website")
@clinic_route(Permission.VIEW_CONSOLE)
def website(clinic, membership):
    # Only listed therapists: an unlisted one's embed answers 404, as its profile does.
    therapists = published_therapists_of(clinic)
    return render_template(
        "embeds/manage.html",
        clinic=clinic,
        clinic_snippets=snippets_for("clinic", clinic.name, clinic.slug),
        therapist_snippets=[snippets_for("therapist", t.name, t.slug) for t in therapists],
    )
