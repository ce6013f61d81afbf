"""The clock page of a case: its dates, the timeline of clock events and the forms that record them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from sar import forms
from sar.auth.access import CASE_READERS, CASE_WORKERS, roles_required
from sar.cases import service as intake
from sar.cases.models import Case
from sar.clock import service
from sar.clock.forms import ClockEventForm, ExtensionForm, VoidEventForm
from sar.clock.models import ClockEvent, EventKind
from sar.clock.panel import panel_context
from sar.extensions import db

bp = Blueprint("clock", __name__)


@bp.app_template_filter("days_left")
def days_left_text(n: int) -> str:
    if n > 1:
        return f"{n} days left"
    return {1: "1 day left", 0: "due today", -1: "1 day overdue"}.get(n, f"{-n} days overdue")


@bp.app_template_filter("working_days")
def working_days_text(n: int) -> str:
    if n >= 0:
        return "1 working day" if n == 1 else f"{n} working days"
    return "1 working day overdue" if n == -1 else f"{-n} working days overdue"


def _case(case_id: int) -> Case:
    return db.get_or_404(Case, case_id)


def _page(
    case: Case,
    *,
    event_form: ClockEventForm | None = None,
    extension_form: ExtensionForm | None = None,
    void_form: VoidEventForm | None = None,
    void_event_id: int | None = None,
    status: int = 200,
) -> tuple[str, int]:
    context: dict[str, Any] = panel_context(case)
    return (
        render_template(
            "clock/case_clock.html",
            case=case,
            event_form=event_form or ClockEventForm(prefix="event", formdata=None),
            extension_form=extension_form or ExtensionForm(prefix="extension", formdata=None),
            void_form=void_form,
            void_event_id=void_event_id,
            **context,
        ),
        status,
    )


def _refused(form: Any, refused: service.EventRefused, fallback: str) -> None:
    """The service names the event form's date field; the extension and void forms call theirs differently."""
    forms.show_error(
        form, refused if hasattr(form, refused.field or "") else service.EventRefused(str(refused), fallback)
    )


@bp.get("/cases/<int:case_id>/clock")
@roles_required(*CASE_READERS)
def case_clock(case_id: int) -> tuple[str, int]:
    case = _case(case_id)
    # The clock page shows free-text notes and reasons about the child's case: a view of case data.
    intake.record_case_viewed(case, by=current_user, what="clock page")
    return _page(case)


@bp.post("/cases/<int:case_id>/clock/events")
@roles_required(*CASE_WORKERS)
def record_event(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    form = ClockEventForm(prefix="event")
    if form.validate_on_submit() and form.event_date.data is not None:  # required: None only if refused
        kind = EventKind(form.kind.data)
        try:
            service.record_event(case, kind, form.event_date.data, note=form.note.data or "", by=current_user)
        except service.EventRefused as refused:
            _refused(form, refused, "event_date")
        else:
            flash(f"{kind.label}: recorded, and the due date recalculated.", "success")
            return redirect(url_for("clock.case_clock", case_id=case.id))
    return _page(case, event_form=form, status=forms.REFUSED)


@bp.post("/cases/<int:case_id>/clock/extension")
@roles_required(*CASE_WORKERS)
def record_extension(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    form = ExtensionForm(prefix="extension")
    if form.validate_on_submit() and form.decided_on.data is not None:  # required: None only if refused
        try:
            service.record_event(
                case,
                EventKind.EXTENSION_DECIDED,
                form.decided_on.data,
                note=form.note.data or "",
                reasons=form.reasons.data or "",
                notice_date=form.notice_date.data,
                by=current_user,
            )
        except service.EventRefused as refused:
            _refused(form, refused, "decided_on")
        else:
            flash("Extension recorded: the time limit is now three months from the start.", "success")
            return redirect(url_for("clock.case_clock", case_id=case.id))
    return _page(case, extension_form=form, status=forms.REFUSED)


@bp.route("/cases/<int:case_id>/clock/events/<int:event_id>/void", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def void_event(case_id: int, event_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    event = db.get_or_404(ClockEvent, event_id)
    if event.case_id != case.id:
        abort(404)
    form = VoidEventForm(prefix="void")
    if form.validate_on_submit():
        try:
            service.void_event(case, event, form.reason.data or "", by=current_user)
        except service.EventRefused as refused:
            _refused(form, refused, "reason")
        else:
            flash(f"{event.kind.label} marked as a mistake, and the due date recalculated.", "success")
            return redirect(url_for("clock.case_clock", case_id=case.id))
        return _page(case, void_form=form, void_event_id=event.id, status=forms.REFUSED)
    return _page(case, void_form=form, void_event_id=event.id, status=forms.REFUSED if form.is_submitted() else 200)
