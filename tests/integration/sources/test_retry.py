"""A worker killed in the middle of an ingest leaves nothing behind, and the retried job duplicates nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from sar.cases.models import Case
from sar.extensions import db
from sar.jobs import Job, JobStatus, requeue_stale, run_worker
from sar.sources import ingest
from sar.sources.models import Document, DocumentPage, DocumentStatus

ROOT = Path(__file__).resolve().parents[3]


def test_killing_a_worker_mid_ingest_then_retrying_gives_each_document_and_child_once(
    app: Flask, case: Case, tmp_path: Path
) -> None:
    message = EmailMessage()
    message["From"], message["To"] = "early.help@example.gov.uk", "ig@example.gov.uk"
    message["Subject"], message["Date"] = "Referral", "Tue, 3 Mar 2026 10:00:00 +0000"
    message.set_content("From the Early Help team.\nSee the attached referral.")
    message.add_attachment(
        b"The attachment: a referral form about the family.", maintype="text", subtype="plain", filename="referral.txt"
    )
    added = ingest.add_file(case, "email.eml", message.as_bytes(), source="upload", by=None, by_label="test")
    assert added.document is not None
    document_id = added.document.id
    db.session.commit()

    signal_file = tmp_path / "signal"
    config = {
        key: app.config[key]
        for key in (
            "ENV",
            "SECRET_KEY",
            "SQLALCHEMY_DATABASE_URI",
            "FILE_ENCRYPTION_KEY",
            "FILE_STORE_PATH",
            "COUNCIL_NAME",
        )
    }
    environment = {
        **os.environ,
        "SAR_TEST_CONFIG": json.dumps(config),
        "SAR_TEST_SIGNAL": str(signal_file),
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(  # noqa: S603 - our own test helper
        [sys.executable, "-m", "tests.integration.sources.worker_that_dies"], cwd=ROOT, env=environment
    )
    try:
        deadline = time.monotonic() + 60
        while not signal_file.exists():
            assert worker.poll() is None, "the worker stopped before reaching the middle of the ingest"
            assert time.monotonic() < deadline, "the worker never reached the middle of the ingest"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()

    db.session.expire_all()
    assert db.session.get(Document, document_id).status is DocumentStatus.QUEUED  # type: ignore[union-attr]
    assert db.session.scalar(select(func.count()).select_from(DocumentPage)) == 0
    assert db.session.scalar(select(func.count()).select_from(Document)) == 1

    # The dead worker's claim runs out; the job is queued again and a healthy worker runs it.
    app.config["JOB_LEASE_SECONDS"] = 0
    assert requeue_stale() == 1
    with app.app_context():
        run_worker(once=True)
    db.session.expire_all()

    documents = db.session.scalars(select(Document).order_by(Document.id)).all()
    assert [(d.original_name, d.parent_id, d.status) for d in documents] == [
        ("email.eml", None, DocumentStatus.READY),
        ("referral.txt", document_id, DocumentStatus.READY),
    ]
    assert db.session.scalar(select(func.count()).where(DocumentPage.document_id == document_id)) == 1
    ingest_job = db.session.scalars(select(Job).where(Job.name == ingest.INGEST_JOB).order_by(Job.id)).first()
    assert ingest_job is not None and ingest_job.status is JobStatus.DONE and ingest_job.attempts == 2

    # Running the same job yet again (a duplicate delivery) changes nothing.
    ingest.ingest_document({"document_id": document_id})
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Document)) == 2


def test_two_worker_processes_read_a_batch_without_deadlocks_and_de_duplicate_it_once(
    app: Flask, case: Case, tmp_path: Path
) -> None:
    """Two workers finishing documents of one case at once: each job's audit event, its children (whose rows
    refer to the case) and the per-case "last of the batch?" check must not wait on each other in a cycle.
    On PostgreSQL, locking the case's row there deadlocked every few documents."""
    for number in range(16):
        message = EmailMessage()
        message["From"], message["To"] = "early.help@example.gov.uk", "ig@example.gov.uk"
        message["Subject"], message["Date"] = f"Referral {number}", "Tue, 3 Mar 2026 10:00:00 +0000"
        message.set_content(f"Referral {number} from the Early Help team.")
        message.add_attachment(f"Form {number}.".encode(), maintype="text", subtype="plain", filename="form.txt")
        ingest.add_file(case, f"referral-{number}.eml", message.as_bytes(), source="upload", by=None, by_label="t")
    db.session.commit()
    config = {
        key: app.config[key]
        for key in ("ENV", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "FILE_ENCRYPTION_KEY", "FILE_STORE_PATH")
    }
    code = (
        "import json, os; from sar import create_app; from sar.jobs import run_worker; "
        "app = create_app(json.loads(os.environ['SAR_TEST_CONFIG'])); app.app_context().push(); run_worker(once=True)"
    )
    environment = {**os.environ, "SAR_TEST_CONFIG": json.dumps(config), "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=environment)  # noqa: S603 - our own code
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=300) == 0
    run_worker(once=True)  # anything a worker left for later (a retry) would show below as an attempt failed

    db.session.expire_all()
    attempts_failed = db.session.scalar(select(func.count()).where(Job.last_error != ""))
    assert attempts_failed == 0
    assert db.session.scalar(select(func.count()).where(Document.status != DocumentStatus.READY)) == 0
    assert db.session.scalar(select(func.count()).select_from(Document)) == 32
    assert db.session.scalar(select(func.count()).where(Job.name == ingest.DEDUPE_JOB)) == 1
