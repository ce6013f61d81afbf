"""Evidence files: identity, authority and parental-responsibility evidence attached to intake's evidence record.

Stored like every other file (encrypted, by content hash), shown only to IG officers and the DPO, every view
audited, and deleted on their own retention rule: ``EVIDENCE_FILE_RETENTION_DAYS`` after the case closes
(default 30). A stored file is removed only when nothing else still refers to the same content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO

import click
from flask import current_app
from sqlalchemy import func, select

from sar import audit, daily
from sar.auth.models import User
from sar.calendar import COUNCIL_TZ
from sar.cases.models import Case, CaseStatus, EvidenceItem
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db
from sar.sources.models import Document, EvidenceFile
from sar.storage import FileTooLarge, get_store

JOB_ACTOR = audit.SystemActor("evidence retention job")
# Shown in the browser only when the content really is one of these; anything else is downloaded.
_INLINE = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class EvidenceFileError(DomainError):
    """An evidence file refused or no longer available."""


def sniff_inline(head: bytes) -> str | None:
    return next((media for magic, media in _INLINE.items() if head.startswith(magic)), None)


def attach(item: EvidenceItem, name: str, content: bytes | IO[bytes], *, by: User) -> EvidenceFile:
    if item.case.is_closed:
        raise EvidenceFileError("This case is closed. Reopen it before adding evidence.")
    try:
        stored = get_store().put(content)
    except FileTooLarge as error:
        raise EvidenceFileError(str(error), "file") from error
    head = get_store().open(stored.key)[:16]
    row = EvidenceFile(
        case_id=item.case_id,
        evidence_id=item.id,
        file_key=stored.key,
        file_size=stored.size,
        media_type=sniff_inline(head) or "application/octet-stream",
        original_name=name[:255],
        uploaded_by_id=by.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record_on(row, "evidence_file.added", f"{item.kind.label}: file {name!r} attached", by=by)
    return row


def files_of_case(case_id: int) -> list[EvidenceFile]:
    return list(
        db.session.scalars(select(EvidenceFile).where(EvidenceFile.case_id == case_id).order_by(EvidenceFile.id))
    )


def read(row: EvidenceFile, *, by: User) -> bytes:
    if row.deleted_at is not None:
        raise EvidenceFileError("This file was deleted under the retention rule.")
    audit.record_on(row, "evidence_file.viewed", f"Viewed evidence file {row.original_name!r}", by=by)
    return get_store().open(row.file_key)


@dataclass(frozen=True)
class RetentionReport:
    deleted: int
    kept_shared: int


def _still_used(key: str, except_id: int) -> bool:
    others = db.session.scalar(
        select(func.count())
        .select_from(EvidenceFile)
        .where(EvidenceFile.file_key == key, EvidenceFile.id != except_id, EvidenceFile.deleted_at.is_(None))
    )
    documents = db.session.scalar(
        select(func.count()).select_from(Document).where((Document.file_key == key) | (Document.working_key == key))
    )
    return bool(others or documents)


def delete_expired(on: date) -> RetentionReport:
    """Delete the files of cases closed more than the retention period before ``on``."""
    days = int(current_app.config["EVIDENCE_FILE_RETENTION_DAYS"])
    cutoff = datetime.combine(on - timedelta(days=days), time.min, tzinfo=COUNCIL_TZ)
    due = db.session.scalars(
        select(EvidenceFile)
        .join(Case, Case.id == EvidenceFile.case_id)
        .where(EvidenceFile.deleted_at.is_(None), Case.status == CaseStatus.CLOSED, Case.closed_at < cutoff)
        .order_by(EvidenceFile.id)
    ).all()
    store = get_store()
    deleted = shared = 0
    for row in due:
        if _still_used(row.file_key, row.id):
            shared += 1  # the same content is still needed elsewhere: only this record of it goes
        else:
            store.delete(row.file_key)
        row.deleted_at = utcnow()
        row.deleted_reason = f"Retention: {days} days after the case closed"
        deleted += 1
        audit.record_on(
            row,
            "evidence_file.deleted",
            f"Evidence file {row.original_name!r} deleted: {days} days after the case closed",
            by=JOB_ACTOR,
        )
    return RetentionReport(deleted, shared)


def retention_job(payload: dict[str, object]) -> None:
    """Job handler ("sources.evidence_retention", payload {"date": "YYYY-MM-DD"} or {})."""
    delete_expired(daily.payload_day(payload))


@click.command("delete-expired-evidence")
@daily.day_option("apply the rule for")
def retention_command(day: date) -> None:
    """Delete identity and authority evidence files whose retention period has ended."""
    report = delete_expired(day)
    db.session.commit()
    click.echo(f"{report.deleted} evidence files deleted ({report.kept_shared} shared content kept for other records).")
