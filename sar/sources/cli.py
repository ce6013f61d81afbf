"""``flask --app sar documents add REF FILE... [--source NAME] [--wait]``: ingest files exactly as an upload would.

With ``--wait`` the queued jobs are run here to the end and one JSON line per file is printed: the case
reference, the file, the ids of the document and of every document found inside it, their pages, the status
and, for anything refused, the reason. Without it the same line is printed with the status "queued".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import Blueprint
from sqlalchemy import select

from sar.cases.models import Case
from sar.extensions import db
from sar.jobs import Job, JobStatus, run_worker
from sar.sources import ingest
from sar.sources.models import Document, DocumentStatus


def _tree(document_id: int) -> list[Document]:
    """The document and everything found inside it, depth first."""
    found: list[Document] = []
    todo = [document_id]
    while todo:
        current = todo.pop(0)
        document = db.session.get(Document, current)
        if document is None:
            continue
        found.append(document)
        todo.extend(db.session.scalars(select(Document.id).where(Document.parent_id == current).order_by(Document.id)))
    return found


def _failed_reason(document_id: int) -> str:
    for job in db.session.scalars(select(Job).where(Job.name == ingest.INGEST_JOB, Job.status != JobStatus.DONE)):
        if int((job.payload or {}).get("document_id", 0)) == document_id and job.last_error:
            return f"reading failed ({job.last_error}); it will be tried again by the job worker"
    return ""


def report_line(reference: str, added: ingest.Added) -> dict[str, Any]:
    line: dict[str, Any] = {"reference": reference, "file": added.name}
    if added.document is None:
        return {
            **line,
            "document_ids": [],
            "pages": 0,
            "status": "refused",
            "reason": added.refusal_message,
            "refusal_code": added.refusal_code,
        }
    tree = _tree(added.document.id)
    top = tree[0]
    line.update(
        document_ids=[d.id for d in tree],
        pages=sum(d.page_count for d in tree if d.status is DocumentStatus.READY),
        status=top.status.value,
    )
    if top.status is DocumentStatus.REFUSED:
        line.update(reason=top.refusal_message, refusal_code=top.refusal_code)
    elif top.status is DocumentStatus.DUPLICATE:
        line.update(reason=f"an exact copy of document {top.duplicate_of_id}", duplicate_of=top.duplicate_of_id)
    elif top.status is DocumentStatus.QUEUED:
        reason = _failed_reason(top.id)
        if reason:
            line.update(reason=reason)
    refused_inside = [d for d in tree[1:] if d.status is DocumentStatus.REFUSED]
    if refused_inside:
        line["refused_inside"] = [
            {"document_id": d.id, "file": d.original_name, "refusal_code": d.refusal_code, "reason": d.refusal_message}
            for d in refused_inside
        ]
    return line


@click.group("documents")
def documents_cli() -> None:
    """Documents of a case."""


@documents_cli.command("add")
@click.argument("reference")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="command line", show_default=True, help="Where the files came from.")
@click.option("--wait", is_flag=True, help="Read the files now and report on each.")
def add_command(reference: str, files: tuple[Path, ...], source: str, wait: bool) -> None:
    """Add files to a case, as an upload would."""
    case = db.session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise click.ClickException(f"There is no case {reference}.")
    if case.is_closed:
        raise click.ClickException(f"Case {case.reference} is closed. Reopen it before adding documents.")
    reference = case.reference
    results = []
    for path in files:
        with path.open("rb") as handle:
            results.append(ingest.add_file(case, path.name, handle, source=source, by=None, by_label="command line"))
    document_ids = [r.document.id if r.document is not None else None for r in results]
    ids = {i for i in document_ids if i is not None}
    db.session.commit()
    if wait:
        while True:
            outcome = run_worker(once=True)
            pending = (
                db.session.scalar(
                    select(Document.id).where(Document.id.in_(ids), Document.status == DocumentStatus.QUEUED).limit(1)
                )
                if ids
                else None
            )
            if pending is None or outcome.succeeded + outcome.failed == 0:
                break
    for result, document_id in zip(results, document_ids, strict=True):
        if document_id is not None:
            # The worker ends its session; read each document afresh.
            result = ingest.Added(result.name, db.session.get(Document, document_id))
        click.echo(json.dumps(report_line(reference, result), ensure_ascii=False))


def register(bp: Blueprint) -> None:
    from sar.jobs import register_job
    from sar.sources import chase, evidence

    bp.cli.add_command(documents_cli)
    bp.cli.add_command(chase.chase_command)
    register_job("sources.chase_searches", chase.chase_job)
    bp.cli.add_command(evidence.retention_command)
    register_job("sources.evidence_retention", evidence.retention_job)
