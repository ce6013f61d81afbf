"""Searching a connected system for a case: a search task run by a job instead of a person.

``commission_from_connector`` creates the task and queues ``sources.run_connector``; the job asks the source
for the subject's files and ingests each like an upload, linked to the task. A source that fails marks its own
task failed with the error (kept for the IG officer) and the job ends normally, so other connectors' tasks
carry on; a suspended connector is not run at all.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from sar import audit
from sar.auth.models import User
from sar.calendar import today
from sar.cases.models import Case
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db
from sar.jobs import enqueue, register_job, registered_jobs, report_progress
from sar.sources import ingest, tasks
from sar.sources.connectors import ConnectorError, Subject, source_for
from sar.sources.models import Connector, SearchTask, TaskStatus

RUN_JOB = "sources.run_connector"
JOB_ACTOR = audit.SystemActor("connector job")


def active_connectors() -> list[Connector]:
    return list(db.session.scalars(select(Connector).where(Connector.suspended.is_(False)).order_by(Connector.name)))


def subject_of(case: Case, task: SearchTask) -> Subject:
    person = case.subject
    if person is None:
        raise ConnectorError("The case has no data subject to search for")
    return Subject(
        full_name=person.full_name,
        aliases=tuple(person.aliases),
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
        date_from=task.date_from,
        date_to=task.date_to,
    )


def commission_from_connector(case: Case, connector: Connector, *, by: User) -> SearchTask:
    if connector.suspended:
        raise tasks.TaskError(f"{connector.name} is suspended: an administrator must resume it first.")
    made = tasks.commission(
        case,
        tasks.Commission(
            teams=(connector.team,),
            instructions=f"Search {connector.name} automatically for the subject's records.",
            search_terms="",
            due_date=max(today(), tasks.default_due_date(case)),
            date_from=case.scope_from,
            date_to=case.scope_to,
        ),
        by=by,
    )
    task = made[0]
    task.connector_id = connector.id
    if RUN_JOB not in registered_jobs():
        register_jobs()
    enqueue(RUN_JOB, {"task_id": task.id})
    return task


def run_connector_task(payload: dict[str, Any]) -> None:
    """Job handler. Idempotent: a task already answered is left alone, and files found again collapse as exact
    duplicates of the ones already gathered."""
    task = db.session.get(SearchTask, int(payload["task_id"]))
    if task is None or task.connector_id is None or task.status not in (TaskStatus.OPEN, TaskStatus.FAILED):
        return
    connector = db.session.get_one(Connector, task.connector_id)
    case = db.session.get_one(Case, task.case_id)
    if connector.suspended:
        _fail(task, f"{connector.name} is suspended; the search was not run.")
        return
    found = 0
    nested = db.session.begin_nested()
    try:
        source = source_for(connector.kind, connector.settings)
        for file in source.find(subject_of(case, task)):
            found += 1
            report_progress(found, None, f"{connector.name}: {found} files found")
            ingest.add_file(
                case,
                file.name,
                file.content,
                source=connector.name,
                by=None,
                by_label=f"connector {connector.name}",
                task=task,
            )
        unreadable = getattr(source, "unreadable", [])
    except Exception as error:  # noqa: BLE001 - any failure of a source is that source's, not the batch's
        nested.rollback()
        message = str(error) if isinstance(error, ConnectorError) else f"{error.__class__.__name__}: {error}"
        _fail(task, f"{connector.name} could not be searched: {message}")
        return
    nested.commit()
    for document in ingest.documents_of_task(task.id):
        document.connector_id = connector.id
    task.status = TaskStatus.RECORDS_SUPPLIED if found else TaskStatus.NO_RECORDS
    task.completed_at = utcnow()
    task.completed_by_label = f"connector {connector.name}"
    # Files the source could not open (a .pst with a password) are not about anyone in particular, so they are
    # not added to the case; the task says which they are and why, for the IG officer to chase.
    plural = "s" if len(unreadable) != 1 else ""
    listed = "; ".join(unreadable[:10])
    task.error = f"{len(unreadable)} file{plural} could not be searched: {listed}"[:2000] if unreadable else ""
    audit.record_on(task, "task.connector_run", f"{connector.name} searched: {found} files found", by=JOB_ACTOR)


def _fail(task: SearchTask, message: str) -> None:
    task.status = TaskStatus.FAILED
    task.error = message[:2000]
    audit.record_on(task, "task.failed", message[:500], by=JOB_ACTOR)


class ConnectorSettingsError(DomainError):
    """A connector an administrator described that cannot be added, with the field at fault."""


def add_connector(name: str, kind: str, team_id: int, settings_json: str, *, by: User) -> Connector:
    """Add a connector after checking its settings build a source (nothing is reached yet: that is "test")."""
    name = name.strip()
    try:
        settings = json.loads(settings_json)
    except ValueError:
        settings = None
    if not isinstance(settings, dict):
        raise ConnectorSettingsError('The settings must be a JSON object, like {"path": "/mnt/share"}', "settings")
    try:
        source_for(kind, settings)
    except ConnectorError as error:
        raise ConnectorSettingsError(str(error), "settings") from error
    if db.session.scalar(select(Connector.id).where(Connector.name == name)):
        raise ConnectorSettingsError("A connector with this name already exists", "name")
    connector = Connector(name=name, kind=kind, team_id=team_id, settings=settings)
    db.session.add(connector)
    db.session.flush()
    _audited(connector, "connector.created", f"Connector {connector.name} ({connector.kind}) added", by)
    return connector


def _audited(connector: Connector, action: str, summary: str, by: User) -> None:
    audit.record_on(connector, action, summary, by=by)


def test_connection(connector: Connector, *, by: User) -> tuple[bool, str]:
    try:
        result, ok = source_for(connector.kind, connector.settings).test_connection(), True
    except ConnectorError as error:
        result, ok = str(error), False
    except Exception as error:  # noqa: BLE001 - shown to the administrator, never a 500
        result, ok = f"{error.__class__.__name__}: {error}", False
    connector.last_tested_at = utcnow()
    connector.last_test_result = ("OK: " if ok else "Failed: ") + result[:1900]
    _audited(connector, "connector.tested", f"{connector.name}: {connector.last_test_result}", by)
    return ok, result


def set_suspended(connector: Connector, suspended: bool, *, by: User) -> None:
    if connector.suspended == suspended:
        return
    connector.suspended = suspended
    state = "suspended" if suspended else "resumed"
    _audited(connector, f"connector.{state}", f"{connector.name} {state}", by)


def register_jobs() -> None:
    register_job(RUN_JOB, run_connector_task)


register_jobs()
