"""A running job's progress is visible to other connections at once, apart from the handler's own work."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from sar import jobs
from sar.extensions import db
from sar.jobs import enqueue, register_job, report_progress, run_worker


@pytest.fixture(autouse=True)
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "_HANDLERS", {})


def test_progress_is_seen_by_another_connection_while_the_job_runs_and_its_work_is_not(app: Flask) -> None:
    seen: list[tuple[Any, ...]] = []

    def handler(payload: dict[str, Any]) -> None:
        report_progress(1, 3, "Reading file 1 of 3")
        with db.engine.connect() as other:
            seen.append(tuple(other.execute(sa.text(
                "SELECT progress_done, progress_total, progress_message FROM jobs WHERE id = :id"
            ), {"id": payload["job"]}).one()))  # fmt: skip

    register_job("long", handler)
    job = enqueue("long", {})
    job.payload = {"job": job.id}
    db.session.commit()
    assert run_worker(once=True).succeeded == 1
    assert seen == [(1, 3, "Reading file 1 of 3")]


def test_report_progress_outside_a_job_does_nothing(app: Flask) -> None:
    report_progress(1, None, "not in a job")  # no error, nothing to record
