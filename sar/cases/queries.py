"""The case list: search, filters, sorting and pages, done in the database on indexed columns."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, exists, func, or_, select
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
from sar.extensions import db
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
class CasePage:
    items: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
    if filters.right is not None:
        query = query.where(exists().where(CaseRight.case_id == Case.id, CaseRight.right == filters.right))
    if filters.unassigned:
        query = query.where(Case.owner_id.is_(None))
    elif filters.owner_id is not None:
        query = query.where(Case.owner_id == filters.owner_id)
    if filters.team_id is not None:
        query = query.where(exists().where(CaseScopeTeam.case_id == Case.id, CaseScopeTeam.team_id == filters.team_id))
    if filters.received_from is not None:
        query = query.where(Case.received_on >= filters.received_from)
    if filters.received_to is not None:
        query = query.where(Case.received_on <= filters.received_to)
    return query


def search_cases(
    filters: CaseFilters, *, page: int = 1, sort: str = DEFAULT_SORT, per_page: int = PER_PAGE
) -> CasePage:
    query = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    ordered = query.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])).limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.scalars(ordered.options(selectinload(Case.people), selectinload(Case.owner))))
    return CasePage(items=items, total=total, page=page, per_page=per_page)


def owners_for_filter() -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_(select(Case.owner_id))).order_by(User.full_name)))


HISTORY_PER_PAGE = 50
# Reads are audited too, but listing each one would drown the changes: they are summarised instead.
_READ_ACTIONS = ("case.viewed",)


@dataclass(frozen=True)
class CaseHistory:
    events: list[AuditEvent]  # one page of changes, oldest first
    total: int
    page: int
    pages: int
    views: int
    last_viewer: str | None
    last_viewed_at: datetime | None


def case_history(case: Case, *, page: int = 1, per_page: int | None = None) -> CaseHistory:
    """One page of what happened to the case, and a summary of its views, in a few indexed queries
    however many times the case has been opened."""
    per_page = per_page or HISTORY_PER_PAGE
    changes = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action.not_in(_READ_ACTIONS))
    total = db.session.scalar(select(func.count()).select_from(changes.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    events = list(db.session.scalars(changes.order_by(AuditEvent.id).limit(per_page).offset((page - 1) * per_page)))
    viewed = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action.in_(_READ_ACTIONS))
    views = db.session.scalar(select(func.count()).select_from(viewed.subquery())) or 0
    last = db.session.scalars(viewed.order_by(AuditEvent.id.desc()).limit(1)).first()
    return CaseHistory(
        events=events,
        total=total,
        page=page,
        pages=pages,
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
