"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory.public import queries

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template(
        "public/home.html",
        counts=queries.platform_counts(),
        featured=queries.featured_therapists(),
        modalities=queries.modalities(),
        conditions=queries.conditions(),
    )
