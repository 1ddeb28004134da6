"""Embed pages and badges: reviews shown on a clinic's own website.

`/embed/...` pages are the only ones another site may frame, and they set no cookie
(core.embedding, core.security).  Each answer is cacheable by anyone for EMBED_MAX_AGE,
with an ETag of its bytes: a published or removed review shows within that time, and
a reader's cache asks again cheaply after it (docs/caching.md, "Embed pages").
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, make_response, render_template, request

from directory.core.urls import external_url
from directory.embeds import badge, queries

bp = Blueprint("embeds", __name__, url_prefix="/embed")

EMBED_MAX_AGE = 60
PUBLIC_PAGES = {"clinic": "public_clinics.page", "therapist": "public_profiles.profile"}


@bp.get("/clinics/<slug>")
def clinic(slug: str):
    return _page(queries.clinic_embed(slug))


@bp.get("/therapists/<slug>")
def therapist(slug: str):
    return _page(queries.therapist_embed(slug))


@bp.get("/clinics/<slug>/badge.svg")
def clinic_badge(slug: str):
    return _badge(queries.clinic_embed(slug, with_reviews=False))


@bp.get("/therapists/<slug>/badge.svg")
def therapist_badge(slug: str):
    return _badge(queries.therapist_embed(slug, with_reviews=False))


def _page(embed: queries.Embed | None) -> Response:
    if embed is None:
        abort(404)
    body = render_template(
        "embeds/page.html",
        embed=embed,
        public_url=external_url(PUBLIC_PAGES[embed.kind], slug=embed.slug),
        how_reviews_url=external_url("public.how_reviews_work"),
        stars=badge.stars_for(embed.rating),
    )
    return _cacheable(body, "text/html")


def _badge(embed: queries.Embed | None) -> Response:
    if embed is None:
        abort(404)
    body = render_template(
        "embeds/badge.svg",
        embed=embed,
        stars=badge.stars_for(embed.rating),
        badge=badge,
    )
    return _cacheable(body, "image/svg+xml")


def _cacheable(body: str, mimetype: str) -> Response:
    """Public for EMBED_MAX_AGE, with an ETag of the bytes (a 304 when they match)."""
    response = make_response(body)
    response.mimetype = mimetype
    response.cache_control.public = True
    response.cache_control.max_age = EMBED_MAX_AGE
    response.vary.add("Accept-Language")  # numbers and dates follow the reader's locale
    response.add_etag()
    return response.make_conditional(request)
