"""Browsing, exporting and verifying the audit trail (DPO and auditors only).

The log is read-only here: filters narrow it down, one event shows its before/after values, the
CSV export streams the current filter (and is itself audited, since it takes personal data out
of the system), and the chain check runs :func:`sar.audit.verify_chain` on demand.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from sqlalchemy import Select, false, select
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, StringField, ValidationError
from wtforms.validators import Length, Optional

from sar import audit, calendar
from sar.audit import AuditEvent
from sar.auth.access import roles_required
from sar.auth.models import Role
from sar.downloads import complete_download, spreadsheet_text
from sar.extensions import db
from sar.forms import GovDateField
from sar.pagination import paginate, query_args, requested_page

bp = Blueprint("audit", __name__, url_prefix="/audit")

AUDIT_READERS = (Role.DPO, Role.AUDITOR)
PAGE_SIZE = 50
EXPORT_BATCH = 1000
CSV_COLUMNS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "case_reference",
    "summary",
    "before",
    "after",
    "ip_address",
    "prev_hash",
    "hash",
)


class AuditFilterForm(Form):
    """A GET form: filters live in the query string, so a filtered view can be bookmarked or shared."""

    actor = StringField(
        "Who",
        validators=[Optional(), Length(max=200)],
        widget=GovTextInput(),
        description="Email address or part of it",
    )
    action = SelectField("Action", choices=[], validate_choice=False, widget=GovSelect())
    object_type = SelectField("Type of record", choices=[], validate_choice=False, widget=GovSelect())
    case = StringField(
        "Case",
        validators=[Optional(), Length(max=40)],
        widget=GovTextInput(),
        description="Reference (for example SAR-2026-00042) or case number",
    )
    # The form kit's one date input; a date is the council's calendar day, not UTC (see _start_of).
    date_from = GovDateField("From", what="the start date", description="For example, 27 3 2026")
    date_to = GovDateField("To", what="the end date", description="For example, 27 3 2026")

    def validate_date_to(self, field: GovDateField) -> None:
        if self.date_from.data and field.data and field.data < self.date_from.data:
            raise ValidationError("The end date must be the same as or after the start date")


def _distinct(attribute: Any) -> list[tuple[str, str]]:
    values = db.session.scalars(select(attribute).distinct().order_by(attribute)).all()
    return [("", "Any")] + [(value, value) for value in values if value]


def build_filter_form(args: MultiDict[str, str]) -> AuditFilterForm:
    form = AuditFilterForm(args)
    form.action.choices = _distinct(AuditEvent.action)
    form.object_type.choices = _distinct(AuditEvent.object_type)
    return form


@dataclass
class AuditFilter:
    """The filter as validated values; ``describe`` is what the export's own audit event records."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    case_text: str = ""
    case_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    # Set when the typed case matches nothing: the result is empty, not "every case".
    matches_nothing: bool = False

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.matches_nothing:
            return query.where(false())
        if self.actor:
            query = query.where(AuditEvent.actor_label.ilike(f"%{_escape_like(self.actor)}%", escape="\\"))
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.object_type:
            query = query.where(AuditEvent.object_type == self.object_type)
        if self.case_id is not None:
            query = query.where(AuditEvent.case_id == self.case_id)
        if self.date_from:
            query = query.where(AuditEvent.occurred_at >= _start_of(self.date_from))
        if self.date_to:
            query = query.where(AuditEvent.occurred_at < _start_of(self.date_to + timedelta(days=1)))
        return query

    def describe(self) -> dict[str, str]:
        described = {
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "case": self.case_text,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in described.items() if value}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _start_of(day: date) -> datetime:
    return calendar.moment_of(day)


def filter_from(form: AuditFilterForm) -> AuditFilter:
    """Only call with a validated form."""
    chosen = AuditFilter(
        actor=(form.actor.data or "").strip(),
        action=form.action.data or "",
        object_type=form.object_type.data or "",
        case_text=(form.case.data or "").strip(),
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )
    if chosen.case_text:
        chosen.case_id = audit.case_directory().find(chosen.case_text)
        chosen.matches_nothing = chosen.case_id is None
    return chosen


def case_references(case_ids: set[int]) -> dict[int, str]:
    return audit.case_directory().references(case_ids) if case_ids else {}


@bp.get("/")
@roles_required(*AUDIT_READERS)
def events() -> str:
    form = build_filter_form(request.args)
    valid = form.validate() if request.args else True
    chosen = filter_from(form) if valid else AuditFilter(matches_nothing=True)
    page = paginate(
        chosen.apply(select(AuditEvent)).order_by(AuditEvent.id.desc()), page=requested_page(), per_page=PAGE_SIZE
    )
    references = case_references({row.case_id for row in page.items if row.case_id is not None})
    return render_template(
        "audit/events.html",
        form=form,
        valid=valid,
        filtered=bool(chosen.describe()),
        page=page,
        references=references,
        export_href=url_for("audit.export_csv", **query_args(request.args, without=("page",))),
    )


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One row per field in either snapshot, marking the ones whose value changed."""
    before = before or {}
    after = after or {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        {
            "name": name,
            "before": _display(before.get(name)) if name in before else "",
            "after": _display(after.get(name)) if name in after else "",
            "changed": before.get(name) != after.get(name) or (name in before) != (name in after),
        }
        for name in names
    ]


def _display(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@bp.get("/<int:event_id>")
@roles_required(*AUDIT_READERS)
def event_detail(event_id: int) -> str:
    event = db.session.get(AuditEvent, event_id)
    if event is None:
        abort(404)
    references = case_references({event.case_id} if event.case_id is not None else set())
    intact = event.compute_hash() == event.hash
    # The before/after snapshots hold case data (names, dates of birth, NHS numbers): reading
    # them is a view of case data like any other, so it is itself recorded.
    audit.record(
        "audit_event_viewed",
        object_type="audit_event",
        object_id=event.id,
        case_id=event.case_id,
        summary=f"Audit event {event.id} ({event.action}) opened",
        by=current_user,
    )
    return render_template(
        "audit/event.html",
        event=event,
        case_reference=references.get(event.case_id) if event.case_id is not None else None,
        fields=changed_fields(event.before, event.after),
        intact=intact,
        back_href=request.referrer if _same_origin_list(request.referrer) else url_for("audit.events"),
    )


def _same_origin_list(referrer: str | None) -> bool:
    return bool(referrer) and referrer.startswith(request.host_url.rstrip("/") + url_for("audit.events"))  # type: ignore[union-attr]


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, datetime):
        text = value.isoformat()
    else:
        text = str(value)
    return spreadsheet_text(text)


def csv_rows(chosen: AuditFilter, upper_id: int) -> Iterator[str]:
    """Newest first, in batches by id, so memory stays flat however long the log is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    below = upper_id + 1
    while True:
        batch = db.session.scalars(
            chosen.apply(select(AuditEvent))
            .where(AuditEvent.id < below)
            .order_by(AuditEvent.id.desc())
            .limit(EXPORT_BATCH)
        ).all()
        if not batch:
            return
        references = case_references({row.case_id for row in batch if row.case_id is not None})
        for row in batch:
            writer.writerow(
                [
                    safe_cell(row.id),
                    safe_cell(row.occurred_at),
                    safe_cell(row.actor_id),
                    safe_cell(row.actor_label),
                    safe_cell(row.action),
                    safe_cell(row.object_type),
                    safe_cell(row.object_id),
                    safe_cell(row.case_id),
                    safe_cell(references.get(row.case_id) if row.case_id is not None else None),
                    safe_cell(row.summary),
                    safe_cell(row.before),
                    safe_cell(row.after),
                    safe_cell(row.ip_address),
                    safe_cell(row.prev_hash),
                    safe_cell(row.hash),
                ]
            )
        below = batch[-1].id
        db.session.expunge_all()
        yield flush()


@bp.get("/export.csv")
@roles_required(*AUDIT_READERS)
def export_csv() -> Response | tuple[str, int]:
    form = build_filter_form(request.args)
    if request.args and not form.validate():
        return events(), 400
    chosen = filter_from(form)
    described = chosen.describe()
    exported = audit.record(
        "audit_exported",
        object_type="audit_log",
        summary="Exported the audit log" + (" (filtered)" if described else ""),
        after={"filter": described},
        by=current_user,
    )
    # Rows are fetched up to the export's own event, so the file includes it; the whole file is
    # built before the response starts, so a failure is an error page and the export is not recorded.
    stamp = calendar.now().strftime("%Y%m%d-%H%M%S")
    return complete_download(csv_rows(chosen, exported.id), filename=f"audit-log-{stamp}.csv", mimetype="text/csv")


@bp.get("/verify")
@roles_required(*AUDIT_READERS)
def verify_form() -> str:
    return render_template("audit/verify.html", result=None)


@bp.post("/verify")
@roles_required(*AUDIT_READERS)
def verify() -> str:
    checked, problem = audit.verify_chain()
    audit.record(
        "audit_chain_verified",
        object_type="audit_log",
        summary=f"Checked {checked} events: "
        + ("intact" if problem is None else f"broken at event {problem.event_id}"),
        by=current_user,
    )
    return render_template("audit/verify.html", result={"checked": checked, "problem": problem})
