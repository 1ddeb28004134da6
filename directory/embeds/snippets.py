"""The HTML a clinic pastes into its own website to show its reviews."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import escape

from directory.core.urls import external_url
from directory.embeds import badge

# Endpoints by kind: (embed page, badge, public page the badge links to).
ENDPOINTS = {
    "clinic": ("embeds.clinic", "embeds.clinic_badge", "public_clinics.page"),
    "therapist": ("embeds.therapist", "embeds.therapist_badge", "public_profiles.profile"),
}
FRAME_HEIGHT = 500


@dataclass(frozen=True)
class Snippets:
    """One clinic's or therapist's snippets, and where the console previews them."""

    name: str
    preview_page: str  # same-site paths: the console frames its own embed pages
    preview_badge: str
    iframe_html: str
    badge_html: str


def snippets_for(kind: str, name: str, slug: str) -> Snippets:
    page, badge_endpoint, public = ENDPOINTS[kind]
    title = escape(f"Verified reviews of {name} on Therapist Directory")
    # Absolute on BASE_URL: the snippet runs on the clinic's site.
    iframe_html = (
        f'<iframe src="{external_url(page, slug=slug)}" title="{title}"'
        f' width="100%" height="{FRAME_HEIGHT}" loading="lazy"'
        ' style="border:0;max-width:520px"></iframe>'
    )
    badge_html = (
        f'<a href="{external_url(public, slug=slug)}" target="_blank" rel="noopener">'
        f'<img src="{external_url(badge_endpoint, slug=slug)}" alt="{title}"'
        f' width="{badge.WIDTH}" height="{badge.HEIGHT}"></a>'
    )
    return Snippets(
        name=name,
        preview_page=url_for(page, slug=slug),
        preview_badge=url_for(badge_endpoint, slug=slug),
        iframe_html=iframe_html,
        badge_html=badge_html,
    )
