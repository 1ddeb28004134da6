"""The moderation console (/moderation, moderators only) and the reviewer's appeal page.

Each view: load (404 if absent) -> moderator_route authorizes -> validate the form ->
call a service -> commit -> redirect.  A decision on something another moderator decided
first answers 409 with the reason, never a 500.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields import SelectChoice

from directory.core import jobs, outbox
from directory.core.outbox import OutboxMessage
from directory.core.pagination import Page, page_number
from directory.core.tokens import InvalidToken
from directory.extensions import db, limiter
from directory.moderation import queries, services
from directory.moderation.access import moderator_route
from directory.moderation.forms import (
    AccreditationRejectForm,
    AppealForm,
    AuditFilterForm,
    FlagDecisionForm,
    ReasonForm,
)
from directory.moderation.models import AuditEntry
from directory.moderation.reasons import REASON_LABELS
from directory.moderation.risk import signals_for
from directory.reviews.models import Review, ReviewFlag
from directory.therapists.models import Accreditation

# No url_prefix: the console's rules all start with /moderation, and the reviewer's
# public appeal page lives next to the other review links under /reviews.
bp = Blueprint("moderation", __name__)

PER_PAGE = 20

LINK_PROBLEMS = {
    "expired": "This appeal link has expired. Reply to the email if you still want to appeal.",
    "invalid": "This appeal link is not valid. Please use the link from your email as it is.",
}


def get_or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def conflict(problem: services.Conflict):
    db.session.rollback()
    abort(409, str(problem))


@bp.app_context_processor
def reason_labels():
    return {"reason_labels": REASON_LABELS}


@bp.get("/moderation/")
@moderator_route
def queue():
    number = page_number()
    rows, total = queries.pending_reviews((number - 1) * PER_PAGE, PER_PAGE)
    reviews = [review for review, _, _ in rows]
    return render_template(
        "moderation/queue.html",
        page=Page(items=rows, number=number, per_page=PER_PAGE, total=total),
        signals=signals_for(reviews),
        appeals=queries.appeal_messages([r.id for r in reviews if r.is_appeal]),
        form=ReasonForm(),
    )


def render_review(review: Review, form: ReasonForm | None = None, status: int = 200):
    history = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.subject_type == "review", AuditEntry.subject_id == review.id)
        .order_by(AuditEntry.id.desc())
    ).all()
    flags = db.session.scalars(
        sa.select(ReviewFlag).where(ReviewFlag.review_id == review.id).order_by(ReviewFlag.id)
    ).all()
    return render_template(
        "moderation/review.html",
        review=review,
        signals=signals_for([review])[review.id],
        appeals=queries.appeal_messages([review.id]),
        history=history,
        flags=flags,
        form=form or ReasonForm(),
    ), status


@bp.get("/moderation/reviews/<int:review_id>")
@moderator_route
def review_detail(review_id: int):
    return render_review(get_or_404(Review, review_id))


@bp.post("/moderation/reviews/<int:review_id>/approve")
@moderator_route
def approve(review_id: int):
    review = get_or_404(Review, review_id)
    try:
        services.approve(review, current_user)
    except services.Conflict as problem:
        conflict(problem)
    db.session.commit()
    flash(f"Published review #{review.id}; the reviewer has been told.", "success")
    return redirect(url_for("moderation.queue"))


def decide_with_reason(review_id: int, decision, done: str, target: str):
    review = get_or_404(Review, review_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            decision(review, current_user, form.reason.data, form.note.data or "")
        except services.Conflict as problem:
            conflict(problem)
        except services.DecisionRefused as refusal:
            getattr(form, refusal.field).errors.append(refusal.message)
        else:
            db.session.commit()
            flash(done.format(id=review.id), "success")
            return redirect(url_for(target))
    return render_review(review, form, 422)


@bp.post("/moderation/reviews/<int:review_id>/reject")
@moderator_route
def reject(review_id: int):
    return decide_with_reason(
        review_id,
        services.reject,
        "Rejected review #{id}; the reviewer has the reason and may appeal once.",
        "moderation.queue",
    )


@bp.post("/moderation/reviews/<int:review_id>/unpublish")
@moderator_route
def unpublish(review_id: int):
    return decide_with_reason(
        review_id,
        services.unpublish,
        "Removed review #{id} from the site; the reviewer has been told why.",
        "moderation.flags",
    )


def render_flags(forms: dict | None = None, status: int = 200):
    number = page_number()
    rows, total = queries.open_flags((number - 1) * PER_PAGE, PER_PAGE)
    return render_template(
        "moderation/flags.html",
        page=Page(items=rows, number=number, per_page=PER_PAGE, total=total),
        forms=forms or {},
        blank=FlagDecisionForm(),
    ), status


@bp.get("/moderation/flags")
@moderator_route
def flags():
    return render_flags()


@bp.post("/moderation/flags/<int:flag_id>")
@moderator_route
def resolve_flag(flag_id: int):
    flag = get_or_404(ReviewFlag, flag_id)
    form = FlagDecisionForm()
    if form.validate_on_submit():
        uphold = form.decision.data == "uphold"
        try:
            services.resolve_flag(
                flag,
                current_user,
                uphold,
                form.reason.data if uphold else None,
                form.note.data or "",
            )
        except services.Conflict as problem:
            conflict(problem)
        db.session.commit()
        flash(
            "Flag upheld: the review is removed." if uphold else "Flag dismissed.",
            "success",
        )
        return redirect(url_for("moderation.flags"))
    return render_flags({flag.id: form}, 422)


def render_accreditations(forms: dict | None = None, status: int = 200):
    number = page_number()
    rows, total = queries.submitted_accreditations((number - 1) * PER_PAGE, PER_PAGE)
    return render_template(
        "moderation/accreditations.html",
        page=Page(items=rows, number=number, per_page=PER_PAGE, total=total),
        forms=forms or {},
    ), status


@bp.get("/moderation/accreditations")
@moderator_route
def accreditations():
    return render_accreditations()


@bp.post("/moderation/accreditations/<int:accreditation_id>/verify")
@moderator_route
def verify_accreditation(accreditation_id: int):
    accreditation = get_or_404(Accreditation, accreditation_id)
    try:
        services.verify_accreditation(accreditation, current_user)
    except services.Conflict as problem:
        conflict(problem)
    db.session.commit()
    flash("Credential verified; the badge shows on the profile.", "success")
    return redirect(url_for("moderation.accreditations"))


@bp.post("/moderation/accreditations/<int:accreditation_id>/reject")
@moderator_route
def reject_accreditation(accreditation_id: int):
    accreditation = get_or_404(Accreditation, accreditation_id)
    form = AccreditationRejectForm()
    if form.validate_on_submit():
        try:
            services.reject_accreditation(accreditation, current_user, form.note.data)
        except services.Conflict as problem:
            conflict(problem)
        db.session.commit()
        flash("Credential rejected; the clinic sees your note.", "success")
        return redirect(url_for("moderation.accreditations"))
    return render_accreditations({accreditation.id: form}, 422)


@bp.get("/moderation/jobs")
@moderator_route
def jobs_page():
    return render_template("moderation/jobs.html", status=jobs.jobs_status())


@bp.post("/moderation/jobs/<int:message_id>/retry")
@moderator_route
def retry_job(message_id: int):
    get_or_404(OutboxMessage, message_id)
    if outbox.retry([message_id]):
        db.session.commit()
        flash(f"Job #{message_id} is queued again.", "success")
    else:
        flash(f"Job #{message_id} is not a dead letter; nothing to retry.", "info")
    return redirect(url_for("moderation.jobs_page"))


@bp.post("/moderation/jobs/retry-dead")
@moderator_route
def retry_dead_jobs():
    retried = outbox.retry(jobs.dead_letter_ids())
    db.session.commit()
    flash(f"{len(retried)} dead letter(s) queued again.", "success")
    return redirect(url_for("moderation.jobs_page"))


@bp.get("/moderation/audit")
@moderator_route
def audit():
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", "Any")] + [
        SelectChoice(action, action) for action in queries.AUDIT_ACTIONS
    ]
    if request.args and not form.validate():
        filters = queries.AuditFilter()
        status = 400
    else:
        filters = queries.AuditFilter(
            action=form.action.data or "",
            subject_type=form.subject_type.data or "",
            moderator=form.moderator.data or "",
            since=form.since.data,
            until=form.until.data,
        )
        status = 200
    number = page_number()
    rows, total = queries.audit_entries(filters, (number - 1) * PER_PAGE, PER_PAGE)
    arguments = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "moderation/audit.html",
        form=form,
        page=Page(items=rows, number=number, per_page=PER_PAGE, total=total),
        arguments=arguments,
    ), status


@bp.route("/reviews/appeal/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour")
def appeal(token: str):
    """The reviewer's one appeal of a rejection (the signed link from the email)."""
    try:
        review = services.review_for_appeal(token)
    except InvalidToken as problem:
        return render_template(
            "reviews/link_problem.html", message=LINK_PROBLEMS[problem.reason]
        ), 400
    except services.AppealRefused as refusal:
        return render_template("reviews/link_problem.html", message=str(refusal)), 409
    form = AppealForm()
    if form.validate_on_submit():
        try:
            services.appeal(token, form.message.data)
        except services.AppealRefused as refusal:
            db.session.rollback()
            return render_template("reviews/link_problem.html", message=str(refusal)), 409
        db.session.commit()
        return render_template("moderation/appeal_sent.html", review=review)
    status = 422 if form.errors else 200
    return render_template("moderation/appeal.html", review=review, form=form), status
