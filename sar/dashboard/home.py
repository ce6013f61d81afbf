"""Home pages that show each person their work, by role.

The home route belongs to sar.web (every signed-in user has one); this module fills it through
``app.extensions["sar_home"]`` so the foundations never import a stage. Lists are short (the most urgent first)
and link on to the full case list or deadlines page; every list reads the clock's stored dates, so a page view
never runs the clock for more than the handful of cases it shows a next action for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from sar import audit
from sar.auth.models import Role, User
from sar.calendar import today
from sar.cases import status as case_status
from sar.cases.models import Case, CaseStatus
from sar.clock.models import OPEN_CLOCK, CaseClock, ClockStatus
from sar.dashboard import performance, queries
from sar.dashboard.queries import Filters, Horizons
from sar.extensions import db

LIST_LIMIT = 10
# Whose move it is, by status (sar.cases.workflow): these wait on the case owner.
OWNER_ACTS = (CaseStatus.RECEIVED, CaseStatus.IN_REVIEW, CaseStatus.RETURNED, CaseStatus.READY_TO_SEND)


@dataclass(frozen=True)
class HomeCase:
    case: Case
    due_date: date | None
    days_left: int | None
    next_action: str = ""

    @property
    def subject_name(self) -> str:
        subject = self.case.subject
        return subject.full_name if subject else ""


def _open_cases(*conditions: Any) -> Select[Case, date]:
    return (
        select(Case, CaseClock.due_date)
        .join(CaseClock, CaseClock.case_id == Case.id)
        .where(OPEN_CLOCK, Case.status != CaseStatus.CLOSED, *conditions)
        .options(selectinload(Case.people))
    )


def _listed(query: Select[Case, date], now: date, *, with_action: bool = False) -> list[HomeCase]:
    rows = db.session.execute(query.order_by(CaseClock.due_date, Case.id).limit(LIST_LIMIT)).all()
    return [
        HomeCase(
            case, due, (due - now).days if due else None, case_status.current(case).next_action if with_action else ""
        )
        for case, due in rows
    ]


def officer_sections(user: User, now: date) -> dict[str, Any]:
    mine = Case.owner_id == user.id
    week_end = now + timedelta(days=7)
    return {
        "by_urgency": _listed(_open_cases(mine), now),
        "due_this_week": _listed(_open_cases(mine, CaseClock.due_date.between(now, week_end)), now),
        "awaiting_action": _listed(_open_cases(mine, Case.status.in_(OWNER_ACTS)), now, with_action=True),
        "returned": _listed(_open_cases(mine, Case.status == CaseStatus.RETURNED), now, with_action=True),
        "week_end": week_end,
    }


def dpo_sections(user: User, now: date) -> dict[str, Any]:
    region = current_app.config["BANK_HOLIDAY_REGION"]
    horizons = Horizons.from_today(now, region)
    at_risk = _open_cases(CaseClock.status == ClockStatus.RUNNING, CaseClock.due_date <= horizons.due_5)
    sign_off = _open_cases(Case.status == CaseStatus.AWAITING_SIGN_OFF, Case.owner_id.is_distinct_from(user.id))
    month = performance.monthly(now)[-1]  # this month so far
    return {
        "at_risk": _listed(at_risk, now),
        "due_5": horizons.due_5,
        "awaiting_sign_off": _listed(sign_off, now),
        "notices": queries.notices_due(Filters(), horizons, region=region, limit=LIST_LIMIT),
        "month": month,
    }


def home_context(user: User) -> dict[str, Any]:
    """Each of the user's roles' sections; viewing names of people in cases is audited."""
    now = today()
    context: dict[str, Any] = {"today": now}
    if user.has_role(Role.IG_OFFICER):
        context["officer"] = officer_sections(user, now)
    if user.has_role(Role.DPO):
        context["dpo"] = dpo_sections(user, now)
    shown: set[int] = set()
    for section in (context.get("officer", {}), context.get("dpo", {})):
        for value in section.values():
            for item in value if isinstance(value, list) else ():
                shown.add(item.case.id if isinstance(item, HomeCase) else item.case_id)
    if shown:
        audit.record(
            "home.viewed",
            object_type="case_list",
            summary=f"Home page: {len(shown)} cases shown",
            after={"case_ids": sorted(shown)},
            by=user,
        )
    return context
