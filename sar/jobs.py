"""Background jobs on an embedded queue: a ``jobs`` table and a worker, ``flask --app sar jobs run``.

Why a table rather than a broker: the job is written in the same transaction as the change that
needs it (a case is logged → its acknowledgement letter is queued), so a job can never be lost
between a committed change and a queue, and nothing else has to be running. Workers claim jobs
safely when several run at once (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional UPDATE
on SQLite), retry failures with exponential backoff, and take back jobs whose worker died.

Handlers receive the JSON payload and do their work through ``db.session`` without committing:
the worker commits the handler's work together with marking the job done, or rolls both back, so a
job that fails or whose worker dies leaves nothing half-done. A job can run more than once (a worker
killed after the commit but before it noticed, a retry after a failure), so handlers must be
idempotent: look for what an earlier run made (by a natural key such as a file's hash) before making it.
Failures are audited, by the "job worker" system actor.

Progress: a long handler calls :func:`report_progress` (done / total / message). It must be visible to a
page polling the job while the handler's own transaction is still open, so it is written apart from that
transaction: on PostgreSQL with a second connection that commits at once; on SQLite, which allows one
writer per database file and whose write lock the handler's transaction holds, in a small side database
next to it (``<database>-progress``). The job row gets the final figures when the job finishes.
"""

from __future__ import annotations

import enum
import os
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext
from sqlalchemy import JSON, Index, String, Text, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from sar import audit
from sar.audit import SystemActor
from sar.db import Base, string_enum, utcnow
from sar.extensions import db

WORKER = SystemActor("job worker")
MESSAGE_MAX = 300

JobHandler = Callable[[dict[str, Any]], None]

_HANDLERS: dict[str, JobHandler] = {}

DEFAULT_MAX_ATTEMPTS = 5
# With REDIS_URL set, a committed enqueue pushes here and idle workers block on it, so jobs start
# at once instead of at the next poll. Polling stays the safety net: Redis is never the record.
WAKE_KEY = "sar:jobs:wake"
_ENQUEUED_FLAG = "sar_jobs_enqueued"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # gave up after max_attempts; needs a person to look at last_error


class Job(Base):
    __tablename__ = "jobs"
    audit_type: ClassVar[str] = "job"
    __table_args__ = (Index("ix_jobs_due", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        string_enum(JobStatus, 20),
        default=JobStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=DEFAULT_MAX_ATTEMPTS)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    progress_done: Mapped[int] = mapped_column(default=0, server_default="0")
    progress_total: Mapped[int | None]
    progress_message: Mapped[str] = mapped_column(String(MESSAGE_MAX), default="", server_default="")

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class UnknownJob(LookupError):
    pass


def register_job(name: str, handler: JobHandler | None = None) -> Any:
    """Register ``handler`` for jobs called ``name``; also usable as ``@register_job("name")``."""

    def add(fn: JobHandler) -> JobHandler:
        existing = _HANDLERS.get(name)
        if existing is not None and existing is not fn and _qualified(existing) != _qualified(fn):
            raise ValueError(f"a handler for job {name!r} is already registered ({_qualified(existing)})")
        _HANDLERS[name] = fn
        return fn

    return add(handler) if handler is not None else add


def _qualified(fn: JobHandler) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def registered_jobs() -> dict[str, JobHandler]:
    return dict(_HANDLERS)


def enqueue(
    name: str,
    payload: dict[str, Any] | None = None,
    *,
    run_after: datetime | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> Job:
    """Queue a job in the current transaction: it exists only if the caller's change commits."""
    if name not in _HANDLERS:
        # Fail at the point of the mistake, not hours later in the worker.
        raise UnknownJob(f"no handler registered for job {name!r}")
    job = Job(
        name=name,
        payload=payload or {},
        status=JobStatus.QUEUED,
        attempts=0,
        max_attempts=max_attempts,
        run_after=run_after or utcnow(),
        created_at=utcnow(),
        last_error="",
    )
    db.session.add(job)
    db.session.flush()
    db.session.info[_ENQUEUED_FLAG] = True
    return job


def _redis() -> Any | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("sar_jobs_redis")
    if client is None:
        import redis

        # The read timeout must outlast the longest BLPOP wait in _wait_for_work.
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=40)
        current_app.extensions["sar_jobs_redis"] = client
    return client


@event.listens_for(Session, "after_commit")
def _wake_workers(session: Session) -> None:
    if not session.info.pop(_ENQUEUED_FLAG, False) or not has_app_context():
        return
    try:
        client = _redis()
        if client is not None:
            client.lpush(WAKE_KEY, "1")
            client.ltrim(WAKE_KEY, 0, 99)  # a burst of enqueues needs only a few wake-ups
    except Exception as error:  # the job is safely in the table; a worker will find it when it polls
        current_app.logger.warning("could not wake job workers through Redis: %s", error)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back_enqueue(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_ENQUEUED_FLAG, None)


def _wait_for_work(seconds: float) -> None:
    """Sleep until the next poll, or until an enqueue wakes us through Redis if it is configured."""
    try:
        client = _redis()
        if client is not None:
            client.blpop([WAKE_KEY], timeout=max(1, min(30, round(seconds))))
            return
    except Exception as error:
        current_app.logger.warning("Redis unavailable, polling the jobs table instead: %s", error)
    time.sleep(seconds)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failure: base, 2×base, 4×base, ... capped."""
    base = float(current_app.config.get("JOB_RETRY_BASE_SECONDS", 30))
    cap = float(current_app.config.get("JOB_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _due(now: datetime) -> Any:
    return select(Job.id).where(Job.status == JobStatus.QUEUED, Job.run_after <= now).order_by(Job.run_after, Job.id)


def claim_next(now: datetime | None = None) -> Job | None:
    """Take the oldest due job for this worker and commit the claim, or return None if none is due."""
    now = now or utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        # Row locks let many workers pick different jobs at once without waiting for each other.
        job_id = db.session.scalar(_due(now).limit(1).with_for_update(skip_locked=True))
        if job_id is None:
            db.session.rollback()
            return None
        _mark_running(job_id, now)
        return db.session.get(Job, job_id)
    # SQLite has no row locks: claim with an UPDATE that only succeeds while the job is still
    # queued, and move on to the next candidate if another worker got there first.
    for job_id in db.session.scalars(_due(now).limit(20)).all():
        if _mark_running(job_id, now):
            return db.session.get(Job, job_id)
    db.session.rollback()
    return None


def _mark_running(job_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=now, finished_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return getattr(claimed, "rowcount", 0) == 1


def run_job(job: Job) -> bool:
    """Run one claimed job; True if it succeeded. Never raises for a handler failure."""
    job_id, name, payload = job.id, job.name, dict(job.payload or {})
    handler = _HANDLERS.get(name)
    running = _Running(job_id)
    token = _RUNNING.set(running)
    try:
        if handler is None:
            raise UnknownJob(f"no handler registered for job {name!r}")
        handler(payload)
        db.session.flush()
    except Exception as error:
        db.session.rollback()  # the handler's half-done work goes; the job's record stays
        _record_failure(job_id, error)
        return False
    finally:
        _RUNNING.reset(token)
    finished = db.session.get(Job, job_id)
    assert finished is not None
    finished.status = JobStatus.DONE
    finished.finished_at = utcnow()
    finished.last_error = ""
    if running.reported:
        finished.progress_done, finished.progress_total, finished.progress_message = running.last
    db.session.commit()
    if running.reported:  # a job that never reported has nothing there (a failed attempt's was removed then)
        _forget_side_progress(job_id)
    return True


def _record_failure(job_id: int, error: Exception) -> None:
    job = db.session.get(Job, job_id)
    if job is None:  # pragma: no cover - jobs are never deleted while running
        return
    detail = "".join(traceback.format_exception_only(type(error), error)).strip()
    job.last_error = f"attempt {job.attempts}: {detail}"[:4000]
    job.finished_at = utcnow()
    if job.attempts >= job.max_attempts:
        job.status = JobStatus.FAILED
        current_app.logger.error("job %s (%s) failed for good: %s", job.id, job.name, detail)
        summary = f"Job {job.id} ({job.name}) failed after {job.attempts} attempts: {detail}"
    else:
        job.status = JobStatus.QUEUED
        job.run_after = utcnow() + retry_delay(job.attempts)
        current_app.logger.warning("job %s (%s) failed, will retry: %s", job.id, job.name, detail)
        summary = f"Job {job.id} ({job.name}) attempt {job.attempts} failed, will retry: {detail}"
    # The handler's work was rolled back; the failure itself is kept, with the job's record, in one commit.
    audit.record_on(
        job,
        "job.failed" if job.status is JobStatus.FAILED else "job.attempt_failed",
        summary[:2000],
        after={"name": job.name, "attempts": job.attempts, "status": job.status, "error": detail[:1000]},
        by=WORKER,
    )
    db.session.commit()
    _forget_side_progress(job_id)


# --- progress --------------------------------------------------------------------------------------------


@dataclass
class _Running:
    job_id: int
    reported: bool = False
    last: tuple[int, int | None, str] = (0, None, "")


_RUNNING: ContextVar[_Running | None] = ContextVar("sar_running_job", default=None)


@dataclass(frozen=True)
class Progress:
    status: JobStatus
    done: int
    total: int | None
    message: str
    last_error: str

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status is JobStatus.DONE else None
        return max(0, min(100, round(100 * self.done / self.total)))


def report_progress(done: int, total: int | None, message: str) -> None:
    """From inside a running handler: how far it has got. Visible to other connections at once, whatever
    happens to the handler's own transaction. Outside a job (a command running the same code) it does nothing."""
    running = _RUNNING.get()
    if running is None:
        return
    done = max(0, int(done))
    total = None if total is None else max(0, int(total))
    message = message.strip()[:MESSAGE_MAX]
    running.reported, running.last = True, (done, total, message)
    values = {"done": done, "total": total, "message": message, "job_id": running.job_id}
    if db.engine.dialect.name == "sqlite":
        side = _side_database()
        if side is not None:
            with _side_connection(side) as connection:
                connection.execute(
                    "INSERT INTO job_progress (job_id, done, total, message) VALUES (:job_id, :done, :total, :message)"
                    " ON CONFLICT (job_id) DO UPDATE SET done = :done, total = :total, message = :message",
                    values,
                )
        return
    with db.engine.begin() as connection:  # a connection of its own, committed on leaving the block
        connection.execute(
            update(Job)
            .where(Job.id == running.job_id)
            .values(progress_done=done, progress_total=total, progress_message=message)
        )


def progress_of(job: Job) -> Progress:
    """The job's state and progress as a page shows it (live while it runs)."""
    done, total, message = job.progress_done, job.progress_total, job.progress_message
    if job.status is JobStatus.RUNNING and db.engine.dialect.name == "sqlite":
        side = _side_database()
        if side is not None and side.exists():
            with _side_connection(side) as connection:
                row = connection.execute(
                    "SELECT done, total, message FROM job_progress WHERE job_id = ?", (job.id,)
                ).fetchone()
            if row is not None:
                done, total, message = row
    return Progress(job.status, done or 0, total, message or "", job.last_error)


def _side_database() -> Path | None:
    database = db.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(f"{database}-progress")


_SIDE = threading.local()


@contextmanager
def _side_connection(path: Path) -> Iterator[sqlite3.Connection]:
    # Autocommit, WAL, and a short wait: progress must never hold up the job that reports it.
    # One connection per process and thread, kept open: opening one and closing it (the last close of a WAL
    # database checkpoints and syncs it) cost 9 ms a time on a busy disk, twice for every job (measured in
    # tests/benchmarks/bench_ingest.py: a quarter of the workers' wall time).
    key = (os.getpid(), str(path))
    connection = getattr(_SIDE, "connections", {}).get(key) if path.exists() else None
    if connection is None:
        connection = sqlite3.connect(path, timeout=2, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        # Progress is a live view of running jobs, rebuilt as they report: not worth a disk sync per report.
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS job_progress (job_id INTEGER PRIMARY KEY, done INTEGER NOT NULL,"
            " total INTEGER, message TEXT NOT NULL)"
        )
        _SIDE.connections = {**getattr(_SIDE, "connections", {}), key: connection}
    yield connection


def _forget_side_progress(job_id: int) -> None:
    if db.engine.dialect.name != "sqlite":
        return
    side = _side_database()
    if side is not None and side.exists():
        with _side_connection(side) as connection:
            connection.execute("DELETE FROM job_progress WHERE job_id = ?", (job_id,))


def requeue_stale(now: datetime | None = None) -> int:
    """Jobs left 'running' by a worker that died are queued again (or failed if out of attempts)."""
    now = now or utcnow()
    lease = timedelta(seconds=float(current_app.config.get("JOB_LEASE_SECONDS", 15 * 60)))
    stale = Job.status == JobStatus.RUNNING, Job.started_at < now - lease
    note = "worker stopped before finishing; "
    failed = db.session.execute(
        update(Job)
        .where(*stale, Job.attempts >= Job.max_attempts)
        .values(status=JobStatus.FAILED, finished_at=now, last_error=note + "no attempts left")
        .execution_options(synchronize_session=False)
    )
    requeued = db.session.execute(
        update(Job)
        .where(*stale, Job.attempts < Job.max_attempts)
        .values(status=JobStatus.QUEUED, run_after=now, last_error=note + "queued again")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(failed, "rowcount", 0) or 0) + int(getattr(requeued, "rowcount", 0) or 0)


@dataclass
class WorkerResult:
    succeeded: int = 0
    failed: int = 0


def run_worker(*, once: bool = False, poll_seconds: float = 5.0, max_jobs: int | None = None) -> WorkerResult:
    """Process jobs until stopped; with ``once``, until no job is due, then return."""
    result = WorkerResult()
    while max_jobs is None or result.succeeded + result.failed < max_jobs:
        requeue_stale()
        job = claim_next()
        if job is None:
            if once:
                break
            _wait_for_work(poll_seconds)
            continue
        if run_job(job):
            result.succeeded += 1
        else:
            result.failed += 1
    db.session.remove()
    return result


def counts() -> dict[str, int]:
    rows = db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    return {str(status.value if isinstance(status, JobStatus) else status): int(n) for status, n in rows}


@click.group("jobs")
def jobs_cli() -> None:
    """Background jobs."""


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run every job that is due, then exit (for cron).")
@click.option("--poll", default=5.0, show_default=True, help="Seconds to wait when the queue is empty.")
@with_appcontext
def run_command(once: bool, poll: float) -> None:
    """Run the job worker."""
    if not once:
        click.echo(f"Job worker started; handlers: {', '.join(sorted(_HANDLERS)) or 'none'}.")
    try:
        result = run_worker(once=once, poll_seconds=poll)
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        click.echo("Job worker stopped.")
        return
    click.echo(f"{result.succeeded} jobs succeeded, {result.failed} failed.")
    if result.failed:
        raise SystemExit(1)


@jobs_cli.command("status")
@with_appcontext
def status_command() -> None:
    """How many jobs are in each state, and the latest failures."""
    for status, n in sorted(counts().items()):
        click.echo(f"{status}: {n}")
    for job in db.session.scalars(select(Job).where(Job.status == JobStatus.FAILED).order_by(Job.id.desc()).limit(10)):
        click.echo(f"failed job {job.id} ({job.name}): {job.last_error}")
