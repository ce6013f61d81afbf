"""A background job's progress, as a page that works without JavaScript and as JSON for the progress bar.

Without JavaScript the page reloads itself every few seconds while the job runs (a ``<meta>`` refresh inside
``<noscript>``) and offers a plain "Check again" link; with it, ``job-progress.js`` polls the JSON and moves
the bar without reloading, and reloads once when the job finishes so the page shows the outcome.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from sar import jobs
from sar.auth.access import CASE_READERS, roles_required
from sar.auth.models import Role
from sar.extensions import db

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

# Jobs work on case data (gathering a case's records, building its bundle): the people who may read cases,
# and administrators who run the service.
JOB_READERS = (*CASE_READERS, Role.ADMIN)
REFRESH_SECONDS = 5


def _job(job_id: int) -> jobs.Job:
    return db.get_or_404(jobs.Job, job_id)


@bp.get("/<int:job_id>")
@roles_required(*JOB_READERS)
def show(job_id: int) -> str:
    job = _job(job_id)
    return render_template(
        "jobs/progress.html", job=job, progress=jobs.progress_of(job), refresh_seconds=REFRESH_SECONDS
    )


@bp.get("/<int:job_id>/progress.json")
@roles_required(*JOB_READERS)
def progress_json(job_id: int) -> dict[str, Any]:
    progress = jobs.progress_of(_job(job_id))
    return {
        "status": progress.status.value,
        "finished": progress.finished,
        "done": progress.done,
        "total": progress.total,
        "percent": progress.percent,
        "message": progress.message,
    }
