"""The clinic console's therapist pages: profiles, publishing and credentials."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for

from directory.clinics.access import clinic_route, owned_or_404
from directory.clinics.permissions import Permission, role_can
from directory.extensions import db
from directory.taxonomy.models import CredentialType
from directory.therapists import queries, services
from directory.therapists.forms import AccreditationForm, TherapistForm
from directory.therapists.models import Accreditation, Therapist

bp = Blueprint("manage_therapists", __name__, url_prefix="/manage/<clinic_slug>/therapists")


def therapist_form(clinic, **kwargs) -> TherapistForm:
    form = TherapistForm(**kwargs)
    form.fill_choices(
        queries.all_modalities(),
        queries.all_conditions(),
        queries.all_languages(),
        currency=clinic.currency,
    )
    return form


def accreditation_form(**kwargs) -> AccreditationForm:
    form = AccreditationForm(**kwargs)
    form.fill_choices(db.session.scalars(sa.select(CredentialType).order_by(CredentialType.code)))
    return form


def profile_from(form: TherapistForm) -> services.TherapistProfile:
    return services.TherapistProfile(
        name=form.name.data,
        headline=form.headline.data or "",
        bio=form.bio.data or "",
        years_experience=form.years_experience.data,
        price_min=form.price_min.data,
        price_max=form.price_max.data,
        currency=form.currency.data,
        session_minutes=form.session_minutes.data,
        accepting_new_clients=form.accepting_new_clients.data,
        does_not_treat=form.does_not_treat.data or "",
        booking_url=form.booking_url.data or "",
        phone=form.phone.data or "",
        modality_ids=form.modalities.data or [],
        condition_ids=form.conditions.data or [],
        language_codes=form.languages.data or [],
    )


def credential_from(form: AccreditationForm) -> services.CredentialDetails:
    return services.CredentialDetails(
        credential_type_id=form.credential_type_id.data,
        issuing_body=form.issuing_body.data,
        number=form.number.data,
        issued_on=form.issued_on.data,
        expires_on=form.expires_on.data,
        register_url=form.register_url.data or "",
    )


def to_list(clinic):
    return redirect(url_for("manage_therapists.index", clinic_slug=clinic.slug))


def to_edit(therapist):
    return redirect(
        url_for(
            "manage_therapists.edit", clinic_slug=therapist.clinic.slug, therapist_id=therapist.id
        )
    )


@bp.get("")
@clinic_route(Permission.VIEW_CONSOLE)
def index(clinic, membership):
    return render_template(
        "therapists/manage_list.html",
        clinic=clinic,
        therapists=queries.therapists_for_console(clinic),
        can_manage=role_can(membership.role, Permission.MANAGE_THERAPISTS),
    )


@bp.route("/new", methods=["GET", "POST"])
@clinic_route(Permission.MANAGE_THERAPISTS)
def new(clinic, membership):
    form = therapist_form(clinic)
    if form.validate_on_submit():
        therapist = services.create_therapist(clinic, profile_from(form))
        db.session.commit()
        flash(
            f"{therapist.name} is saved as a draft. Publish when the profile is ready.", "success"
        )
        return to_edit(therapist)
    status = 422 if form.errors else 200
    return render_template(
        "therapists/manage_form.html", clinic=clinic, form=form, therapist=None
    ), status


@bp.route("/<int:therapist_id>/edit", methods=["GET", "POST"])
@clinic_route(Permission.MANAGE_THERAPISTS)
def edit(clinic, membership, therapist_id: int):
    therapist = owned_or_404(Therapist, therapist_id, clinic)
    if therapist.deleted_at is not None:
        return to_list(clinic)
    form = therapist_form(clinic, obj=therapist)
    if request.method == "GET":
        form.modalities.data = [m.id for m in therapist.modalities]
        form.conditions.data = [c.id for c in therapist.conditions]
        form.languages.data = [lang.code for lang in therapist.languages]
    if form.validate_on_submit():
        services.update_therapist(therapist, profile_from(form))
        db.session.commit()
        flash("The profile is saved.", "success")
        return to_edit(therapist)
    status = 422 if form.errors else 200
    return render_template(
        "therapists/manage_form.html", clinic=clinic, form=form, therapist=therapist
    ), status


@bp.post("/<int:therapist_id>/publish")
@clinic_route(Permission.MANAGE_THERAPISTS)
def publish(clinic, membership, therapist_id: int):
    therapist = owned_or_404(Therapist, therapist_id, clinic)
    if therapist.deleted_at is None:
        services.publish(therapist)
        db.session.commit()
        flash(f"{therapist.name} is now listed in the directory.", "success")
    return to_edit(therapist)


@bp.post("/<int:therapist_id>/unpublish")
@clinic_route(Permission.MANAGE_THERAPISTS)
def unpublish(clinic, membership, therapist_id: int):
    therapist = owned_or_404(Therapist, therapist_id, clinic)
    services.unpublish(therapist)
    db.session.commit()
    flash(f"{therapist.name} is hidden from the directory.", "success")
    return to_edit(therapist)


@bp.post("/<int:therapist_id>/delete")
@clinic_route(Permission.MANAGE_THERAPISTS)
def delete(clinic, membership, therapist_id: int):
    therapist = owned_or_404(Therapist, therapist_id, clinic)
    services.delete_therapist(therapist)
    db.session.commit()
    flash(f"{therapist.name} is deleted. Their reviews stay in our records.", "success")
    return to_list(clinic)


@bp.route("/<int:therapist_id>/accreditations/new", methods=["GET", "POST"])
@clinic_route(Permission.MANAGE_ACCREDITATIONS)
def new_accreditation(clinic, membership, therapist_id: int):
    therapist = owned_or_404(Therapist, therapist_id, clinic)
    form = accreditation_form()
    if form.validate_on_submit():
        services.add_accreditation(therapist, credential_from(form))
        db.session.commit()
        flash(
            "The credential is saved as a draft. Submit it for verification when ready.", "success"
        )
        return to_edit(therapist)
    status = 422 if form.errors else 200
    return render_template(
        "therapists/accreditation_form.html",
        clinic=clinic,
        therapist=therapist,
        form=form,
        accreditation=None,
    ), status


@bp.route("/accreditations/<int:accreditation_id>/edit", methods=["GET", "POST"])
@clinic_route(Permission.MANAGE_ACCREDITATIONS)
def edit_accreditation(clinic, membership, accreditation_id: int):
    accreditation = owned_or_404(Accreditation, accreditation_id, clinic)
    form = accreditation_form(obj=accreditation)
    if form.validate_on_submit():
        services.update_accreditation(accreditation, credential_from(form))
        db.session.commit()
        flash("The credential is saved.", "success")
        return to_edit(accreditation.therapist)
    status = 422 if form.errors else 200
    return render_template(
        "therapists/accreditation_form.html",
        clinic=clinic,
        therapist=accreditation.therapist,
        form=form,
        accreditation=accreditation,
    ), status


@bp.post("/accreditations/<int:accreditation_id>/submit")
@clinic_route(Permission.MANAGE_ACCREDITATIONS)
def submit_accreditation(clinic, membership, accreditation_id: int):
    accreditation = owned_or_404(Accreditation, accreditation_id, clinic)
    try:
        services.submit_accreditation(accreditation)
    except services.NotAllowed as problem:
        flash(str(problem), "error")
        return to_edit(accreditation.therapist)
    db.session.commit()
    flash("Submitted. A moderator will check it against the issuer's register.", "success")
    return to_edit(accreditation.therapist)


@bp.post("/accreditations/<int:accreditation_id>/delete")
@clinic_route(Permission.MANAGE_ACCREDITATIONS)
def delete_accreditation(clinic, membership, accreditation_id: int):
    accreditation = owned_or_404(Accreditation, accreditation_id, clinic)
    therapist = accreditation.therapist
    services.remove_accreditation(accreditation)
    db.session.commit()
    flash("The credential is removed.", "success")
    return to_edit(therapist)
