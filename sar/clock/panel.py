"""What the case page's "Deadline" panel and the clock page show about one case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_login import current_user

from sar import deadlines
from sar.auth.access import CASE_WORKERS
from sar.calendar import today
from sar.cases.models import Case
from sar.clock import service
from sar.clock.history import Derived, outcome
from sar.clock.models import CaseClock, ClockEvent, ClockStatus
from sar.extensions import db


@dataclass(frozen=True)
class ClockView:
    status: ClockStatus
    start_date: date
    due_date: date
    internal_target: date
    notice_deadline: date
    extended: bool
    excluded_days: int
    paused_since: date | None
    closed_on: date | None
    problem: str | None
    days_left: int
    working_days_left: int
    target_days_left: int
    # While a clarification is open: what the due date is if the answer arrives today.
    due_if_answered_today: date | None
    stored: bool


def clock_view(case: Case) -> ClockView | None:
    """The stored clock with today's days left; worked out on the fly (not stored) if intake sent no signal yet."""
    now = today()
    region = current_app.config["BANK_HOLIDAY_REGION"]
    clock = db.session.get(CaseClock, case.id)
    derived: Derived | None = None
    if clock is None:
        derived = service.derive_case(case, service.events_for(case))
        try:
            values = outcome(derived, region=region, target_days=int(current_app.config["INTERNAL_TARGET_DAYS"])).values
        except deadlines.DeadlineError:
            return None
        clock = CaseClock(case_id=case.id, **values)
    due_if_answered = None
    if clock.paused_since is not None and now >= clock.paused_since:
        derived = derived or service.derive_case(case, service.events_for(case))
        try:
            due_if_answered = (
                derived.inputs(
                    extended=clock.extended,
                    region=region,
                    target_days=int(current_app.config["INTERNAL_TARGET_DAYS"]),
                    pauses_until=now,
                )
                .compute()
                .due
            )
        except deadlines.DeadlineError:
            due_if_answered = None
    return ClockView(
        status=clock.status,
        start_date=clock.start_date,
        due_date=clock.due_date,
        internal_target=clock.internal_target,
        notice_deadline=clock.notice_deadline,
        extended=clock.extended,
        excluded_days=clock.excluded_days,
        paused_since=clock.paused_since,
        closed_on=clock.closed_on,
        problem=clock.problem,
        days_left=deadlines.days_left(clock.due_date, now),
        working_days_left=deadlines.working_days_left(clock.due_date, now, region),
        target_days_left=deadlines.days_left(clock.internal_target, now),
        due_if_answered_today=due_if_answered,
        stored=db.session.get(CaseClock, case.id) is not None,
    )


def can_record() -> bool:
    return bool(getattr(current_user, "is_authenticated", False) and current_user.has_role(*CASE_WORKERS))


def panel_context(case: Case) -> dict[str, Any]:
    """Context for templates/clock/_case_panel.html, registered as intake's "Deadline" case panel."""
    from sar.clock.forms import ClockEventForm

    timeline: list[ClockEvent] = service.events_for(case, include_void=True)
    allowed = can_record()
    return {
        "clock_case": case,
        "clock": clock_view(case),
        "clock_timeline": timeline,
        "clock_can_record": allowed,
        # An empty form for the case page; a refused submission is shown again on the clock page, with its errors.
        "clock_event_form": ClockEventForm(prefix="event", formdata=None) if allowed else None,
        "clock_today": today(),
    }
