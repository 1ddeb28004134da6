"""Comparing therapists: the compare page and the forms that keep the visitor's list.

The add / remove / clear forms work without JavaScript (post, change the list in the
session, redirect back).  static/js/compare.js posts the same forms with
`Accept: application/json` and gets the re-rendered control and header link instead of a
redirect, so the page updates in place.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from directory.core.errors import BadParameter
from directory.core.urls import same_site_path
from directory.public import compare, compare_tray
from directory.public.compare_tray import Added
from directory.public.visitor_parts import COMPARE_MACROS
from directory.therapists.queries import listed_therapist

bp = Blueprint("compare", __name__)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def posted_slug() -> str:
    slug = request.form.get("slug", "").strip().lower()
    if not slug:
        raise BadParameter("slug", "Choose a therapist to compare.")
    return slug


def answer(slug: str, name: str, message: str, category: str):
    """Back to where the form was (or the list), or, for compare.js, the new controls."""
    back = same_site_path(request.form.get("next"))
    if wants_json():
        tray = compare_tray.current_tray()
        toggle = get_template_attribute(COMPARE_MACROS, "compare_toggle")
        tray_link = get_template_attribute(COMPARE_MACROS, "compare_tray_link")
        return jsonify(
            slug=slug,
            in_comparison=slug in tray,
            count=tray.count,
            compare_url=tray.url,
            message=message,
            category=category,
            toggle=str(toggle(slug, name, next=back or "")) if name else "",
            tray=str(tray_link(tray)),
        )
    flash(message, category)
    return redirect(back or compare_tray.current_tray().url, code=303)


@bp.get("/compare")
def page():
    slugs = compare.requested_slugs(request.args.getlist("t"))
    near_text = request.args.get("near", "").strip()
    tray = compare_tray.current_tray()
    if not slugs and tray.count:
        return redirect(url_for("compare.page", t=list(tray.slugs), near=near_text or None))
    near = compare.near_place(near_text)
    try:
        found = compare.comparison(slugs, near)
    except compare.NotListed as missing:
        # Most often a therapist on the visitor's list was unlisted since it was added.
        compare_tray.remove(missing.slug)
        abort(404, f"No listed therapist has the address {missing.slug[:60]!r}.")
    response = render_template(
        "public/compare.html",
        comparison=found,
        near_text=near_text,
        max_compared=compare.MAX_COMPARED,
    )
    # Every combination of therapists is a page; none of them belongs in a search index.
    return response, 200, {"X-Robots-Tag": "noindex"}


@bp.post("/compare/add")
def add():
    therapist = listed_therapist(posted_slug())
    if therapist is None:
        abort(404)
    outcome = compare_tray.add(therapist.slug)
    if outcome is Added.FULL:
        message = (
            f"You can compare up to {compare.MAX_COMPARED} therapists at a time. "
            f"Remove one before adding {therapist.name}."
        )
        return answer(therapist.slug, therapist.name, message, "error")
    count = compare_tray.current_tray().count
    if outcome is Added.ALREADY:
        message = f"{therapist.name} is already on your compare list."
    elif count < compare.MIN_COMPARED:
        message = f"{therapist.name} is on your compare list. Add one more to compare."
    else:
        message = f"{therapist.name} is on your compare list ({count} therapists)."
    return answer(therapist.slug, therapist.name, message, "success")


@bp.post("/compare/remove")
def remove():
    slug = posted_slug()
    # An unlisted therapist can still be taken off the list, under its slug.
    therapist = listed_therapist(slug)
    name = therapist.name if therapist else ""
    compare_tray.remove(slug)
    message = f"{name or 'That therapist'} is off your compare list."
    return answer(slug, name, message, "info")


@bp.post("/compare/clear")
def clear():
    compare_tray.clear()
    flash("Your compare list is empty.", "info")
    return redirect(same_site_path(request.form.get("next")) or url_for("compare.page"), code=303)
