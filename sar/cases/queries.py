"""The case list: search, filters, sorting and pages, done in the database on indexed columns."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Result, Row, Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from sar.audit import AuditEvent
from sar.auth.models import User
from sar.cases.models import (
    Case,
    CasePerson,
    CasePersonName,
    CaseRight,
    CaseScopeTeam,
    CaseStatus,
    PersonRole,
    Right,
    name_key,
)
from sar.cases.panels import case_list_dates
from sar.extensions import db
from sar.pagination import Page, count, paginate
from sar.urls import parse_id

PER_PAGE = 25

SORTS = {
    "received-desc": (Case.received_at.desc(), Case.id.desc()),
    "received-asc": (Case.received_at.asc(), Case.id.asc()),
    "reference-asc": (Case.reference.asc(),),
    "reference-desc": (Case.reference.desc(),),
    "status-asc": (Case.status.asc(), Case.received_at.desc()),
}
DEFAULT_SORT = "received-desc"
DUE_SORTS = ("due-asc", "due-desc")


@dataclass(frozen=True)
class CaseFilters:
    text: str = ""
    status: CaseStatus | None = None
    open_only: bool = False
    right: Right | None = None
    owner_id: int | None = None
    unassigned: bool = False
    team_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None

    def describe(self) -> dict[str, str]:
        """For the audit event of a search: what was asked, not what was found."""
        return {name: str(value) for name, value in self.__dict__.items() if value not in (None, "", False)}


@dataclass(frozen=True)
class CasePage(Page[Case]):
    # Statutory due date and calendar days left for each listed case, when the clock is installed.
    due: dict[int, tuple[date, int]] = field(default_factory=dict)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def case_batches(
    execute: Callable[[Select[Any]], Result[Any]], *columns: Any, size: int
) -> Iterator[Sequence[Row[Any]]]:
    """Every case's id and ``columns``, ``size`` cases at a time in id order, read with ``execute`` (the session's,
    or its connection's for Core speed): a keyset walk, so memory stays flat however many cases there are."""
    last_id = 0
    while batch := execute(select(Case.id, *columns).where(Case.id > last_id).order_by(Case.id).limit(size)).all():
        yield batch
        last_id = batch[-1].id


def narrowed(
    query: Select[Any],
    case_id: Any,
    *,
    right: Right | None = None,
    owner_id: int | None = None,
    unassigned: bool = False,
    team_id: int | None = None,
) -> Select[Any]:
    """Narrow a query about cases (``case_id`` is its case id column; ``Case`` is in it) to those asking for a
    right, owned by someone (or by nobody: ``unassigned``) and with a team in scope: the filters the case list
    and the deadlines dashboard share."""
    # SQLite tests the conditions in this order: the team (one of twenty) rules out most cases before the right
    # (most requests are for access) is looked up; the other way round the dashboard's filtered page took half as
    # long again (docs/benchmarks.md).
    if team_id is not None:
        query = query.where(exists().where(CaseScopeTeam.case_id == case_id, CaseScopeTeam.team_id == team_id))
    if unassigned:
        query = query.where(Case.owner_id.is_(None))
    elif owner_id is not None:
        query = query.where(Case.owner_id == owner_id)
    if right is not None:
        query = query.where(exists().where(CaseRight.case_id == case_id, CaseRight.right == right))
    return query


def _filtered(filters: CaseFilters) -> Select[Case]:
    query = select(Case)
    text = " ".join(filters.text.split())
    if text:
        pattern = f"%{_escape_like(text.lower())}%"
        # The name index holds full names and former, birth and other names (a care leaver may be
        # known by another name now), normalised the same way as the search text.
        name_pattern = f"%{_escape_like(name_key(text))}%"
        named = exists().where(
            CasePerson.case_id == Case.id,
            CasePerson.role.in_([PersonRole.DATA_SUBJECT, PersonRole.REQUESTER]),
            CasePersonName.person_id == CasePerson.id,
            CasePersonName.name.like(name_pattern, escape="\\"),
        )
        query = query.where(or_(func.lower(Case.reference).like(pattern, escape="\\"), named))
    if filters.status is not None:
        query = query.where(Case.status == filters.status)
    elif filters.open_only:
        query = query.where(Case.status != CaseStatus.CLOSED)
    query = narrowed(
        query,
        Case.id,
        right=filters.right,
        owner_id=filters.owner_id,
        unassigned=filters.unassigned,
        team_id=filters.team_id,
    )
    if filters.received_from is not None:
        query = query.where(Case.received_on >= filters.received_from)
    if filters.received_to is not None:
        query = query.where(Case.received_on <= filters.received_to)
    return query


def search_cases(
    filters: CaseFilters, *, page: int = 1, sort: str = DEFAULT_SORT, per_page: int = PER_PAGE
) -> CasePage:
    query = _filtered(filters)
    chosen: Page[Case] = Page.of(count(query), page, per_page)
    dates = case_list_dates()
    if dates is not None:
        query = query.outerjoin(dates.entity, dates.case_id == Case.id).add_columns(dates.due_date)
    if sort in DUE_SORTS and dates is not None:
        # Open cases by due date (closed ones after them: their deadline has passed into the record).
        column = dates.due_date.desc() if sort == "due-desc" else dates.due_date.asc()
        order: tuple[Any, ...] = ((Case.status == CaseStatus.CLOSED).asc(), column.nulls_last(), Case.id.asc())
    else:
        order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    ordered = chosen.slice(query.order_by(*order))
    rows: list[Any] = list(db.session.execute(ordered.options(selectinload(Case.people), selectinload(Case.owner))))
    items = [row[0] for row in rows]
    due: dict[int, tuple[date, int]] = {}
    if dates is not None:
        today = dates.today()
        due = {row[0].id: (row[1], (row[1] - today).days) for row in rows if row[1] is not None}
    return CasePage(total=chosen.total, page=chosen.page, per_page=per_page, items=items, due=due)


def owners_for_filter() -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_(select(Case.owner_id))).order_by(User.full_name)))


HISTORY_PER_PAGE = 20
# Reads are audited too, but listing each one would drown the changes: they are summarised instead.
_READ_ACTIONS = ("case.viewed",)


@dataclass(frozen=True)
class CaseHistory:
    changes: Page[AuditEvent]  # one page of changes, newest first
    views: int
    last_viewer: str | None
    last_viewed_at: datetime | None


def case_history(case: Case, *, page: int = 1, per_page: int | None = None) -> CaseHistory:
    """One page of what happened to the case, newest first, and a summary of its views, in a few indexed
    queries however many times the case has been opened."""
    changes = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action.not_in(_READ_ACTIONS))
    newest_first = changes.order_by(AuditEvent.id.desc())
    events = paginate(newest_first, page=page, per_page=per_page or HISTORY_PER_PAGE)
    viewed = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action.in_(_READ_ACTIONS))
    views = db.session.scalar(select(func.count()).select_from(viewed.subquery())) or 0
    last = db.session.scalars(viewed.order_by(AuditEvent.id.desc()).limit(1)).first()
    return CaseHistory(
        changes=events,
        views=views,
        last_viewer=last.actor_label if last else None,
        last_viewed_at=last.occurred_at if last else None,
    )


def references(case_ids: set[int]) -> dict[int, str]:
    """Case references by id, for pages outside intake that show case numbers (the audit log)."""
    rows = db.session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids)))
    return {int(case_id): str(reference) for case_id, reference in rows}


def find_by_reference(text: str) -> int | None:
    """A case's id from its reference (any case) or its number."""
    text = text.strip()
    if text.isdigit():
        return parse_id(text)
    found = db.session.scalar(select(Case.id).where(func.upper(Case.reference) == text.upper()))
    return None if found is None else int(found)


@dataclass(frozen=True)
class PossibleDuplicate:
    case: Case
    reason: str


def possible_duplicates(
    *, subject_name: str, subject_born: date | None, requester_name: str | None, received_on: date
) -> list[PossibleDuplicate]:
    """Open cases this new request may repeat: the same subject (name and date of birth), or the same requester
    on the same day. Names compare ignoring case and spacing."""

    def norm(name: str) -> str:
        return " ".join(name.split()).lower()

    found: dict[int, PossibleDuplicate] = {}
    if subject_born is not None and subject_name.strip():
        same_subject = (
            select(Case)
            .join(CasePerson)
            .where(
                Case.status != CaseStatus.CLOSED,
                CasePerson.role == PersonRole.DATA_SUBJECT,
                func.lower(CasePerson.full_name) == norm(subject_name),
                CasePerson.date_of_birth == subject_born,
            )
        )
        for case in db.session.scalars(same_subject):
            found[case.id] = PossibleDuplicate(case, "the same data subject and date of birth")
    if requester_name and requester_name.strip():
        same_requester = (
            select(Case)
            .join(CasePerson)
            .where(
                Case.status != CaseStatus.CLOSED,
                CasePerson.role.in_([PersonRole.REQUESTER, PersonRole.DATA_SUBJECT]),
                func.lower(CasePerson.full_name) == norm(requester_name),
                Case.received_on == received_on,
            )
        )
        for case in db.session.scalars(same_requester):
            found.setdefault(case.id, PossibleDuplicate(case, "the same requester, received the same day"))
    return [found[key] for key in sorted(found)]
