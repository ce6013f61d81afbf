"""Read-only queries behind the deadline dashboard.

Why it stays fast with 50,000 cases: every date it shows was stored by the clock's last recalculation
(``case_clocks``), so a page view never runs the clock. Urgency bands are ranges of the stored due date, worked
out once per request from "today" (three dates), so the counts are one aggregate query over the
``(status, due_date)`` index, and each list is a LIMITed, indexed query. Working days left are computed only for
the rows on screen.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, and_, case, exists, func, literal, select, type_coerce
from sqlalchemy.orm import aliased

from sar import deadlines
from sar.auth.models import Team, User
from sar.cases.models import Case, CasePerson, CaseRight, CaseScopeTeam, PersonRole, Right
from sar.cases.queries import narrowed
from sar.clock.models import OPEN_CLOCK, CaseClock, ClockStatus
from sar.extensions import db
from sar.pagination import Page

OPEN_STATUSES = tuple(s for s in ClockStatus if s is not ClockStatus.CLOSED)
PAGE_SIZE = 50
NOTICE_LOOKAHEAD_WORKING_DAYS = 10


class Band(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_5 = "due-5"
    DUE_20 = "due-20"
    ON_TRACK = "on-track"
    PAUSED = "paused"
    AWAITING_ID = "awaiting-id"
    AWAITING_AUTHORITY = "awaiting-authority"
    AWAITING_FEE = "awaiting-fee"

    @property
    def label(self) -> str:
        return BAND_LABELS[self]


BAND_LABELS = {
    Band.OVERDUE: "Overdue",
    Band.DUE_5: "Due in 5 working days",
    Band.DUE_20: "Due in 6 to 20 working days",
    Band.ON_TRACK: "On track",
    Band.PAUSED: "Paused for clarification",
    Band.AWAITING_ID: "Awaiting proof of identity",
    Band.AWAITING_AUTHORITY: "Awaiting evidence of authority",
    Band.AWAITING_FEE: "Awaiting fee",
}
_STATUS_VALUES = frozenset(s.value for s in ClockStatus)
_WAITING = {
    ClockStatus.PAUSED: Band.PAUSED,
    ClockStatus.AWAITING_ID: Band.AWAITING_ID,
    ClockStatus.AWAITING_AUTHORITY: Band.AWAITING_AUTHORITY,
    ClockStatus.AWAITING_FEE: Band.AWAITING_FEE,
}


@dataclass(frozen=True)
class Horizons:
    """The three dates that split running cases into urgency bands, from "today"."""

    today: date
    due_5: date
    due_20: date
    notice: date

    @classmethod
    def from_today(cls, today: date, region: str) -> Horizons:
        return cls(
            today=today,
            due_5=deadlines.add_working_days(today, 5, region),
            due_20=deadlines.add_working_days(today, 20, region),
            notice=deadlines.add_working_days(today, NOTICE_LOOKAHEAD_WORKING_DAYS, region),
        )


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    owner_id: int | None = None  # 0 means "nobody owns it"
    right: Right | None = None
    status: ClockStatus | None = None
    band: Band | None = None

    def apply(self, query: Select[Any]) -> Select[Any]:
        query = narrowed(
            query,
            CaseClock.case_id,
            right=self.right,
            owner_id=self.owner_id,
            unassigned=self.owner_id == 0,
            team_id=self.team_id,
        )
        if self.status is not None:
            query = query.where(CaseClock.status == self.status)
        return query


def _band_condition(band: Band, h: Horizons) -> Any:
    running = CaseClock.status == ClockStatus.RUNNING
    if band is Band.OVERDUE:
        return and_(running, CaseClock.due_date < h.today)
    if band is Band.DUE_5:
        return and_(running, CaseClock.due_date.between(h.today, h.due_5))
    if band is Band.DUE_20:
        return and_(running, CaseClock.due_date > h.due_5, CaseClock.due_date <= h.due_20)
    if band is Band.ON_TRACK:
        return and_(running, CaseClock.due_date > h.due_20)
    status = next(s for s, b in _WAITING.items() if b is band)
    return CaseClock.status == status


def _base(filters: Filters, *columns: Any, join_case: bool = True) -> Select[Any]:
    query = select(*columns).select_from(CaseClock)
    if join_case or filters.owner_id is not None:  # counting needs the case row only to filter by owner
        query = query.join(Case, Case.id == CaseClock.case_id)
    return filters.apply(query.where(OPEN_CLOCK))


def band_counts(filters: Filters, h: Horizons) -> dict[Band, int]:
    """How many open cases fall in each band: one GROUP BY over the status/due-date index."""
    band_expr = case(
        # type_coerce: the result mixes status values and band names, so read it back as a plain string.
        (CaseClock.status != ClockStatus.RUNNING, type_coerce(CaseClock.status, String)),
        (CaseClock.due_date < h.today, literal(Band.OVERDUE.value)),
        (CaseClock.due_date <= h.due_5, literal(Band.DUE_5.value)),
        (CaseClock.due_date <= h.due_20, literal(Band.DUE_20.value)),
        else_=literal(Band.ON_TRACK.value),
    )
    unbanded = Filters(filters.team_id, filters.owner_id, filters.right, filters.status)
    query = _base(unbanded, band_expr, func.count(), join_case=False)
    counts = dict.fromkeys(Band, 0)
    for key, number in db.session.execute(query.group_by(band_expr)):
        raw = str(key)
        band = _WAITING.get(ClockStatus(raw)) if raw in _STATUS_VALUES else Band(raw)
        if band is not None:
            counts[band] += number
    return counts


@dataclass(frozen=True)
class Row:
    case_id: int
    reference: str
    received_on: date
    owner_name: str | None
    status: ClockStatus
    due_date: date
    internal_target: date
    notice_deadline: date
    extended: bool
    days_left: int
    working_days_left: int
    rights: list[Right]
    teams: list[str]
    subject_name: str = ""


SORTS: dict[str, Any] = {
    "due": CaseClock.due_date,
    "target": CaseClock.internal_target,
    "reference": Case.reference,
    "received": Case.received_on,
    "owner": None,  # set in case_rows (needs the owner alias)
    "status": CaseClock.status,
}


def total_for(filters: Filters, counts: dict[Band, int]) -> int:
    """How many cases the list has in all: read from the band counts, which apply the same filters (no second
    COUNT query)."""
    return counts[filters.band] if filters.band is not None else sum(counts.values())


def _row_query(filters: Filters) -> tuple[Select[Any], Any]:
    """Open cases for the filters with the columns a row shows (see :func:`_rows`), and the owner they join to
    (an outer join: an unassigned case has none)."""
    owner = aliased(User)
    columns = (
        Case.id,
        Case.reference,
        Case.received_on,
        owner.full_name,
        CaseClock.status,
        CaseClock.due_date,
        CaseClock.internal_target,
        CaseClock.notice_deadline,
        CaseClock.extended,
    )
    return _base(filters, *columns).outerjoin(owner, owner.id == Case.owner_id), owner


def case_rows(filters: Filters, h: Horizons, *, sort: str, descending: bool, page: Page[Any], region: str) -> list[Row]:
    """One page of open cases for the filters and band, sorted on the server."""
    query, owner = _row_query(filters)
    if filters.band is not None:
        query = query.where(_band_condition(filters.band, h))
    key = owner.full_name if sort == "owner" else SORTS.get(sort, CaseClock.due_date)
    # Unassigned cases last either way, and the same on SQLite (NULLs first) and PostgreSQL (NULLs last).
    order = [(key.desc() if descending else key.asc()).nulls_last()]
    if sort != "due":
        order.append(CaseClock.due_date.asc())
    order.append(Case.id.asc())  # a stable order, so paging never repeats or skips a case
    records = db.session.execute(page.slice(query.order_by(*order))).all()
    return _rows(records, h.today, region)


def notices_due(filters: Filters, h: Horizons, *, region: str, limit: int = 20) -> list[Row]:
    """Unextended open cases whose last day for an extension notice is today or within the look-ahead."""
    query, _ = _row_query(filters)
    query = (
        query.where(
            CaseClock.status.in_((ClockStatus.RUNNING, ClockStatus.PAUSED)),
            CaseClock.extended.is_(False),
            CaseClock.notice_deadline.between(h.today, h.notice),
        )
        .order_by(CaseClock.notice_deadline, Case.id)
        .limit(limit)
    )
    return _rows(db.session.execute(query).all(), h.today, region, details=False)


def _rows(records: Sequence[Any], today: date, region: str, *, details: bool = True) -> list[Row]:
    """Rows for the template; ``details`` adds each case's rights and teams (two queries for the whole page)."""
    ids = [r[0] for r in records]
    rights: dict[int, list[Right]] = {}
    teams: dict[int, list[str]] = {}
    subjects: dict[int, str] = {}
    if ids:
        for case_id, name in db.session.execute(
            select(CasePerson.case_id, CasePerson.full_name).where(
                CasePerson.case_id.in_(ids), CasePerson.role == PersonRole.DATA_SUBJECT
            )
        ):
            subjects[case_id] = name
    if ids and details:
        for case_id, right in db.session.execute(
            select(CaseRight.case_id, CaseRight.right).where(CaseRight.case_id.in_(ids))
        ):
            rights.setdefault(case_id, []).append(right)
        for case_id, name in db.session.execute(
            select(CaseScopeTeam.case_id, Team.name)
            .join(Team, Team.id == CaseScopeTeam.team_id)
            .where(CaseScopeTeam.case_id.in_(ids))
            .order_by(Team.name)
        ):
            teams.setdefault(case_id, []).append(name)
    order = list(Right)
    return [
        Row(
            case_id=r[0],
            reference=r[1],
            received_on=r[2],
            owner_name=r[3],
            status=r[4],
            due_date=r[5],
            internal_target=r[6],
            notice_deadline=r[7],
            extended=r[8],
            days_left=deadlines.days_left(r[5], today),
            working_days_left=deadlines.working_days_left(r[5], today, region),
            rights=sorted(rights.get(r[0], []), key=order.index),
            teams=teams.get(r[0], []),
            subject_name=subjects.get(r[0], ""),
        )
        for r in records
    ]


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options for the filter selects: active teams and the people who own open cases."""
    teams = db.session.execute(select(Team.id, Team.name).where(Team.active).order_by(Team.name)).all()
    owners = db.session.execute(
        select(User.id, User.full_name).where(exists().where(Case.owner_id == User.id)).order_by(User.full_name)
    ).all()
    return {
        "team": [(str(i), n) for i, n in teams],
        "officer": [("0", "Nobody (unassigned)")] + [(str(i), n) for i, n in owners],
    }
