"""Search tasks: an IG officer commissions searches from teams and providers; record holders answer them.

A record holder sees a task when it is assigned to them, or when it sits in their team's inbox (no assignee);
nothing else of the case. Answers are files (ingested like any upload, linked to the task) or "no records held"
with a search statement, which the case keeps as its evidence of a reasonable and proportionate search.
Providers without accounts get an upload link (sar.sources.links).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import or_, select

from sar import audit, deadlines
from sar.auth.models import Role, Team, User
from sar.calendar import today
from sar.cases import status as case_status
from sar.cases.models import Case, PersonRole
from sar.clock.models import CaseClock
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db
from sar.sources.models import SearchStatement, SearchTask, TaskStatus


class TaskError(DomainError):
    """A task change refused; ``field`` names the form field it belongs to."""


@dataclass(frozen=True)
class Commission:
    teams: tuple[Team, ...]
    instructions: str
    search_terms: str
    due_date: date
    date_from: date | None = None
    date_to: date | None = None
    assignee: User | None = None


@dataclass(frozen=True)
class Statement:
    systems_searched: str
    terms_used: str
    searched_by: str
    searched_on: date


def _region() -> str:
    return str(current_app.config["BANK_HOLIDAY_REGION"])


def statutory_due(case: Case) -> date | None:
    clock = db.session.get(CaseClock, case.id)
    return clock.due_date if clock is not None else None


def default_due_date(case: Case) -> date:
    """A configurable number of working days before the internal target, but never before the next working day."""
    clock = db.session.get(CaseClock, case.id)
    region = _region()
    now = today()
    earliest = deadlines.add_working_days(now, 1, region)
    if clock is None:
        return deadlines.add_working_days(now, 10, region)
    before = int(current_app.config["TASK_DUE_WORKING_DAYS_BEFORE_TARGET"])
    proposed = deadlines.add_working_days(clock.internal_target, -before, region)
    if proposed >= earliest:
        return proposed
    # The target is too close (or past): the next working day, but never after the statutory due date while
    # that is still ahead.
    return min(earliest, clock.due_date) if clock.due_date >= now else earliest


def subject_identifiers(case: Case) -> list[str]:
    """What the record holder needs to find the subject: names, aliases, date of birth, NHS number."""
    subject = case.subject
    if subject is None:
        return []
    found = [f"Name: {subject.full_name}"]
    if subject.aliases:
        found.append("Also known as: " + ", ".join(subject.aliases))
    if subject.date_of_birth:
        found.append(f"Date of birth: {subject.date_of_birth.day} {subject.date_of_birth:%B %Y}")
    if subject.nhs_number:
        found.append(f"NHS number: {subject.nhs_number}")
    if subject.addresses:
        found.append("Address: " + "; ".join(subject.addresses))
    return found


def commission(case: Case, details: Commission, *, by: User) -> list[SearchTask]:
    """One task per team, in one step."""
    if case.is_closed:
        raise TaskError("This case is closed. Reopen it before commissioning searches.")
    if not details.teams:
        raise TaskError("Select at least one team or provider", "teams")
    if not details.instructions.strip():
        raise TaskError("Enter what the team should search for", "instructions")
    if details.due_date < today():
        raise TaskError("The date the search is due must be today or in the future", "due_date")
    due = statutory_due(case)
    # A case already past its due date still needs its searches: then any date from today is accepted.
    if due is not None and due >= today() and details.due_date > due:
        raise TaskError(
            f"The search must be due on or before the statutory due date, {due.day} {due:%B %Y}", "due_date"
        )
    if details.date_from and details.date_to and details.date_from > details.date_to:
        raise TaskError("The start of the date range must be before its end", "date_from")
    if details.assignee is not None and not details.assignee.has_role(Role.RECORD_HOLDER):
        raise TaskError("The person a search is assigned to must be a record holder", "assignee")
    identifiers = subject_identifiers(case)
    made = []
    for team in details.teams:
        assignee = details.assignee if details.assignee is not None and details.assignee.team_id == team.id else None
        task = SearchTask(
            case_id=case.id,
            team_id=team.id,
            assignee_id=assignee.id if assignee else None,
            instructions=details.instructions.strip(),
            identifiers=identifiers,
            search_terms=details.search_terms.strip(),
            date_from=details.date_from,
            date_to=details.date_to,
            due_date=details.due_date,
            status=TaskStatus.OPEN,
            created_by_id=by.id,
        )
        db.session.add(task)
        db.session.flush()
        audit.record_on(
            task,
            "task.commissioned",
            (
                f"Search commissioned from {team.name}, due {details.due_date.isoformat()}"
                + (f", assigned to {assignee.email}" if assignee else " (team inbox)")
            ),
            by=by,
        )
        made.append(task)
    if made:
        _status_follows(case, f"search{'es' if len(made) != 1 else ''} sent to {len(made)} teams", by)
    return made


def visible_to(user: User) -> object:
    """The condition that picks the tasks a record holder may see: theirs, or their team's unassigned ones."""
    conditions = [SearchTask.assignee_id == user.id]
    if user.team_id is not None:
        conditions.append((SearchTask.assignee_id.is_(None)) & (SearchTask.team_id == user.team_id))
    return or_(*conditions)


def tasks_for(user: User, *, open_only: bool = False) -> list[SearchTask]:
    query = select(SearchTask).where(visible_to(user))  # type: ignore[arg-type]
    if open_only:
        query = query.where(SearchTask.status.in_([TaskStatus.OPEN, TaskStatus.FAILED]))
    return list(db.session.scalars(query.order_by(SearchTask.due_date, SearchTask.id)))


def task_for(user: User, task_id: int) -> SearchTask:
    """The task if this user may act on it: IG staff on any task, a record holder only on theirs. Else NoResultFound
    (a 404: whether a task with that number exists is not theirs to know)."""
    query = select(SearchTask).where(SearchTask.id == task_id)
    if not user.has_role(Role.DPO, Role.IG_OFFICER):
        query = query.where(visible_to(user))  # type: ignore[arg-type]
    return db.session.execute(query).scalar_one()


def tasks_of_case(case_id: int) -> list[SearchTask]:
    return list(db.session.scalars(select(SearchTask).where(SearchTask.case_id == case_id).order_by(SearchTask.id)))


def is_overdue(task: SearchTask, on: date | None = None) -> bool:
    return task.status.is_open and task.due_date < (on or today())


def _check_open(task: SearchTask) -> None:
    if not task.status.is_open and task.status is not TaskStatus.RECORDS_SUPPLIED:
        raise TaskError("This search is finished: nothing more can be sent for it.")
    case = db.session.get_one(Case, task.case_id)
    if case.is_closed:
        raise TaskError("The request this search was for is closed: nothing more can be sent for it.")


def records_supplied(task: SearchTask, count: int, *, by_label: str, by: audit.Author) -> None:
    _check_open(task)
    task.status = TaskStatus.RECORDS_SUPPLIED
    task.completed_at = utcnow()
    task.completed_by_label = by_label[:200]
    task.error = ""
    audit.record_on(
        task,
        "task.records_supplied",
        f"{count} file{'s' if count != 1 else ''} sent for the search by {by_label}",
        by=by,
    )
    _status_follows(db.session.get(Case, task.case_id), f"records sent for the search by {task.team.name}", by)


def no_records_held(task: SearchTask, statement: Statement, *, by: User) -> SearchStatement:
    _check_open(task)
    if task.status is TaskStatus.RECORDS_SUPPLIED:
        raise TaskError("Files were already sent for this search, so it cannot be answered ‘no records held’.")
    for value, field, what in (
        (statement.systems_searched, "systems_searched", "the systems and places searched"),
        (statement.terms_used, "terms_used", "the names and search terms used"),
        (statement.searched_by, "searched_by", "who searched"),
    ):
        if not value.strip():
            raise TaskError(f"Enter {what}", field)
    if statement.searched_on > today():
        raise TaskError("The date of the search must be today or in the past", "searched_on")
    row = SearchStatement(
        task_id=task.id,
        systems_searched=statement.systems_searched.strip(),
        terms_used=statement.terms_used.strip(),
        searched_by=statement.searched_by.strip()[:200],
        searched_on=statement.searched_on,
        recorded_by_label=by.email,
    )
    db.session.add(row)
    task.status = TaskStatus.NO_RECORDS
    task.completed_at = utcnow()
    task.completed_by_label = by.email
    db.session.flush()
    audit.record_on(
        task,
        "task.no_records",
        "No records held: search statement recorded",
        by=by,
        after=audit.snapshot(row, ("systems_searched", "terms_used", "searched_by", "searched_on")),
    )
    _status_follows(db.session.get(Case, task.case_id), f"no records held by {task.team.name}", by)
    return row


def cancel(task: SearchTask, *, by: User) -> None:
    if task.status is TaskStatus.CANCELLED:
        return
    task.status = TaskStatus.CANCELLED
    audit.record_on(task, "task.cancelled", "Search cancelled", by=by)
    _status_follows(db.session.get(Case, task.case_id), f"search by {task.team.name} cancelled", by)


def _status_follows(case: Case | None, reason: str, by: audit.Author) -> None:
    """A search task opened or closed: the case's derived status may move (sar.cases.status)."""
    db.session.flush()
    if case is not None:
        case_status.refresh(case, reason=reason, by=by)


def subject_name(task: SearchTask) -> str:
    case = db.session.get_one(Case, task.case_id)
    subject = next((p for p in case.people if p.role is PersonRole.DATA_SUBJECT), None)
    return subject.full_name if subject else ""


def record_task_viewed(task: SearchTask, *, by: User) -> None:
    audit.record_on(task, "task.viewed", f"Viewed search task {task.id}", by=by)
