"""The deadline dashboard, performance over time and the request-log export. Read-only, apart from auditing the
export of personal data; nothing imports this module."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from sar import audit
from sar.auth.access import CASE_READERS, roles_required
from sar.calendar import today
from sar.cases.models import Right
from sar.clock.models import ClockStatus
from sar.dashboard import export, home, performance, queries
from sar.dashboard.queries import Band, Filters, Horizons
from sar.downloads import complete_download
from sar.pagination import Page, current_url, requested_page
from sar.sources.overdue import overdue_searches
from sar.urls import parse_id

bp = Blueprint("dashboard", __name__)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    # The home route (sar.web) asks for each user's sections; the foundations never import this stage.
    state.app.extensions["sar_home"] = home.home_context


TAG_CLASSES = {
    "running": "govuk-tag--blue",
    "paused": "govuk-tag--yellow",
    "awaiting_id": "govuk-tag--orange",
    "awaiting_authority": "govuk-tag--orange",
    "awaiting_fee": "govuk-tag--orange",
    "closed": "govuk-tag--grey",
}
SORT_LABELS = {
    "reference": "Case",
    "received": "Received",
    "owner": "Owner",
    "status": "Clock",
    "target": "Internal target",
    "due": "Due date",
}


def _int(value: str | None) -> int | None:
    return parse_id(value, minimum=0)  # officer 0 means nobody


def _filters(args: MultiDict[str, str]) -> Filters:
    """Read the filters from the query string; anything unrecognised is ignored rather than an error."""
    right = args.get("right", "")
    status = args.get("status", "")
    band = args.get("band", "")
    return Filters(
        team_id=_int(args.get("team")),
        owner_id=_int(args.get("officer")),
        right=Right(right) if right in {r.value for r in Right} else None,
        status=ClockStatus(status) if status in {s.value for s in queries.OPEN_STATUSES} else None,
        band=Band(band) if band in {b.value for b in Band} else None,
    )


def _case_url(case_id: int) -> str:
    # Intake's case page; fall back to the clock page if intake is not installed.
    endpoint = "cases.show_case" if "cases.show_case" in current_app.view_functions else "clock.case_clock"
    return url_for(endpoint, case_id=case_id)


@bp.get("/deadlines")
@roles_required(*CASE_READERS)
def deadlines() -> str:
    region = current_app.config["BANK_HOLIDAY_REGION"]
    horizons = Horizons.from_today(today(), region)
    filters = _filters(request.args)
    sort = request.args.get("sort", "due")
    sort = sort if sort in SORT_LABELS else "due"
    descending = request.args.get("dir") == "desc"
    counts = queries.band_counts(filters, horizons)
    page: Page[queries.Row] = Page.of(queries.total_for(filters, counts), requested_page(), queries.PAGE_SIZE)
    rows = queries.case_rows(filters, horizons, sort=sort, descending=descending, page=page, region=region)
    notices = queries.notices_due(filters, horizons, region=region)
    # The lists name the children and adults the cases are about: showing them is a view of case data.
    audit.record(
        "deadlines.viewed",
        object_type="case_list",
        summary=f"Deadlines: {len(rows)} cases and {len(notices)} notices shown",
        after={"case_ids": [row.case_id for row in rows]},
        by=current_user,
    )
    return render_template(
        "dashboard/deadlines.html",
        horizons=horizons,
        filters=filters,
        counts=counts,
        rows=rows,
        page=page,
        sort=sort,
        descending=descending,
        sort_labels=SORT_LABELS,
        notices=notices,
        choices=queries.filter_choices(),
        bands=list(Band),
        rights=list(Right),
        statuses=list(queries.OPEN_STATUSES),
        case_url=_case_url,
        link=current_url,
        args=request.args,
        tag_classes=TAG_CLASSES,
        overdue_searches=overdue_searches(today()),
    )


@bp.get("/deadlines/performance")
@roles_required(*CASE_READERS)
def performance_page() -> str:
    months = performance.monthly(today())
    answered = sum(m.answered for m in months)
    on_time = sum(m.on_time for m in months)
    return render_template(
        "dashboard/performance.html",
        months=months,
        chart=performance.chart(months),
        answered=answered,
        on_time_percent=round(100 * on_time / answered, 1) if answered else None,
    )


@bp.get("/deadlines/request-log.csv")
@roles_required(*CASE_READERS)
def request_log_csv() -> Response:
    # A bulk export of personal data about children: who took it, and when, belongs in the audit trail.
    audit.record(
        "request_log.exported", object_type="request_log", summary="Request log exported as CSV", by=current_user
    )
    filename = f"request-log-{today().isoformat()}.csv"
    return complete_download(export.rows(), filename=filename, mimetype="text/csv")
