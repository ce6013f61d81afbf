"""Job progress a page can follow, failures in the audit trail, and a worker killed mid-job leaving nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy.orm import Session

from sar import audit, jobs
from sar.audit import SYSTEM, AuditEvent
from sar.auth.models import Role
from sar.extensions import db
from sar.jobs import Job, JobStatus, enqueue, progress_of, register_job, report_progress, run_worker


@pytest.fixture(autouse=True)
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "_HANDLERS", {})


def seen_from_another_connection(job_id: int) -> jobs.Progress:
    """What a page polling the job would see: a session of its own, not the handler's."""
    with Session(db.engine) as other:
        job = other.get(Job, job_id)
        assert job is not None
        return progress_of(job)


def test_progress_is_visible_to_others_while_the_handler_is_still_working(app: Flask) -> None:
    seen: list[tuple[str, int, int | None, str]] = []

    def ingest(payload: dict[str, Any]) -> None:
        for n in range(1, 4):
            # The handler's own uncommitted work: on SQLite this holds the database's write lock.
            audit.record("document.added", object_type="document", object_id=n, by=SYSTEM)
            report_progress(n, 3, f"Read document {n} of 3")
            state = seen_from_another_connection(payload["me"])
            seen.append((state.status.value, state.done, state.total, state.message))
            own_work = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
            assert own_work == n  # reporting progress committed nothing of the handler's work

    register_job("ingest", ingest)
    job = enqueue("ingest", {})
    job_id = job.id
    job.payload = {"me": job_id}
    db.session.commit()

    run_worker(once=True)

    assert seen == [
        ("running", 1, 3, "Read document 1 of 3"),
        ("running", 2, 3, "Read document 2 of 3"),
        ("running", 3, 3, "Read document 3 of 3"),
    ]
    db.session.expire_all()
    finished = progress_of(db.session.get_one(Job, job_id))
    assert (finished.status, finished.done, finished.total, finished.percent) == (JobStatus.DONE, 3, 3, 100)
    assert finished.message == "Read document 3 of 3"


def test_report_progress_outside_a_job_does_nothing(app: Flask) -> None:
    report_progress(1, 2, "not in a job")  # the same code run from a command: no job to report on


def test_a_failure_is_audited_and_its_half_done_work_is_not_kept(app: Flask) -> None:
    def broken(payload: dict[str, Any]) -> None:
        audit.record("document.added", object_type="document", by=SYSTEM)
        report_progress(1, 2, "Half way")
        raise ValueError("the PDF has no pages")

    register_job("broken", broken)
    job_id = enqueue("broken", max_attempts=2).id
    db.session.commit()

    run_worker(once=True)
    db.session.execute(sa.update(Job).values(run_after=sa.func.now()))
    db.session.commit()
    run_worker(once=True)

    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_label) for e in events] == [
        ("job.attempt_failed", "job worker"),
        ("job.failed", "job worker"),
    ]
    assert "ValueError: the PDF has no pages" in events[-1].summary
    failed = progress_of(db.session.get_one(Job, job_id))
    assert failed.status is JobStatus.FAILED and failed.finished


def _running_job(done: int, total: int | None, message: str) -> int:
    job = Job(
        name="gather",
        payload={},
        status=JobStatus.RUNNING,
        attempts=1,
        progress_done=done,
        progress_total=total,
        progress_message=message,
    )
    db.session.add(job)
    db.session.commit()
    return job.id


def test_the_progress_page_works_without_javascript(client_as: Any) -> None:
    officer = client_as(Role.IG_OFFICER)
    job_id = _running_job(3, 12, "Reading the children's social care file")

    page = BeautifulSoup(officer.get(f"/jobs/{job_id}").get_data(as_text=True), "html.parser")

    bar = page.select_one("progress")
    assert bar is not None and bar["value"] == "25" and bar["max"] == "100"
    assert page.select_one("[data-progress-text]").get_text(strip=True) == (
        "3 of 12: Reading the children's social care file"
    )
    # Without JavaScript the page reloads itself; the reload link is there for anyone who wants it now.
    refresh = page.select_one("noscript meta[http-equiv=refresh]")
    assert refresh is not None and refresh["content"] == "5"
    assert page.find("a", string="Check progress again")["href"] == f"/jobs/{job_id}"
    assert page.select_one(".govuk-tag").get_text(strip=True) == "In progress"
    assert not page.find("script", src=False)  # no inline script under the CSP


def test_a_finished_job_stops_refreshing(client_as: Any) -> None:
    officer = client_as(Role.IG_OFFICER)
    job_id = _running_job(12, 12, "All records read")
    db.session.execute(sa.update(Job).where(Job.id == job_id).values(status=JobStatus.DONE))
    db.session.commit()

    page = BeautifulSoup(officer.get(f"/jobs/{job_id}").get_data(as_text=True), "html.parser")

    assert page.select_one("meta[http-equiv=refresh]") is None
    assert page.select_one(".govuk-tag").get_text(strip=True) == "Finished"
    assert page.find("a", string="Check progress again") is None


def test_the_progress_json_feeds_the_progress_bar(client_as: Any) -> None:
    officer = client_as(Role.AUDITOR)
    job_id = _running_job(0, None, "Counting the files")

    state = officer.get(f"/jobs/{job_id}/progress.json").get_json()

    assert state == {
        "status": "running",
        "finished": False,
        "done": 0,
        "total": None,
        "percent": None,
        "message": "Counting the files",
    }


def test_record_holders_cannot_follow_jobs_and_unknown_jobs_are_not_found(client_as: Any) -> None:
    job_id = _running_job(1, 2, "x")
    assert client_as(Role.RECORD_HOLDER).get(f"/jobs/{job_id}").status_code == 403
    assert client_as(Role.DPO).get("/jobs/999999").status_code == 404


# --- two real worker processes on PostgreSQL, one killed mid-job ------------------------------------------

WORKER_SCRIPT = """
import os, sys, time
from sqlalchemy import text
from sar import create_app, jobs
from sar.extensions import db

app = create_app({
    "ENV": "testing", "SECRET_KEY": "worker", "SQLALCHEMY_DATABASE_URI": sys.argv[1], "FILE_STORE_PATH": sys.argv[2],
    "FILE_ENCRYPTION_KEY": "kWs3xXt0pQdJ3Qdm5YgM2t1xM6m0R2rD7w7m9yWkq0s=", "JOB_LEASE_SECONDS": 6,
})

def ingest(payload):
    for n in range(1, 6):
        # A plain table rather than the audit trail, whose chain lock would hold up other tests' transactions.
        db.session.execute(text("INSERT INTO ingested (item) VALUES (:item)"), {"item": f"{payload['batch']}-{n}"})
        jobs.report_progress(n, 5, f"worker {os.getpid()}")
        time.sleep(0.5)

jobs.register_job("ingest", ingest)
with app.app_context():
    result = jobs.run_worker(max_jobs=int(sys.argv[3]), poll_seconds=0.5)
    print(f"{result.succeeded} succeeded", flush=True)
"""


def _added(batch: str) -> list[str]:
    return sorted(db.session.scalars(sa.text("SELECT item FROM ingested WHERE item LIKE :b"), {"b": f"{batch}-%"}))


@pytest.mark.postgres
def test_two_workers_one_killed_mid_job_nothing_half_done_and_the_job_finished_once(app: Flask, tmp_path: Path) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several worker processes are the PostgreSQL deployment; SQLite runs one")
    register_job("ingest", lambda payload: None)  # enqueue checks the name; the workers bring the real handler
    job_ids = [enqueue("ingest", {"batch": batch}, max_attempts=3).id for batch in ("a", "b")]
    db.session.execute(sa.text("CREATE TABLE ingested (item VARCHAR(20) NOT NULL)"))  # dropped with the test schema
    db.session.commit()
    script = tmp_path / "worker.py"
    script.write_text(WORKER_SCRIPT)
    url = db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}

    logs: list[Path] = []

    def start(max_jobs: int) -> subprocess.Popen[bytes]:
        command = [sys.executable, str(script), url, str(tmp_path / "files"), str(max_jobs)]
        logs.append(tmp_path / f"worker-{len(logs)}.log")
        with logs[-1].open("wb") as log:  # the child keeps its own copy of the file descriptor
            return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    # Each worker claims one job; the survivor then takes back the killed worker's job once its lease runs out.
    workers = [start(1), start(2)]
    try:
        deadline = time.monotonic() + 90
        while True:
            states = {job_id: seen_from_another_connection(job_id) for job_id in job_ids}
            part_way = [
                job_id for job_id, state in states.items() if state.status is JobStatus.RUNNING and state.done >= 2
            ]
            if part_way:
                break  # a worker part-way through a job, its work uncommitted
            assert time.monotonic() < deadline, f"the workers never got going: {states}"
            time.sleep(0.05)
        victim_job = part_way[0]
        victim_batch = "a" if victim_job == job_ids[0] else "b"
        victim_pid = int(states[victim_job].message.removeprefix("worker "))
        victim = next(w for w in workers if w.pid == victim_pid)
        survivor = next(w for w in workers if w.pid != victim_pid)
        os.kill(victim_pid, signal.SIGKILL)
        victim.wait(timeout=30)
        # Nothing the killed worker did was kept: PostgreSQL rolled its transaction back with the connection.
        assert _added(victim_batch) == []
        if survivor.args[-1] == "1":
            # The worker that was to run one job survived: start another to recover the killed job.
            survivor.wait(timeout=60)
            survivor = start(1)
        workers.append(survivor)
        survivor.wait(timeout=120)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = "\n".join(log.read_text() for log in logs)
    assert survivor.returncode == 0, output
    db.session.expire_all()
    finished = [db.session.get_one(Job, job_id) for job_id in job_ids]
    assert [job.status for job in finished] == [JobStatus.DONE, JobStatus.DONE]
    assert db.session.get_one(Job, victim_job).attempts == 2
    assert _added("a") == ["a-1", "a-2", "a-3", "a-4", "a-5"]  # the killed job's work, exactly once
    assert _added("b") == ["b-1", "b-2", "b-3", "b-4", "b-5"]
