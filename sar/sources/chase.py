"""The chase ladder for search tasks (the MoJ Correspondence Tool's): a reminder before a task is due, a chase
every few working days once it is overdue, and an escalation to the team's manager after enough chases.

Messages go through the mail outbox with a key per task, rung and recipient, so running the ladder twice on a
day sends nothing twice. Like the deadline reminders, emails carry the case reference, the task number and
dates only, never the names of the people involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import click
from flask import current_app, url_for
from sqlalchemy import select

from sar import audit, daily, deadlines, mail
from sar.auth.models import Role, User, UserRole
from sar.cases.models import Case
from sar.extensions import db
from sar.sources.models import SearchTask, TaskStatus, TeamContact

JOB_ACTOR = audit.SystemActor("search chase job")


@dataclass(frozen=True)
class Rung:
    kind: str  # reminder | chase | escalation
    task_id: int
    to_address: str
    subject: str
    body: str
    key: str


def _fmt(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _holders(task: SearchTask) -> list[str]:
    """The assignee, else the team's inbox address, else every active record holder in the team."""
    if task.assignee is not None and task.assignee.active:
        return [task.assignee.email]
    contact = db.session.get(TeamContact, task.team_id)
    if contact is not None and contact.inbox_email:
        return [contact.inbox_email]
    return sorted(
        db.session.scalars(
            select(User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.team_id == task.team_id, User.active, UserRole.role == Role.RECORD_HOLDER)
        )
    )


def _escalation_addresses(task: SearchTask, case: Case) -> list[str]:
    contact = db.session.get(TeamContact, task.team_id)
    if contact is not None and contact.manager_email:
        return [contact.manager_email]
    # No manager on record: the case owner must know the team has not answered.
    if case.owner is not None and case.owner.active:
        return [case.owner.email]
    return sorted(
        db.session.scalars(
            select(User.email).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == Role.DPO, User.active)
        )
    )


def _task_url(task: SearchTask) -> str:
    try:
        return url_for("tasks.show_task", task_id=task.id, _external=True)
    except RuntimeError:  # no request and no SERVER_NAME: say where to look instead
        return "the ‘My tasks’ page of the subject access request service"


def run_ladder(on: date) -> list[Rung]:
    """Queue the day's reminders, chases and escalations; returns what was queued now."""
    config = current_app.config
    region = config["BANK_HOLIDAY_REGION"]
    remind_before = int(config["TASK_REMINDER_WORKING_DAYS"])
    chase_every = int(config["TASK_CHASE_EVERY_WORKING_DAYS"])
    escalate_after = int(config["TASK_ESCALATE_AFTER_CHASES"])
    queued: list[Rung] = []
    open_tasks = db.session.scalars(
        select(SearchTask)
        .where(SearchTask.status.in_([TaskStatus.OPEN, TaskStatus.FAILED]))
        .order_by(SearchTask.due_date, SearchTask.id)
    ).all()
    for task in open_tasks:
        case = db.session.get_one(Case, task.case_id)
        if case.is_closed:
            continue
        where = _task_url(task)
        if task.due_date >= on:
            if task.reminded_on is None and deadlines.working_days_between(on, task.due_date, region) <= remind_before:
                body = (
                    f"Search {task.id} for request {case.reference} is due on {_fmt(task.due_date)}.\n\n"
                    f"Send the records you find, or confirm that none are held, at {where}."
                )
                queued += _send(task, case, "reminder", 0, _holders(task), f"Search due {_fmt(task.due_date)}", body)
                task.reminded_on = on
            continue
        since = task.last_chased_on or task.due_date
        if task.last_chased_on is None or deadlines.working_days_between(since, on, region) >= chase_every:
            task.chase_count += 1
            task.last_chased_on = on
            body = (
                f"Search {task.id} for request {case.reference} was due on {_fmt(task.due_date)} and is "
                f"overdue. The council has a legal deadline for this request.\n\n"
                f"Send the records you find, or confirm that none are held, at {where}."
            )
            queued += _send(
                task,
                case,
                "chase",
                task.chase_count,
                _holders(task),
                f"OVERDUE search {task.id} ({case.reference})",
                body,
            )
            if task.chase_count >= escalate_after and task.escalated_on is None:
                task.escalated_on = on
                body = (
                    f"Search {task.id} for request {case.reference}, commissioned from {task.team.name}, was "
                    f"due on {_fmt(task.due_date)} and has been chased {task.chase_count} times without an "
                    f"answer. Please make sure it is answered: the council has a legal deadline for this "
                    f"request."
                )
                queued += _send(
                    task,
                    case,
                    "escalation",
                    0,
                    _escalation_addresses(task, case),
                    f"Escalated: overdue search {task.id} ({case.reference})",
                    body,
                )
    return queued


def _send(task: SearchTask, case: Case, kind: str, n: int, to: list[str], subject: str, body: str) -> list[Rung]:
    sent = []
    for address in to:
        key = f"task:{kind}:{task.id}:{n}:{address.lower()}"
        message = mail.queue(
            address,
            subject,
            body + "\n\nSent by the subject access request service.",
            dedup_key=key,
            kind=f"task:{kind}",
            case_id=case.id,
        )
        if message is not None:
            sent.append(Rung(kind, task.id, address, subject, body, key))
    if sent:
        audit.record_on(
            task,
            f"task.{kind}",
            f"Search {task.id}: {kind} sent to {', '.join(r.to_address for r in sent)}",
            by=JOB_ACTOR,
        )
    return sent


def chase_job(payload: dict[str, object]) -> None:
    """Job handler ("sources.chase_searches", payload {"date": "YYYY-MM-DD"} or {})."""
    day = daily.payload_day(payload)
    run_ladder(day)
    mail.deliver_pending()


@click.command("chase-searches")
@daily.day_option("chase for")
def chase_command(day: date) -> None:
    """Remind, chase and escalate search tasks, then deliver the mail."""
    rungs = run_ladder(day)
    db.session.commit()
    report = mail.deliver_pending(commit=db.session.commit)
    db.session.commit()
    counts = {kind: sum(r.kind == kind for r in rungs) for kind in ("reminder", "chase", "escalation")}
    click.echo(
        f"Searches on {day.isoformat()}: {counts['reminder']} reminders, {counts['chase']} chases, "
        f"{counts['escalation']} escalations queued. Mail: {report.sent} sent, {report.failed} failed and kept."
    )
