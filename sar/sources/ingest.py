"""Gathering files into a case: store the original, then read it in a job (idempotent), then de-duplicate.

``add_file`` stores the original and queues a ``sources.ingest`` job in the caller's transaction, so
a file is never stored without the work to read it. The job reads one document and commits its
pages, children and status together with the job's completion (sar.jobs): a worker killed half-way
leaves nothing behind, and the retried job starts again from a document still "queued". Children
have a unique (parent, position), so no retry can make one twice.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import delete, select, text, update

from sar import audit
from sar.auth.models import User
from sar.cases.models import Case
from sar.db import begin_immediate, utcnow
from sar.extensions import db
from sar.jobs import Job, JobStatus, enqueue, register_job, registered_jobs, report_progress
from sar.sources import dedupe
from sar.sources.extract import Extraction, Limits, extract
from sar.sources.models import (
    Document,
    DocumentGroup,
    DocumentGroupMember,
    DocumentPage,
    DocumentStatus,
    GroupKind,
    SearchTask,
)
from sar.sources.signals import pages_ready
from sar.storage import FileStore, FileTooLarge, get_store

INGEST_JOB = "sources.ingest"
DEDUPE_JOB = "sources.dedupe"
JOB_ACTOR = audit.SystemActor("gathering job")
# The first key of PostgreSQL's two-key advisory locks that serialise "is this the batch's last document?" per case
# (the second key is the case's id); any constant no other lock of the service uses.
_BATCH_LOCK_SPACE = 1_104_011


@dataclass(frozen=True)
class Added:
    """What happened to one file handed to :func:`add_file`."""

    name: str
    document: Document | None  # None when the file could not even be stored
    refusal_code: str = ""
    refusal_message: str = ""


def limits() -> Limits:
    config = current_app.config
    return Limits(
        max_file_bytes=int(config.get("MAX_STORED_FILE_BYTES") or Limits.max_file_bytes),
        max_pages=int(config.get("GATHER_MAX_PAGES", Limits.max_pages)),
        max_children=int(config.get("GATHER_MAX_CHILDREN", Limits.max_children)),
        max_depth=int(config.get("GATHER_MAX_DEPTH", Limits.max_depth)),
        max_unpacked_bytes=int(config.get("GATHER_MAX_UNPACKED_BYTES", Limits.max_unpacked_bytes)),
        max_compression_ratio=float(config.get("GATHER_MAX_COMPRESSION_RATIO", Limits.max_compression_ratio)),
        conversion_timeout_s=float(config.get("GATHER_CONVERSION_TIMEOUT_SECONDS", Limits.conversion_timeout_s)),
        ocr_timeout_s=float(config.get("GATHER_OCR_TIMEOUT_SECONDS", Limits.ocr_timeout_s)),
    )


def _author(by: User | None, label: str) -> audit.Author:
    return by if by is not None else audit.SystemActor(label[:200])


def _first_copy(case_id: int, file_key: str, *, exclude: int | None = None) -> Document | None:
    """The document of the case that already has this content, if any (the one later copies point to)."""
    query = select(Document).where(
        Document.case_id == case_id, Document.file_key == file_key, Document.status != DocumentStatus.DUPLICATE
    )
    if exclude is not None:
        query = query.where(Document.id != exclude)
    return db.session.scalars(query.order_by(Document.id).limit(1)).first()


def _new_document(case_id: int, name: str, stored_key: str, size: int, **fields: Any) -> Document:
    document = Document(
        case_id=case_id,
        file_key=stored_key,
        file_size=size,
        media_type="application/octet-stream",
        original_name=name[:255],
        title=name[:500],
        **fields,
    )
    first = _first_copy(case_id, stored_key)
    if first is not None:
        document.status = DocumentStatus.DUPLICATE
        document.duplicate_of_id = first.id
    else:
        document.status = DocumentStatus.QUEUED
    db.session.add(document)
    db.session.flush()
    if document.status is DocumentStatus.QUEUED:
        _enqueue(INGEST_JOB, {"document_id": document.id})
    return document


def add_file(
    case: Case,
    name: str,
    content: bytes | BinaryIO | Iterable[bytes],
    *,
    source: str,
    by: User | None,
    by_label: str = "",
    task: SearchTask | None = None,
) -> Added:
    """Store one file for the case and queue it to be read; an exact copy of a file already gathered is kept
    as a duplicate of it and not read again. A file over the store's limit is refused and not stored."""
    store = get_store()
    label = by.email if by is not None else by_label or "system"
    try:
        stored = store.put(content)
    except FileTooLarge as error:
        audit.record_on(case, "document.refused", f"File {name!r} not stored: {error}", by=_author(by, label))
        return Added(name, None, "too_large", str(error))
    document = _new_document(
        case.id,
        name,
        stored.key,
        stored.size,
        source=source[:100],
        task_id=task.id if task is not None else None,
        added_by_id=by.id if by is not None else None,
        added_by_label=label[:200],
    )
    duplicate = f" (an exact copy of document {document.duplicate_of_id})" if document.duplicate_of_id else ""
    audit.record_on(document, "document.added", f"Added {name!r} from {source}{duplicate}", by=_author(by, label))
    return Added(name, document)


# --- reading a document (the job) ----------------------------------------------------------------------------


def ingest_document(payload: dict[str, Any]) -> None:
    """Job handler: read one queued document into pages and children. A no-op for one already read."""
    document = db.session.get(Document, int(payload["document_id"]))
    if document is None or document.status is not DocumentStatus.QUEUED:
        return
    report_progress(0, 1, f"Reading {document.original_name}")
    store = get_store()
    with tempfile.TemporaryDirectory(prefix="sar-ingest-") as scratch:
        folder = Path(scratch)
        original = folder / "original"
        store.copy_to_path(document.file_key, original)
        workdir = folder / "work"
        workdir.mkdir()
        result = extract(
            original, original_name=document.original_name, workdir=workdir, limits=limits(), depth=document.depth
        )
        _apply(document, result, store)
    audit.record_on(
        document,
        "document.read" if document.status is DocumentStatus.READY else "document.refused",
        (
            f"Read {document.page_count} pages of {document.original_name!r}"
            if document.status is DocumentStatus.READY
            else f"Cannot read {document.original_name!r}: {document.refusal_message}"
        ),
        by=JOB_ACTOR,
    )
    if _last_of_batch(document):
        # Once per batch, not once per document: de-duplication and detection each look at the whole case and
        # did nothing while other documents were waiting, yet 2,000 files queued 4,000 such jobs (measured: a
        # third of the workers' time went on claiming and committing them).
        pages_ready.send(document)
        _enqueue(DEDUPE_JOB, {"case_id": document.case_id})


def _last_of_batch(document: Document) -> bool:
    """Is this the last of the case's documents waiting to be read (its children, just queued, count)?

    Two workers finishing the last two documents at once must not each see the other still waiting and both
    stay quiet, so the check is serialised per case until the job commits, when the other worker's check sees
    this document read: on PostgreSQL by a transaction-scoped advisory lock on the case (not the case's row: a
    worker inserting children holds a key-share lock on it, and waiting for that while holding the audit
    chain's lock deadlocked, measured with two workers); on SQLite every writer already holds the database's one
    write lock until it commits (made sure of by ``begin_immediate``). Called after the job's audit event, so
    the audit lock is always taken first.
    """
    db.session.flush()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:space, :case_id)"),
            {"space": _BATCH_LOCK_SPACE, "case_id": document.case_id},
        )
    else:
        begin_immediate(connection)
    waiting = db.session.scalar(
        select(Document.id)
        .where(
            Document.case_id == document.case_id,
            Document.status == DocumentStatus.QUEUED,
            Document.id != document.id,
        )
        .limit(1)
    )
    return waiting is None


def _apply(document: Document, result: Extraction, store: FileStore) -> None:
    document.media_type = result.media_type[:127]
    document.kind = result.kind[:20]
    document.title = (result.title or document.original_name)[:500]
    document.document_date = result.document_date
    document.details = {k: str(v)[:1000] for k, v in result.metadata.items()}
    document.read_at = utcnow()
    if result.refusal is not None:
        document.status = DocumentStatus.REFUSED
        document.refusal_code = result.refusal.code
        document.refusal_message = result.refusal.message
        return
    if result.working_pdf is not None:
        with result.working_pdf.open("rb") as handle:
            working = store.put(handle)
        document.working_key, document.working_size = working.key, working.size
    db.session.add_all(
        DocumentPage(
            document_id=document.id,
            number=page.number,
            width=page.width,
            height=page.height,
            text=page.text,
            words=[list(word) for word in page.words],
            ocr=page.ocr,
        )
        for page in result.pages
    )
    document.page_count = len(result.pages)
    for position, child in enumerate(result.children):
        with child.path.open("rb") as handle:
            stored = store.put(handle)
        _new_document(
            document.case_id,
            child.name,
            stored.key,
            stored.size,
            parent_id=document.id,
            child_index=position,
            relation=child.relation[:30],
            depth=document.depth + 1,
            source=document.source,
            task_id=document.task_id,
            connector_id=document.connector_id,
            added_by_label=JOB_ACTOR.name,
        )
    document.status = DocumentStatus.READY


# --- de-duplication (the job) ----------------------------------------------------------------------------------


def _group_key(kind: GroupKind, kept: int, others: list[int]) -> str:
    return hashlib.sha256(f"{kind.value}:{kept}:{','.join(map(str, sorted(others)))}".encode()).hexdigest()


def dedupe_case(payload: dict[str, Any]) -> None:
    """Job handler: once nothing of the case is waiting to be read, collapse exact copies and group near-duplicates
    and email threads. Re-running it changes nothing; a group a reviewer undid is not made again."""
    case_id = int(payload["case_id"])
    waiting = db.session.scalar(
        select(Document.id).where(Document.case_id == case_id, Document.status == DocumentStatus.QUEUED).limit(1)
    )
    if waiting is not None:
        return  # the last document to be read queues another run
    later_run = db.session.scalar(
        select(Job.id)
        .where(
            Job.name == DEDUPE_JOB,
            Job.status == JobStatus.QUEUED,
            Job.payload["case_id"].as_integer() == case_id,
        )
        .limit(1)
    )
    if later_run is not None:
        return  # a later run will see everything this one would
    group_duplicates(case_id)


def group_duplicates(case_id: int) -> None:
    """Collapse the case's exact copies and group its near-duplicates and email threads, now (idempotent)."""
    _collapse_exact_copies(case_id)
    ready = db.session.scalars(
        select(Document).where(Document.case_id == case_id, Document.status == DocumentStatus.READY)
    ).all()
    texts = _texts([d.id for d in ready])
    sizes = {d.id: (d.page_count, len(texts.get(d.id, ""))) for d in ready}
    found: list[tuple[GroupKind, int, list[int]]] = []
    for ids in dedupe.near_duplicate_groups((d.id, texts.get(d.id, "")) for d in ready):
        kept = max(ids, key=lambda i: (sizes[i], -i))  # the fullest version, the earliest on a tie
        found.append((GroupKind.NEAR_DUPLICATE, kept, [i for i in ids if i != kept]))
    emails = [
        (d.id, {k: str(v) for k, v in d.details.items()}, texts.get(d.id, "")) for d in ready if d.kind == "email"
    ]
    for kept, others in dedupe.email_thread_groups(emails):
        found.append((GroupKind.EMAIL_THREAD, kept, others))
    existing = set(db.session.scalars(select(DocumentGroup.key).where(DocumentGroup.case_id == case_id)))
    made = 0
    for kind, kept, others in found:
        key = _group_key(kind, kept, others)
        if key in existing or not others:
            continue
        group = DocumentGroup(case_id=case_id, kind=kind, key=key, kept_document_id=kept)
        group.members = [DocumentGroupMember(document_id=i) for i in others]
        db.session.add(group)
        made += 1
    if made:
        db.session.flush()
        audit.record(
            "documents.grouped",
            object_type="case",
            object_id=case_id,
            case_id=case_id,
            summary=f"{made} groups of near-duplicates or email threads found",
            by=JOB_ACTOR,
        )


def _texts(document_ids: list[int]) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    for chunk in range(0, len(document_ids), 500):
        rows = db.session.execute(
            select(DocumentPage.document_id, DocumentPage.text)
            .where(DocumentPage.document_id.in_(document_ids[chunk : chunk + 500]))
            .order_by(DocumentPage.document_id, DocumentPage.number)
        )
        for doc_id, page_text in rows:
            texts.setdefault(doc_id, []).append(page_text)
    return {doc_id: "\n".join(parts) for doc_id, parts in texts.items()}


def _collapse_exact_copies(case_id: int) -> None:
    """Copies read at the same moment by two workers can both be read; the later becomes a duplicate."""
    rows = db.session.execute(
        select(Document.id, Document.file_key)
        .where(Document.case_id == case_id, Document.status.in_([DocumentStatus.READY, DocumentStatus.REFUSED]))
        .order_by(Document.id)
    ).all()
    first: dict[str, int] = {}
    for doc_id, key in rows:
        if key not in first:
            first[key] = doc_id
            continue
        db.session.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(status=DocumentStatus.DUPLICATE, duplicate_of_id=first[key])
            .execution_options(synchronize_session=False)
        )
        db.session.execute(delete(DocumentPage).where(DocumentPage.document_id == doc_id))


def undo_group(group: DocumentGroup, *, by: User) -> None:
    """The reviewer disagrees: every document of the group goes back to review."""
    if group.undone_at is not None:
        return
    group.undone_at = utcnow()
    group.undone_by_id = by.id
    db.session.flush()
    audit.record_on(
        group,
        "documents.group_undone",
        (
            f"{group.kind.label} group of document {group.kept_document_id} undone: "
            f"{len(group.members)} documents back in review"
        ),
        by=by,
    )


def register_jobs() -> None:
    register_job(INGEST_JOB, ingest_document)
    register_job(DEDUPE_JOB, dedupe_case)


def _enqueue(name: str, payload: dict[str, Any]) -> None:
    # Registered at import (below); registering again here is a no-op unless the registry was replaced since
    # (the job queue's own tests swap it), and keeps a file from being stored with no job able to read it.
    if name not in registered_jobs():
        register_jobs()
    enqueue(name, payload)


register_jobs()


def documents_of_task(task_id: int) -> list[Document]:
    """The files sent for one task (top level only): what its record holder may see of the case."""
    return list(
        db.session.scalars(
            select(Document).where(Document.task_id == task_id, Document.parent_id.is_(None)).order_by(Document.id)
        )
    )


def add_files_for_task(
    task: SearchTask,
    uploads: list[Any],
    *,
    by: User | None,
    by_label: str,
) -> list[Added]:
    """Files a record holder or provider sends for a search: ingested like any upload, linked to the task, and
    the task marked as answered."""
    from sar.sources import tasks

    tasks.records_supplied(task, len(uploads), by_label=by_label, by=_author(by, by_label))
    case = db.session.get_one(Case, task.case_id)
    source = task.team.name if task.team is not None else "search task"
    return [
        add_file(case, upload.filename or "file", upload.stream, source=source, by=by, by_label=by_label, task=task)
        for upload in uploads
    ]
