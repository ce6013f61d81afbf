"""Overdue search tasks, for the deadline dashboard (a later stage reads this; sources never imports it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from sar.auth.models import Team
from sar.cases.models import Case, CaseStatus
from sar.extensions import db
from sar.sources.models import SearchTask, TaskStatus


@dataclass(frozen=True)
class OverdueSearch:
    task_id: int
    case_id: int
    reference: str
    team_name: str
    due_date: date
    chase_count: int
    escalated_on: date | None


def overdue_searches(on: date, limit: int = 200) -> list[OverdueSearch]:
    rows = db.session.execute(
        select(SearchTask, Case.reference, Team.name)
        .join(Case, Case.id == SearchTask.case_id)
        .join(Team, Team.id == SearchTask.team_id)
        .where(
            SearchTask.status.in_([TaskStatus.OPEN, TaskStatus.FAILED]),
            SearchTask.due_date < on,
            Case.status != CaseStatus.CLOSED,
        )
        .order_by(SearchTask.due_date, SearchTask.id)
        .limit(limit)
    ).all()
    return [
        OverdueSearch(t.id, t.case_id, reference, team, t.due_date, t.chase_count, t.escalated_on)
        for t, reference, team in rows
    ]
