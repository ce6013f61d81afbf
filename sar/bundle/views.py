"""The case's bundle page: build in the background (with the job progress page), the release check's result,
release (refused when the check failed), the internal redaction schedule; and the bundle panel on the case page.

Thin views: each calls one service function. Release goes through :func:`sar.bundle.release.release_bundle`, the
same function the command line and any job call, so the gate is enforced in one place. The DPO and IG officers may
build and release; an auditor sees the page read-only.
"""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, stream_with_context, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response as BaseResponse

from sar.auth.access import CASE_READERS, CASE_WORKERS, roles_required
from sar.bundle import queries, schedule_pdf, service
from sar.bundle.cli import bundle_cli
from sar.bundle.facts import bundle_facts
from sar.bundle.forms import BuildForm, ReleaseForm
from sar.bundle.models import Bundle, BundleStatus
from sar.bundle.release import BundleRefused, release_bundle, why_not_releasable
from sar.cases.facts import register_facts_provider
from sar.cases.models import Case
from sar.cases.panels import CasePanel, register_case_panel
from sar.cases.service import record_case_viewed
from sar.extensions import db
from sar.forms import REFUSED, show_error
from sar.review import is_signed_off

bp = Blueprint("bundle", __name__, cli_group=None)
bp.cli.add_command(bundle_cli)
Page = str | tuple[str, int] | BaseResponse


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = cast(Flask, state.app)
    register_case_panel(app, CasePanel("bundle", "bundle/_case_panel.html", panel_context, order=35))
    register_facts_provider(app, "bundle", bundle_facts)


def panel_context(case: Case) -> dict[str, Any]:
    return {"bundle_case": case, "bundle_parts": queries.current_build(case), "bundle_signed_off": is_signed_off(case)}


def _case(case_id: int) -> Case:
    return db.get_or_404(Case, case_id)


def _bundle(case: Case, bundle_id: int) -> Bundle:
    bundle = queries.get_bundle(case, bundle_id)
    if bundle is None:
        from flask import abort

        abort(404)
    return bundle


def _can_change() -> bool:
    return bool(current_user.has_role(*CASE_WORKERS))


def _page(case: Case, *, build_form: BuildForm | None = None, status: int = 200, **extra: Any) -> tuple[str, int]:
    parts = queries.current_build(case)
    released = [b for b in queries.released_bundles(case) if b not in parts]
    context = {
        "case": case,
        "parts": parts,
        "released_before": released,
        "signed_off": is_signed_off(case),
        "can_change": _can_change(),
        "build_form": build_form or BuildForm(formdata=None),
        "release_form": ReleaseForm(formdata=None),
        "why_not": {b.id: why_not_releasable(b) for b in parts},
        "jobs": {b.id: service.job_of(b) for b in parts if b.job_id},
        "BundleStatus": BundleStatus,
    }
    return render_template("bundle/show.html", **context, **extra), status


@bp.get("/cases/<int:case_id>/bundle")
@roles_required(*CASE_READERS)
def show(case_id: int) -> Page:
    case = _case(case_id)
    record_case_viewed(case, by=current_user, what="the bundle page")
    return _page(case)


@bp.post("/cases/<int:case_id>/bundle/build")
@roles_required(*CASE_WORKERS)
def build(case_id: int) -> Page:
    case = _case(case_id)
    form = BuildForm()
    if not form.validate():
        return _page(case, build_form=form, status=REFUSED)
    try:
        placeholder = service.start_build(case, by=current_user, only_new=bool(form.only_new.data))
    except BundleRefused as refused:
        show_error(form, refused)
        return _page(case, build_form=form, status=REFUSED)
    flash("The bundle is being built. This page shows its progress.", "success")
    return redirect(url_for("jobs.show", job_id=placeholder.job_id))


@bp.post("/cases/<int:case_id>/bundle/<int:bundle_id>/release")
@roles_required(*CASE_WORKERS)
def release(case_id: int, bundle_id: int) -> Page:
    case = _case(case_id)
    bundle = _bundle(case, bundle_id)
    form = ReleaseForm()
    if not form.validate():
        return _page(case, status=REFUSED)
    try:
        released = release_bundle(bundle, by=current_user)
    except BundleRefused as refused:
        db.session.commit()  # the audited refusal stays on the record; nothing else changed
        return _page(case, status=REFUSED, release_error=refused.message, release_error_id=bundle.id)
    # The password is shown on this one response and never again: it is not stored, flashed or put in a URL.
    return render_template(
        "bundle/released.html",
        case=case,
        bundle=released.bundle,
        password=released.password,
        delivery_url=_delivery_url(case),
    )


def _delivery_url(case: Case) -> str | None:
    """The delivery stage's form for sending the released file, when that stage is installed."""
    try:
        return url_for("delivery.new_link", case_id=case.id)
    except BuildError:
        return None


@bp.get("/cases/<int:case_id>/bundle/<int:bundle_id>/released.pdf")
@roles_required(*CASE_WORKERS)
def download_released(case_id: int, bundle_id: int) -> Response:
    case = _case(case_id)
    bundle = _bundle(case, bundle_id)
    try:
        chunks = queries.stream_released(bundle, by=current_user, purpose="staff download")
    except queries.NotReleased:
        abort(404)
    return Response(
        stream_with_context(chunks),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{bundle.original_name}"'},
    )


@bp.get("/cases/<int:case_id>/bundle/schedule.pdf")
@roles_required(*CASE_READERS)
def schedule(case_id: int) -> Response:
    case = _case(case_id)
    content = schedule_pdf.schedule_pdf(case, by=current_user)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="redaction-schedule-{case.reference}.pdf"'},
    )
