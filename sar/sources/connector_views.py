"""Administrators configure connectors: add one, test its connection, suspend or resume it.
IG officers run a configured connector's search for a case from the case's search tasks page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from sar.auth.access import CASE_WORKERS, roles_required
from sar.auth.models import Role, Team
from sar.cases.models import Case
from sar.extensions import db
from sar.forms import refused, show_error
from sar.sources import runs, tasks
from sar.sources.connectors import KINDS
from sar.sources.forms import ConfirmForm, ConnectorForm
from sar.sources.models import Connector

bp = Blueprint("connectors", __name__)


@bp.get("/admin/connectors")
@roles_required(Role.ADMIN)
def list_connectors() -> str:
    rows = db.session.scalars(select(Connector).order_by(Connector.name)).all()
    return render_template("sources/connectors.html", connectors=rows, kinds=KINDS, form=ConfirmForm())


@bp.route("/admin/connectors/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_connector() -> str | tuple[str, int] | Response:
    form = ConnectorForm()
    form.team_id.choices = [
        (t.id, t.name) for t in db.session.scalars(select(Team).where(Team.active).order_by(Team.name))
    ]
    if request.method == "GET":
        return render_template("sources/connector_new.html", form=form)
    if form.validate():
        try:
            connector = runs.add_connector(
                form.name.data or "", form.kind.data or "", form.team_id.data, form.settings.data or "", by=current_user
            )
        except runs.ConnectorSettingsError as problem:
            show_error(form, problem)
        else:
            flash(f"{connector.name} added. Test its connection before using it.", "success")
            return redirect(url_for("connectors.list_connectors"))
    return refused("sources/connector_new.html", form=form)


def _connector(connector_id: int) -> Connector:
    return db.session.get_one(Connector, connector_id)


@bp.post("/admin/connectors/<int:connector_id>/test")
@roles_required(Role.ADMIN)
def test_connector(connector_id: int) -> Response:
    connector = _connector(connector_id)
    if ConfirmForm().validate():
        ok, message = runs.test_connection(connector, by=current_user)
        flash(f"{connector.name}: {'connected' if ok else 'failed'} – {message}", "success" if ok else "")
    return redirect(url_for("connectors.list_connectors"))


@bp.post("/admin/connectors/<int:connector_id>/suspend")
@roles_required(Role.ADMIN)
def suspend_connector(connector_id: int) -> Response:
    connector = _connector(connector_id)
    if ConfirmForm().validate():
        runs.set_suspended(connector, not connector.suspended, by=current_user)
        flash(f"{connector.name} {'suspended' if connector.suspended else 'resumed'}.", "success")
    return redirect(url_for("connectors.list_connectors"))


@bp.post("/cases/<int:case_id>/tasks/connector")
@roles_required(*CASE_WORKERS)
def search_connector(case_id: int) -> Response:
    case = db.session.get_one(Case, case_id)
    connector = db.session.get(Connector, request.form.get("connector_id", type=int) or 0)
    if not ConfirmForm().validate() or connector is None:
        flash("Select a connected system to search")
        return redirect(url_for("tasks.case_tasks", case_id=case.id))
    try:
        runs.commission_from_connector(case, connector, by=current_user)
    except tasks.TaskError as refused:
        flash(refused.message)
    else:
        flash(f"Searching {connector.name}. The results appear on this page when the search has run.", "success")
    return redirect(url_for("tasks.case_tasks", case_id=case.id))
