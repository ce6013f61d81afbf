"""What the case shows about its documents: gathered, read, set aside as duplicates, refused, left to review."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from sar.case_rows import of_case
from sar.extensions import db
from sar.sources.models import Document, DocumentGroup, DocumentGroupMember, DocumentPage, DocumentStatus


@dataclass
class DocumentSummary:
    gathered: int = 0  # every document, children included
    queued: int = 0
    ready: int = 0
    refused: int = 0
    exact_duplicates: int = 0
    grouped_away: int = 0  # set aside by an active near-duplicate or email-thread group
    pages: int = 0
    pages_to_review: int = 0
    refusals: list[Document] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.gathered - self.queued

    @property
    def to_review(self) -> int:
        return self.ready - self.grouped_away

    @property
    def duplicates_removed(self) -> int:
        return self.exact_duplicates + self.grouped_away


def set_aside_ids(case_id: int) -> set[int]:
    """Documents an active group sets aside."""
    return set(
        db.session.scalars(
            select(DocumentGroupMember.document_id)
            .join(DocumentGroup, DocumentGroup.id == DocumentGroupMember.group_id)
            .where(DocumentGroup.case_id == case_id, DocumentGroup.undone_at.is_(None))
        )
    )


def summary(case_id: int) -> DocumentSummary:
    result = DocumentSummary()
    counts = db.session.execute(
        select(Document.status, func.count(), func.coalesce(func.sum(Document.page_count), 0))
        .where(Document.case_id == case_id)
        .group_by(Document.status)
    ).all()
    for status, count, pages in counts:
        result.gathered += count
        if status is DocumentStatus.QUEUED:
            result.queued = count
        elif status is DocumentStatus.READY:
            result.ready = count
            result.pages = int(pages)
        elif status is DocumentStatus.REFUSED:
            result.refused = count
        elif status is DocumentStatus.DUPLICATE:
            result.exact_duplicates = count
    aside = set_aside_ids(case_id)
    result.grouped_away = len(aside)
    aside_pages = 0
    if aside:
        aside_pages = int(
            db.session.scalar(select(func.coalesce(func.sum(Document.page_count), 0)).where(Document.id.in_(aside)))
            or 0
        )
    result.pages_to_review = result.pages - aside_pages
    result.refusals = list(
        db.session.scalars(
            select(Document)
            .where(Document.case_id == case_id, Document.status == DocumentStatus.REFUSED)
            .order_by(Document.id)
        )
    )
    return result


def documents_of(case_id: int) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.case_id == case_id).order_by(Document.id)))


def groups_of(case_id: int) -> list[DocumentGroup]:
    return list(
        db.session.scalars(select(DocumentGroup).where(DocumentGroup.case_id == case_id).order_by(DocumentGroup.id))
    )


def document_of_case(case_id: int, document_id: int) -> Document:
    """The document only if it belongs to this case: ids in URLs are never trusted on their own."""
    return of_case(Document, document_id, case_id)


def pages_of(document_id: int) -> list[DocumentPage]:
    return list(
        db.session.scalars(
            select(DocumentPage).where(DocumentPage.document_id == document_id).order_by(DocumentPage.number)
        )
    )
