"""Clinic pages: registration, the console home, opening hours and the team."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from directory.clinics import dashboard, hours, services
from directory.clinics.access import clinic_route, owned_or_404
from directory.clinics.console_links import console_url, member_clinic_slugs
from directory.clinics.forms import ClinicForm, ClosureForm, HoursForm, RoleForm, TeamInviteForm
from directory.clinics.models import Clinic, ClinicClosure, Membership, Role, TeamInvitation
from directory.clinics.opening_hours import WEEKDAYS, day_text
from directory.clinics.permissions import Permission, role_can
from directory.core.addresses import InvalidEmail
from directory.core.tokens import InvalidToken
from directory.extensions import db, limiter
from directory.places.queries import city_label

bp = Blueprint("clinics", __name__)


def details_from(form: ClinicForm) -> services.ClinicDetails:
    return services.ClinicDetails(
        name=form.name.data,
        website=form.website.data or "",
        booking_url=form.booking_url.data or "",
        phone=form.phone.data or "",
        email=form.email.data or "",
        address=form.address.data,
        postal_code=form.postal_code.data or "",
        city=form.found_city,
        description=form.description.data or "",
        latitude=form.latitude.data,
        longitude=form.longitude.data,
    )


def form_status(form) -> int:
    return 422 if form.errors else 200


@bp.route("/clinics/new", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if not current_user.is_authenticated:
        # "List your clinic" is most often a new owner's first visit: the account is
        # made on the way (the page says so), then registration brings them back here.
        return redirect(url_for("accounts.register", next=url_for("clinics.register")))
    if not current_user.email_verified:
        # A clinic's owner must be reachable, and no one lists a clinic in someone
        # else's name with an address they do not hold.
        return render_template("clinics/confirm_email_first.html"), 403
    form = ClinicForm()
    if form.validate_on_submit():
        try:
            clinic = services.register_clinic(current_user, details_from(form))
        except services.ClinicNameTaken:
            form.name.errors.append("A clinic with this name is already listed.")
        else:
            db.session.commit()
            flash(f"{clinic.name} is registered. Add your first therapist next.", "success")
            return redirect(url_for("clinics.dashboard_page", clinic_slug=clinic.slug))
    return render_template("clinics/register.html", form=form), form_status(form)


@bp.get("/manage")
@login_required
def my_clinics():
    return render_template("clinics/mine.html", clinics=services.clinics_of(current_user))


@bp.get("/signed-in")
@login_required
def landing():
    """Where signing in leads without a `next`: a clinic member to their console (or the
    list of their clinics), anyone else to the home page, as before."""
    return redirect(console_url(member_clinic_slugs(current_user)) or url_for("public.home"))


@bp.get("/manage/")
@login_required
def console_entry():
    """/manage/ as typed: straight to the member's console, or the list of their clinics
    (which invites someone on no team to register one)."""
    return redirect(console_url(member_clinic_slugs(current_user)) or url_for("clinics.my_clinics"))


@bp.get("/manage/<clinic_slug>/")
@clinic_route(Permission.VIEW_CONSOLE)
def dashboard_page(clinic, membership):
    return render_template(
        "clinics/dashboard.html",
        clinic=clinic,
        membership=membership,
        numbers=dashboard.numbers_for(clinic),
        can=lambda permission: role_can(membership.role, permission),
    )


@bp.route("/manage/<clinic_slug>/settings", methods=["GET", "POST"])
@clinic_route(Permission.EDIT_CLINIC)
def settings(clinic, membership):
    form = ClinicForm(obj=clinic)
    if not form.city.raw_data:
        # The clinic's `city` is a City row; the field holds its label, also when a POST
        # leaves the field out (other fields then keep the clinic's values too).
        form.city.data = city_label(clinic.city)
    if form.validate_on_submit():
        try:
            services.update_clinic(clinic, details_from(form))
        except services.ClinicNameTaken:
            form.name.errors.append("A clinic with this name is already listed.")
        else:
            db.session.commit()
            flash("The clinic's details are saved.", "success")
            return redirect(url_for("clinics.dashboard_page", clinic_slug=clinic.slug))
    return render_template("clinics/settings.html", form=form, clinic=clinic), form_status(form)


def render_hours(clinic, hours_form=None, closure_form=None, status: int = 200):
    if hours_form is None:
        week = hours.week_of(clinic)
        hours_form = HoursForm(
            formdata=None,
            data={name.lower(): day_text(day) for name, day in zip(WEEKDAYS, week, strict=True)},
        )
    page = render_template(
        "clinics/hours.html",
        clinic=clinic,
        hours_form=hours_form,
        closure_form=closure_form or ClosureForm(formdata=None),
        closures=hours.closures_of(clinic),
        status_now=hours.opening_status(clinic, hours.week_of(clinic)),
    )
    return page, status


@bp.route("/manage/<clinic_slug>/hours", methods=["GET", "POST"])
@clinic_route(Permission.EDIT_CLINIC)
def opening_hours(clinic, membership):
    if request.method == "GET":
        return render_hours(clinic)
    form = HoursForm()
    if not form.validate_on_submit():
        return render_hours(clinic, hours_form=form, status=422)
    hours.set_week(clinic, tuple(field.ranges for field in form.days()))
    db.session.commit()
    flash("The opening hours are saved.", "success")
    return redirect(url_for("clinics.opening_hours", clinic_slug=clinic.slug))


@bp.post("/manage/<clinic_slug>/hours/closures")
@clinic_route(Permission.EDIT_CLINIC)
def add_closure(clinic, membership):
    form = ClosureForm()
    if not form.validate_on_submit():
        return render_hours(clinic, closure_form=form, status=422)
    starts_on = form.starts_on.data
    hours.add_closure(clinic, starts_on, form.ends_on.data or starts_on, form.note.data or "")
    db.session.commit()
    flash("The closure is saved.", "success")
    return redirect(url_for("clinics.opening_hours", clinic_slug=clinic.slug))


@bp.post("/manage/<clinic_slug>/hours/closures/<int:closure_id>/remove")
@clinic_route(Permission.EDIT_CLINIC)
def remove_closure(clinic, membership, closure_id: int):
    closure = owned_or_404(ClinicClosure, closure_id, clinic)
    hours.remove_closure(closure)
    db.session.commit()
    flash("The closure is removed.", "success")
    return redirect(url_for("clinics.opening_hours", clinic_slug=clinic.slug))


def render_team(clinic, membership, invite_form=None, status: int = 200):
    page = render_template(
        "clinics/team.html",
        clinic=clinic,
        membership=membership,
        members=services.team_of(clinic),
        invitations=services.open_invitations(clinic),
        invite_form=invite_form or TeamInviteForm(),
        role_form=RoleForm(),
        can_manage=role_can(membership.role, Permission.MANAGE_TEAM),
    )
    return page, status


LAST_OWNER_MESSAGE = "A clinic needs at least one owner. Make someone else an owner first."


@bp.get("/manage/<clinic_slug>/team")
@clinic_route(Permission.VIEW_TEAM)
def team(clinic, membership):
    return render_team(clinic, membership)


@bp.post("/manage/<clinic_slug>/team/invite")
@clinic_route(Permission.MANAGE_TEAM)
@limiter.limit("30 per hour")
def invite(clinic, membership):
    form = TeamInviteForm()
    if form.validate_on_submit():
        try:
            services.invite_member(clinic, current_user, form.email.data, Role(form.role.data))
        except InvalidEmail as problem:
            form.email.errors.append(str(problem))
        except services.AlreadyMember:
            form.email.errors.append("This person is already on the team.")
        else:
            db.session.commit()
            flash(f"We emailed an invitation to {form.email.data}.", "success")
            return redirect(url_for("clinics.team", clinic_slug=clinic.slug))
    return render_team(clinic, membership, invite_form=form, status=422)


@bp.post("/manage/<clinic_slug>/team/<int:membership_id>/role")
@clinic_route(Permission.MANAGE_TEAM)
def change_role(clinic, membership, membership_id: int):
    member = owned_or_404(Membership, membership_id, clinic)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400, "Choose one of the roles.")
    try:
        services.change_role(member, Role(form.role.data))
    except services.LastOwner:
        flash(LAST_OWNER_MESSAGE, "error")
        return render_team(clinic, membership, status=409)
    db.session.commit()
    flash(f"{member.user.display_name} is now {form.role.data}.", "success")
    return redirect(url_for("clinics.team", clinic_slug=clinic.slug))


@bp.post("/manage/<clinic_slug>/team/<int:membership_id>/remove")
@clinic_route(Permission.MANAGE_TEAM)
def remove_member(clinic, membership, membership_id: int):
    member = owned_or_404(Membership, membership_id, clinic)
    name = member.user.display_name
    try:
        services.remove_member(member)
    except services.LastOwner:
        flash(LAST_OWNER_MESSAGE, "error")
        return render_team(clinic, membership, status=409)
    db.session.commit()
    flash(f"{name} is no longer on the team.", "success")
    if member.user_id == current_user.id:
        return redirect(url_for("clinics.my_clinics"))
    return redirect(url_for("clinics.team", clinic_slug=clinic.slug))


@bp.post("/manage/<clinic_slug>/team/invitations/<int:invitation_id>/revoke")
@clinic_route(Permission.MANAGE_TEAM)
def revoke_invitation(clinic, membership, invitation_id: int):
    invitation = owned_or_404(TeamInvitation, invitation_id, clinic)
    services.revoke_invitation(invitation)
    db.session.commit()
    flash(f"The invitation to {invitation.email} no longer works.", "success")
    return redirect(url_for("clinics.team", clinic_slug=clinic.slug))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    try:
        invitation = services.invitation_for_token(token)
    except InvalidToken as problem:
        message = (
            "This invitation has expired."
            if problem.reason == "expired"
            else ("This invitation is not valid, or it has already been used or withdrawn.")
        )
        return render_template("clinics/join_problem.html", message=message), 400
    clinic = db.session.get(Clinic, invitation.clinic_id)
    if request.method == "POST" and current_user.is_authenticated:
        try:
            services.accept_invitation(token, current_user)
        except services.InvitationNotForYou as problem:
            flash(
                f"This invitation is for {problem.email}. Sign in with that address to accept it.",
                "error",
            )
            return render_template("clinics/join.html", invitation=invitation, clinic=clinic), 403
        db.session.commit()
        flash(f"Welcome to {clinic.name}.", "success")
        return redirect(url_for("clinics.dashboard_page", clinic_slug=clinic.slug))
    return render_template("clinics/join.html", invitation=invitation, clinic=clinic)
