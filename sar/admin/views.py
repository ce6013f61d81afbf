"""Administrators manage staff accounts and teams. Every change is made (and audited) by a service.

Failed form submissions answer 422 (``sar.forms.refused``) so that ``sar.web`` rolls the transaction back: nothing is
ever saved half-way.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from sar.admin.forms import (
    ConfirmForm,
    EditUserForm,
    NewTeamForm,
    NewUserForm,
    TeamForm,
    TemporaryPasswordForm,
    team_choices,
)
from sar.auth import enrolment, grants, mfa, service, sessions, signin
from sar.auth import teams as team_service
from sar.auth.access import roles_required
from sar.auth.models import Role, RoleGrant, Team, TeamKind, User, UserSession
from sar.extensions import db
from sar.forms import REFUSED, refused, show_error

bp = Blueprint("admin", __name__, url_prefix="/admin")

Page = str | Response | tuple[str, int]


def _team(team_id: int | None) -> Team | None:
    return db.session.get(Team, team_id) if team_id is not None else None


# --- users ---------------------------------------------------------------------------------------


@bp.get("/users")
@roles_required(Role.ADMIN)
def list_users() -> str:
    users = db.session.scalars(select(User).order_by(User.active.desc(), User.full_name)).all()
    return render_template("admin/users.html", users=users, is_locked=signin.is_locked, mfa_ok=mfa.is_enrolled)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user() -> Page:
    form = NewUserForm()
    form.set_team_choices(team_choices(team_service.active_teams()))
    if form.validate_on_submit():
        try:
            user = service.create_user(
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                job_title=form.job_title.data or "",
                team=_team(form.selected_team_id()),
                roles=form.selected_roles(),
                password=form.password.data or "",
                by=current_user,
                temporary_password=True,
            )
        except service.AccountError as problem:
            show_error(form, problem)
        else:
            enrolment.issue(user, by=current_user)
            flash(
                f"Account created for {user.email}. We have emailed them a one-time link to set up their "
                "authenticator app; at first sign-in they also choose their own password." + _awaiting_note(user),
                "success",
            )
            return redirect(url_for("admin.show_user", user_id=user.id))
    if form.is_submitted():
        return refused("admin/new_user.html", form=form)
    return render_template("admin/new_user.html", form=form)


def _awaiting_note(user: User) -> str:
    waiting = grants.pending_for(user)
    if not waiting:
        return ""
    names = ", ".join(request.role.label for request in waiting)
    return f" {names}: waiting for approval by the DPO or another administrator."


@bp.get("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def show_user(user_id: int) -> str:
    return _user_page(db.get_or_404(User, user_id))


def _user_page(user: User, problem: str | None = None) -> str:
    return render_template(
        "admin/user.html",
        user=user,
        form=ConfirmForm(),
        locked=signin.is_locked(user),
        enrolled=mfa.is_enrolled(user),
        recovery_left=len(mfa.unused_recovery_codes(user)),
        active_sessions=sessions.active_for(user),
        awaiting=grants.pending_for(user),
        problem=problem,
    )


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int) -> Page:
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=None)
    form.set_team_choices(team_choices(team_service.active_teams(), current=user.team))
    if not form.is_submitted():
        form.full_name.data = user.full_name
        form.job_title.data = user.job_title
        form.team.data = str(user.team_id) if user.team_id else ""
        form.roles.data = [role.value for role in sorted(user.roles)]
    elif form.validate():
        try:
            changed = service.update_user(
                user,
                full_name=form.full_name.data or "",
                job_title=form.job_title.data or "",
                team=_team(form.selected_team_id()),
                roles=form.selected_roles(),
                by=current_user,
            )
        except service.AccountError as problem:
            show_error(form, problem)
        else:
            flash(
                ("Changes saved." if changed else "Nothing was changed.") + _awaiting_note(user),
                "success" if changed else "info",
            )
            return redirect(url_for("admin.show_user", user_id=user.id))
    if form.is_submitted():
        return refused("admin/edit_user.html", form=form, user=user)
    return render_template("admin/edit_user.html", form=form, user=user)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def set_password(user_id: int) -> Page:
    user = db.get_or_404(User, user_id)
    form = TemporaryPasswordForm()
    if form.validate_on_submit():
        try:
            service.set_temporary_password(user, form.password.data or "", by=current_user)
        except service.AccountError as problem:
            show_error(form, problem)
        else:
            flash(f"New temporary password set for {user.full_name}.", "success")
            return redirect(url_for("admin.show_user", user_id=user.id))
    if form.is_submitted():
        return refused("admin/set_password.html", form=form, user=user)
    return render_template("admin/set_password.html", form=form, user=user)


def _user_action(user_id: int, action: str) -> Page:
    user = db.get_or_404(User, user_id)
    messages = {
        "deactivate": f"{user.full_name} can no longer sign in.",
        "reactivate": f"{user.full_name} can sign in again.",
        "unlock": f"{user.full_name}'s account is unlocked.",
        "reset_mfa": f"{user.full_name} has been signed out and emailed a one-time link to set up a new "
        "authenticator app.",
        "send_link": f"A new one-time set-up link has been emailed to {user.full_name}.",
    }
    try:
        if action == "deactivate":
            service.set_active(user, False, by=current_user)
        elif action == "reactivate":
            service.set_active(user, True, by=current_user)
        elif action == "unlock":
            service.unlock(user, by=current_user)
        elif action == "send_link":
            if mfa.is_enrolled(user):
                raise service.AccountError(f"{user.full_name} has already set up an authenticator app")
            enrolment.issue(user, by=current_user, reason="new link requested by an administrator")
        else:
            service.reset_mfa(user, by=current_user)
            enrolment.issue(user, by=current_user, reason="authenticator reset")
    except service.AccountError as problem:
        return _user_page(user, problem=problem.message), REFUSED
    flash(messages[action], "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_user(user_id: int) -> Page:
    return _user_action(user_id, "deactivate")


@bp.post("/users/<int:user_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_user(user_id: int) -> Page:
    return _user_action(user_id, "reactivate")


@bp.post("/users/<int:user_id>/unlock")
@roles_required(Role.ADMIN)
def unlock_user(user_id: int) -> Page:
    return _user_action(user_id, "unlock")


@bp.post("/users/<int:user_id>/enrolment-link")
@roles_required(Role.ADMIN)
def send_enrolment_link(user_id: int) -> Page:
    return _user_action(user_id, "send_link")


@bp.post("/users/<int:user_id>/reset-mfa")
@roles_required(Role.ADMIN)
def reset_user_mfa(user_id: int) -> Page:
    return _user_action(user_id, "reset_mfa")


@bp.post("/users/<int:user_id>/sessions/<int:session_id>/end")
@roles_required(Role.ADMIN)
def end_user_session(user_id: int, session_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != user.id:
        abort(404)
    ended = service.end_sessions(user, by=current_user, only=record)
    flash("Session ended." if ended else "That session had already ended.", "success" if ended else "info")
    return redirect(url_for("admin.show_user", user_id=user.id, _anchor="sessions"))


@bp.post("/users/<int:user_id>/sessions/end-all")
@roles_required(Role.ADMIN)
def end_user_sessions(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    ended = service.end_sessions(user, by=current_user)
    flash(f"{user.full_name} has been signed out everywhere ({ended} session{'s' if ended != 1 else ''}).", "success")
    return redirect(url_for("admin.show_user", user_id=user.id, _anchor="sessions"))


# --- role approvals (separation of duties) ---------------------------------------------------------


@bp.get("/role-requests")
@roles_required(Role.DPO, Role.ADMIN)
def role_requests() -> str:
    pending, decided = grants.all_requests()
    return render_template(
        "admin/role_requests.html",
        pending=pending,
        decided=decided,
        form=ConfirmForm(),
        why_not={request.id: grants.can_decide(request, current_user) for request in pending},
    )


def _decide(request_id: int, approve: bool) -> Response:
    request = db.get_or_404(RoleGrant, request_id)
    try:
        grants.decide(request, approve=approve, by=current_user)
    except grants.GrantError as problem:
        flash(str(problem), "info")
        return redirect(url_for("admin.role_requests"), code=303)
    verb = "approved" if approve else "refused"
    flash(f"{request.role.label} role for {request.user.full_name} {verb}.", "success")
    return redirect(url_for("admin.role_requests"))


@bp.post("/role-requests/<int:request_id>/approve")
@roles_required(Role.DPO, Role.ADMIN)
def approve_role(request_id: int) -> Response:
    return _decide(request_id, True)


@bp.post("/role-requests/<int:request_id>/refuse")
@roles_required(Role.DPO, Role.ADMIN)
def refuse_role(request_id: int) -> Response:
    return _decide(request_id, False)


# --- teams ---------------------------------------------------------------------------------------


@bp.get("/teams")
@roles_required(Role.ADMIN)
def list_teams() -> str:
    return render_template("admin/teams.html", teams=team_service.all_teams(), form=ConfirmForm(), TeamKind=TeamKind)


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_team() -> Page:
    form = NewTeamForm()
    if form.validate_on_submit():
        try:
            team = team_service.create_team(
                name=form.name.data or "",
                kind=TeamKind(form.kind.data),
                description=form.description.data or "",
                by=current_user,
            )
        except team_service.TeamError as problem:
            show_error(form, problem)
        else:
            flash(f"{team.name} added.", "success")
            return redirect(url_for("admin.list_teams"))
    if form.is_submitted():
        return refused("admin/team_form.html", form=form, team=None)
    return render_template("admin/team_form.html", form=form, team=None)


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_team(team_id: int) -> Page:
    team = db.get_or_404(Team, team_id)
    form = TeamForm(data={"name": team.name, "description": team.description})
    if form.validate_on_submit():
        try:
            changed = team_service.update_team(
                team, name=form.name.data or "", description=form.description.data or "", by=current_user
            )
        except team_service.TeamError as problem:
            show_error(form, problem)
        else:
            flash(f"{team.name} saved." if changed else "Nothing was changed.", "success" if changed else "info")
            return redirect(url_for("admin.list_teams"))
    if form.is_submitted():
        return refused("admin/team_form.html", form=form, team=team)
    return render_template("admin/team_form.html", form=form, team=team)


@bp.post("/teams/<int:team_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_team(team_id: int) -> Response:
    team = db.get_or_404(Team, team_id)
    team_service.set_team_active(team, False, by=current_user)
    flash(f"{team.name} deactivated. It stays on existing records but cannot be chosen for new ones.", "success")
    return redirect(url_for("admin.list_teams"))


@bp.post("/teams/<int:team_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_team(team_id: int) -> Response:
    team = db.get_or_404(Team, team_id)
    team_service.set_team_active(team, True, by=current_user)
    flash(f"{team.name} reactivated.", "success")
    return redirect(url_for("admin.list_teams"))
