"""Background jobs: queued with the change that needs them, run once, retried with backoff, never lost."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from sar import audit, jobs
from sar.audit import SYSTEM, AuditEvent
from sar.db import utcnow
from sar.extensions import db
from sar.jobs import Job, JobStatus, UnknownJob, claim_next, enqueue, register_job, run_job, run_worker


@pytest.fixture(autouse=True)
def own_registry(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test registers its own handlers without leaking them into others. After ``app``: building the app
    registers the stages' handlers (sar.clock.init_app), which these tests do not want to see."""
    monkeypatch.setattr(jobs, "_HANDLERS", {})


def job(job_id: int) -> Job:
    db.session.expire_all()
    found = db.session.get(Job, job_id)
    assert found is not None
    return found


def test_a_queued_job_runs_once_with_its_payload(app: Flask) -> None:
    seen: list[dict[str, Any]] = []
    register_job("send_reminders", seen.append)
    job_id = enqueue("send_reminders", {"case_id": 42}).id
    db.session.commit()

    first = run_worker(once=True)
    second = run_worker(once=True)

    assert seen == [{"case_id": 42}]
    assert (first.succeeded, first.failed, second.succeeded) == (1, 0, 0)
    done = job(job_id)
    assert done.status is JobStatus.DONE
    assert done.attempts == 1
    assert done.finished_at is not None


def test_register_job_works_as_a_decorator(app: Flask) -> None:
    @register_job("tidy")
    def tidy(payload: dict[str, Any]) -> None:
        pass

    assert jobs.registered_jobs() == {"tidy": tidy}


def test_two_different_handlers_cannot_share_a_name(app: Flask) -> None:
    register_job("letters", lambda payload: None)
    with pytest.raises(ValueError, match="already registered"):
        register_job("letters", print)


def test_enqueueing_an_unknown_job_fails_at_once(app: Flask) -> None:
    with pytest.raises(UnknownJob, match="send_remindres"):
        enqueue("send_remindres")


def test_a_job_queued_in_a_rolled_back_change_never_exists(app: Flask) -> None:
    register_job("acknowledge", lambda payload: None)
    enqueue("acknowledge", {"case_id": 1})
    db.session.rollback()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def flaky(failures: int, calls: list[dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
    def handler(payload: dict[str, Any]) -> None:
        calls.append(payload)
        if len(calls) <= failures:
            raise ConnectionError("mail server did not answer")

    return handler


def test_a_failing_job_is_retried_later_with_backoff_then_succeeds(app: Flask) -> None:
    calls: list[dict[str, Any]] = []
    register_job("send_letter", flaky(1, calls))
    job_id = enqueue("send_letter", {"letter": 7}).id
    db.session.commit()

    first = run_worker(once=True)

    assert (first.succeeded, first.failed) == (0, 1)
    waiting = job(job_id)
    assert waiting.status is JobStatus.QUEUED
    assert "ConnectionError: mail server did not answer" in waiting.last_error
    delay = waiting.run_after - utcnow()
    assert timedelta(seconds=25) < delay <= timedelta(seconds=30)
    assert run_worker(once=True).succeeded == 0  # not due yet

    claimed = claim_next(now=utcnow() + timedelta(seconds=31))
    assert claimed is not None
    assert run_job(claimed) is True

    done = job(job_id)
    assert done.status is JobStatus.DONE
    assert done.attempts == 2
    assert done.last_error == ""
    assert calls == [{"letter": 7}, {"letter": 7}]


def test_backoff_doubles_up_to_the_cap(app: Flask) -> None:
    app.config.update(JOB_RETRY_BASE_SECONDS=30, JOB_RETRY_MAX_SECONDS=100)

    assert [jobs.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_a_job_that_keeps_failing_stops_after_max_attempts(app: Flask) -> None:
    app.config["JOB_RETRY_BASE_SECONDS"] = 0
    calls: list[dict[str, Any]] = []
    register_job("doomed", flaky(99, calls))
    job_id = enqueue("doomed", max_attempts=3).id
    db.session.commit()

    result = run_worker(once=True)

    assert (result.succeeded, result.failed) == (0, 3)
    failed = job(job_id)
    assert failed.status is JobStatus.FAILED
    assert failed.attempts == 3
    assert failed.last_error.startswith("attempt 3: ConnectionError")


def test_a_failed_handler_leaves_no_half_done_work(app: Flask) -> None:
    def handler(payload: dict[str, Any]) -> None:
        audit.record("letter_sent", object_type="letter", by=SYSTEM)
        raise RuntimeError("printer on fire")

    register_job("half_done", handler)
    enqueue("half_done", max_attempts=1)
    db.session.commit()

    run_worker(once=True)

    # The failure itself is audited (issue 8); the letter the handler half-sent is not.
    assert db.session.scalars(sa.select(AuditEvent.action)).all() == ["job.failed"]


def test_a_successful_handler_commits_its_work_with_the_job(app: Flask) -> None:
    register_job("log_it", lambda payload: audit.record("letter_sent", object_type="letter", by=SYSTEM))
    enqueue("log_it")
    db.session.commit()

    run_worker(once=True)

    assert db.session.scalars(sa.select(AuditEvent.action)).all() == ["letter_sent"]


def test_a_job_whose_worker_died_is_queued_again(app: Flask) -> None:
    register_job("long", lambda payload: None)
    job_id = enqueue("long").id
    db.session.commit()
    assert claim_next() is not None  # the worker claims it... and is killed
    db.session.execute(sa.update(Job).where(Job.id == job_id).values(started_at=utcnow() - timedelta(hours=1)))
    db.session.commit()

    result = run_worker(once=True)

    assert result.succeeded == 1
    recovered = job(job_id)
    assert recovered.status is JobStatus.DONE
    assert recovered.attempts == 2


def test_a_job_can_only_be_claimed_once(app: Flask) -> None:
    register_job("single", lambda payload: None)
    enqueue("single")
    db.session.commit()

    assert claim_next() is not None
    assert claim_next() is None


def test_concurrent_workers_run_each_job_exactly_once(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("parallel workers are a PostgreSQL deployment")
    ran: list[int] = []
    lock = threading.Lock()

    def handler(payload: dict[str, Any]) -> None:
        with lock:
            ran.append(int(payload["n"]))

    register_job("count", handler)
    for n in range(40):
        enqueue("count", {"n": n})
    db.session.commit()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                run_worker(once=True)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sorted(ran) == list(range(40))
    assert jobs.counts() == {"done": 40}


def test_cli_runs_due_jobs_and_reports_failures(app: Flask) -> None:
    register_job("ok", lambda payload: None)
    register_job("broken", flaky(99, []))
    enqueue("ok")
    enqueue("broken", max_attempts=1)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["jobs", "run", "--once"])
    status = app.test_cli_runner().invoke(args=["jobs", "status"])

    assert result.exit_code == 1
    assert "1 jobs succeeded, 1 failed." in result.output
    assert "done: 1" in status.output and "failed: 1" in status.output
    assert "(broken): attempt 1: ConnectionError" in status.output


def redis_url() -> str:
    url = "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip("Redis is not reachable")
    return url


@pytest.fixture
def with_redis(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Redis configured, on a key of this test's own so parallel test workers do not wake each other."""
    app.config["REDIS_URL"] = redis_url()
    key = f"sar:test:jobs:{uuid.uuid4().hex}"
    monkeypatch.setattr(jobs, "WAKE_KEY", key)
    yield key
    client = jobs._redis()
    assert client is not None
    client.delete(key)


def test_with_redis_a_committed_job_wakes_the_workers(app: Flask, with_redis: str) -> None:
    register_job("ping", lambda payload: None)
    client = jobs._redis()
    assert client is not None

    enqueue("ping")
    assert client.llen(with_redis) == 0  # nothing until the change commits
    db.session.commit()

    assert client.llen(with_redis) == 1


def test_with_redis_a_rolled_back_job_wakes_nobody(app: Flask, with_redis: str) -> None:
    register_job("ping", lambda payload: None)
    enqueue("ping")
    db.session.rollback()
    db.session.commit()

    client = jobs._redis()
    assert client is not None
    assert client.llen(with_redis) == 0


def test_with_redis_an_idle_worker_starts_a_new_job_at_once(app: Flask, with_redis: str) -> None:
    ran = threading.Event()
    register_job("urgent", lambda payload: ran.set())
    results: list[jobs.WorkerResult] = []

    def worker() -> None:
        with app.app_context():
            results.append(run_worker(poll_seconds=30, max_jobs=1))

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(1)  # let the worker find the queue empty and start waiting
    started = time.monotonic()
    enqueue("urgent")
    db.session.commit()
    thread.join(timeout=40)

    assert ran.is_set()
    assert time.monotonic() - started < 15, "the worker waited for its poll instead of being woken"
    assert results[0].succeeded == 1


def test_without_redis_the_worker_still_polls(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens: fall back to sleeping
    slept: list[float] = []
    monkeypatch.setattr(jobs.time, "sleep", slept.append)

    with app.app_context():
        jobs._wait_for_work(2.5)

    assert slept == [2.5]
