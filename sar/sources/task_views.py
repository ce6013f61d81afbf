"""Search tasks: commissioning them from the case, "My tasks" for record holders, answering a task.

A record holder reaches only their own tasks: every lookup goes through ``tasks.task_for``, which answers
404 for anyone else's, so a task number typed into the address bar reveals nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from werkzeug.wrappers import Response

from sar.auth.access import CASE_READERS, CASE_WORKERS, roles_required
from sar.auth.models import Role, Team, User, UserRole
from sar.calendar import today
from sar.case_rows import of_case
from sar.cases.models import Case
from sar.cases.service import record_case_viewed
from sar.extensions import db
from sar.forms import choices, refused, show_error
from sar.sources import ingest, links, runs, tasks
from sar.sources.forms import (
    CommissionForm,
    ConfirmForm,
    NoRecordsForm,
    SupplyFilesForm,
    UploadLinkForm,
    chosen_files,
)
from sar.sources.models import SearchTask, UploadLink

bp = Blueprint("tasks", __name__)

TASK_ROLES = (Role.RECORD_HOLDER, Role.DPO, Role.IG_OFFICER)
Page = str | tuple[str, int] | Response


def _task(task_id: int) -> SearchTask:
    try:
        return tasks.task_for(current_user, task_id)
    except NoResultFound:
        abort(404)


@bp.app_context_processor
def _my_tasks_context() -> dict[str, Any]:
    """The home page tells record holders about their tasks (sar.web cannot import a stage)."""

    def my_open_tasks() -> list[SearchTask]:
        if not getattr(current_user, "is_authenticated", False) or not current_user.has_role(Role.RECORD_HOLDER):
            return []
        return tasks.tasks_for(current_user, open_only=True)

    return {"my_open_tasks": my_open_tasks, "today_date": today}


# --- commissioning (IG officers) --------------------------------------------------------------------------


def _record_holders() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.RECORD_HOLDER, User.active)
            .order_by(User.full_name)
        )
    )


@bp.route("/cases/<int:case_id>/tasks/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def commission(case_id: int) -> Page:
    case = db.session.get_one(Case, case_id)
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.active).order_by(Team.name))}
    holders = _record_holders()
    form = CommissionForm()
    form.teams.choices = choices((t.id, t.name) for t in teams.values())
    form.assignee.choices = choices(
        [(0, "The team's inbox")] + [(u.id, f"{u.full_name} ({u.team.name if u.team else 'no team'})") for u in holders]
    )
    if request.method == "GET":
        form.teams.data = [t for t in case.team_ids if t in teams]
        form.due_date.data = tasks.default_due_date(case)
        form.date_from.data, form.date_to.data = case.scope_from, case.scope_to
        return render_template("sources/commission.html", case=case, form=form, statutory_due=tasks.statutory_due(case))
    if not form.validate():
        return refused("sources/commission.html", case=case, form=form, statutory_due=tasks.statutory_due(case))
    assignee = next((u for u in holders if u.id == form.assignee.data), None)
    details = tasks.Commission(
        teams=tuple(teams[i] for i in form.teams.data or [] if i in teams),
        instructions=form.instructions.data or "",
        search_terms=form.search_terms.data or "",
        due_date=form.due_date.data,  # type: ignore[arg-type]
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        assignee=assignee,
    )
    try:
        made = tasks.commission(case, details, by=current_user)
    except tasks.TaskError as problem:
        show_error(form, problem)
        return refused("sources/commission.html", case=case, form=form, statutory_due=tasks.statutory_due(case))
    flash(f"{len(made)} search{'es' if len(made) != 1 else ''} commissioned.", "success")
    return redirect(url_for("tasks.case_tasks", case_id=case.id))


@bp.get("/cases/<int:case_id>/tasks")
@roles_required(*CASE_READERS)
def case_tasks(case_id: int) -> str:
    case = db.session.get_one(Case, case_id)
    record_case_viewed(case, by=current_user, what="search tasks")
    rows = tasks.tasks_of_case(case.id)
    return render_template(
        "sources/case_tasks.html",
        case=case,
        tasks=rows,
        links={t.id: links.links_of_task(t.id) for t in rows},
        link_state=links.link_state,
        can_change=current_user.has_role(*CASE_WORKERS) and not case.is_closed,
        form=ConfirmForm(),
        link_form=UploadLinkForm(),
        overdue=tasks.is_overdue,
        connectors=runs.active_connectors(),
    )


@bp.post("/cases/<int:case_id>/tasks/<int:task_id>/links")
@roles_required(*CASE_WORKERS)
def make_link(case_id: int, task_id: int) -> Page:
    task = of_case(SearchTask, task_id, case_id)
    form = UploadLinkForm()
    if not form.validate():
        flash(form.recipient.errors[0] if form.recipient.errors else "Enter who the link is for")
        return redirect(url_for("tasks.case_tasks", case_id=case_id))
    try:
        link, token = links.create_link(task, recipient=form.recipient.data or "", by=current_user)
    except tasks.TaskError as problem:
        flash(problem.message)
        return redirect(url_for("tasks.case_tasks", case_id=case_id))
    url = url_for("upload_link.upload", token=token, _external=True)
    return render_template("sources/link_made.html", case=task_case(task), task=task, link=link, url=url)


def task_case(task: SearchTask) -> Case:
    return db.session.get_one(Case, task.case_id)


@bp.post("/cases/<int:case_id>/tasks/<int:task_id>/links/<int:link_id>/revoke")
@roles_required(*CASE_WORKERS)
def revoke_link(case_id: int, task_id: int, link_id: int) -> Response:
    link = db.session.execute(
        select(UploadLink)
        .join(SearchTask, SearchTask.id == UploadLink.task_id)
        .where(UploadLink.id == link_id, UploadLink.task_id == task_id, SearchTask.case_id == case_id)
    ).scalar_one()
    if ConfirmForm().validate():
        links.revoke_link(link, by=current_user)
        flash("The upload link was revoked: it no longer works.", "success")
    return redirect(url_for("tasks.case_tasks", case_id=case_id))


@bp.post("/cases/<int:case_id>/tasks/<int:task_id>/cancel")
@roles_required(*CASE_WORKERS)
def cancel(case_id: int, task_id: int) -> Response:
    task = of_case(SearchTask, task_id, case_id)
    if ConfirmForm().validate():
        tasks.cancel(task, by=current_user)
        flash("The search was cancelled.", "success")
    return redirect(url_for("tasks.case_tasks", case_id=case_id))


# --- record holders ------------------------------------------------------------------------------------


@bp.get("/tasks")
@roles_required(Role.RECORD_HOLDER)
def my_tasks() -> str:
    mine = tasks.tasks_for(current_user)
    return render_template(
        "sources/my_tasks.html",
        tasks=mine,
        overdue=tasks.is_overdue,
        references={t.id: task_case(t).reference for t in mine},
    )


@bp.get("/tasks/<int:task_id>")
@roles_required(*TASK_ROLES)
def show_task(task_id: int) -> str:
    task = _task(task_id)
    tasks.record_task_viewed(task, by=current_user)
    return render_template(
        "sources/task.html",
        task=task,
        reference=task_case(task).reference,
        files=ingest.documents_of_task(task.id),
        supply_form=SupplyFilesForm(),
        overdue=tasks.is_overdue(task),
    )


@bp.post("/tasks/<int:task_id>/files")
@roles_required(*TASK_ROLES)
def supply_files(task_id: int) -> Page:
    task = _task(task_id)
    form = SupplyFilesForm()
    if form.validate():
        try:
            added = ingest.add_files_for_task(
                task, chosen_files(form.files), by=current_user, by_label=current_user.email
            )
        except tasks.TaskError as problem:
            show_error(form, problem)
        else:
            sent = sum(1 for a in added if a.document is not None)
            flash(f"{sent} file{'s' if sent != 1 else ''} sent. Thank you.", "success")
            for result in added:
                if result.document is None:
                    flash(f"{result.name} was not sent: {result.refusal_message}")
            return redirect(url_for("tasks.show_task", task_id=task.id))
    return refused(
        "sources/task.html",
        task=task,
        reference=task_case(task).reference,
        files=ingest.documents_of_task(task.id),
        supply_form=form,
        overdue=tasks.is_overdue(task),
    )


@bp.route("/tasks/<int:task_id>/no-records", methods=["GET", "POST"])
@roles_required(*TASK_ROLES)
def no_records(task_id: int) -> Page:
    task = _task(task_id)
    form = NoRecordsForm()
    if request.method == "GET":
        form.searched_by.data = current_user.full_name
        form.searched_on.data = today()
        form.terms_used.data = "\n".join(task.identifiers + ([task.search_terms] if task.search_terms else []))
        return render_template("sources/no_records.html", task=task, form=form)
    if not form.validate():
        return refused("sources/no_records.html", task=task, form=form)
    statement = tasks.Statement(
        systems_searched=form.systems_searched.data or "",
        terms_used=form.terms_used.data or "",
        searched_by=form.searched_by.data or "",
        searched_on=form.searched_on.data,  # type: ignore[arg-type]
    )
    try:
        tasks.no_records_held(task, statement, by=current_user)
    except tasks.TaskError as problem:
        show_error(form, problem)
        return refused("sources/no_records.html", task=task, form=form)
    flash("Recorded: no records held. Your search statement is kept with the request.", "success")
    return redirect(url_for("tasks.show_task", task_id=task.id))
