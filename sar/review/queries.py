"""What the review pages read: progress of a case, findings of a page, detection runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case as when
from sqlalchemy import func, select

from sar.extensions import db
from sar.review.models import (
    Consultation,
    DetectionRun,
    DocumentReview,
    Outcome,
    PageWithheld,
    ReviewBatch,
    ReviewFinding,
    ReviewNote,
)
from sar.sources.models import Document, DocumentStatus
from sar.sources.queries import set_aside_ids


@dataclass
class DocumentProgress:
    findings: int = 0
    pending: int = 0
    redacted: int = 0
    pages_withheld: int = 0
    flags: DocumentReview | None = None

    @property
    def done(self) -> bool:
        flags = self.flags
        return flags is not None and (flags.done or bool(flags.withheld_code) or flags.not_relevant or flags.duplicate)

    @property
    def status(self) -> str:
        flags = self.flags
        if flags is not None and flags.withheld_code:
            return f"Withheld ({flags.withheld_code})"
        if flags is not None and flags.not_relevant:
            return "Not relevant"
        if flags is not None and flags.duplicate:
            return "Duplicate"
        if flags is not None and flags.done:
            return "Done"
        if self.pending:
            return f"{self.pending} to decide"
        return "To review"


@dataclass
class Progress:
    documents: int = 0  # to review: read, not set aside by de-duplication
    documents_done: int = 0
    findings: int = 0
    pending: int = 0
    pages_withheld: int = 0
    open_consultations: int = 0
    per_document: dict[int, DocumentProgress] = field(default_factory=dict)


def progress(case_id: int) -> Progress:
    result = Progress()
    aside = set_aside_ids(case_id)
    documents = [
        d
        for d in db.session.scalars(
            select(Document.id).where(Document.case_id == case_id, Document.status == DocumentStatus.READY)
        )
        if d not in aside
    ]
    per = {d: DocumentProgress() for d in documents}
    for document_id, total, pending, redacted in db.session.execute(
        select(
            ReviewFinding.document_id,
            func.count(),
            func.sum(when((ReviewFinding.outcome == Outcome.PENDING, 1), else_=0)),
            func.sum(when((ReviewFinding.outcome == Outcome.REDACT, 1), else_=0)),
        )
        .where(ReviewFinding.case_id == case_id)
        .group_by(ReviewFinding.document_id)
    ):
        entry = per.setdefault(document_id, DocumentProgress())
        entry.findings, entry.pending, entry.redacted = int(total), int(pending or 0), int(redacted or 0)
    for document_id, count in db.session.execute(
        select(PageWithheld.document_id, func.count())
        .where(PageWithheld.case_id == case_id)
        .group_by(PageWithheld.document_id)
    ):
        per.setdefault(document_id, DocumentProgress()).pages_withheld = int(count)
    for flags in db.session.scalars(select(DocumentReview).where(DocumentReview.case_id == case_id)):
        per.setdefault(flags.document_id, DocumentProgress()).flags = flags
    result.per_document = per
    result.documents = len(documents)
    result.documents_done = sum(1 for d in documents if per[d].done)
    result.findings = sum(p.findings for p in per.values())
    result.pending = sum(p.pending for p in per.values())
    result.pages_withheld = sum(p.pages_withheld for p in per.values())
    from sar.review.signoff import open_consultations_of

    result.open_consultations = len(open_consultations_of(case_id))
    return result


def findings_of_page(document_id: int, number: int) -> list[ReviewFinding]:
    return list(
        db.session.scalars(
            select(ReviewFinding)
            .where(ReviewFinding.document_id == document_id, ReviewFinding.page_number == number)
            .order_by(ReviewFinding.start, ReviewFinding.id)
        )
    )


def pending_pages(document_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ReviewFinding.page_number)
            .where(ReviewFinding.document_id == document_id, ReviewFinding.outcome == Outcome.PENDING)
            .distinct()
            .order_by(ReviewFinding.page_number)
        )
    )


def withheld_page(document_id: int, number: int) -> PageWithheld | None:
    return db.session.scalars(
        select(PageWithheld).where(PageWithheld.document_id == document_id, PageWithheld.page_number == number)
    ).first()


def notes_of(case_id: int, document_id: int | None = None) -> list[ReviewNote]:
    query = select(ReviewNote).where(ReviewNote.case_id == case_id)
    if document_id is not None:
        query = query.where(ReviewNote.document_id == document_id)
    return list(db.session.scalars(query.order_by(ReviewNote.id.desc()).limit(50)))


def latest_runs(case_id: int, limit: int = 5) -> list[DetectionRun]:
    return list(
        db.session.scalars(
            select(DetectionRun).where(DetectionRun.case_id == case_id).order_by(DetectionRun.id.desc()).limit(limit)
        )
    )


def batches_of(case_id: int, limit: int = 10) -> list[ReviewBatch]:
    return list(
        db.session.scalars(
            select(ReviewBatch).where(ReviewBatch.case_id == case_id).order_by(ReviewBatch.id.desc()).limit(limit)
        )
    )


def consultations_of(case_id: int) -> list[Consultation]:
    return list(
        db.session.scalars(select(Consultation).where(Consultation.case_id == case_id).order_by(Consultation.id))
    )


def people_in_findings(case_id: int) -> list[tuple[str, str, int]]:
    """(register id, name, mentions) of everyone the findings name, for "apply to every mention"."""
    return [
        (str(ref), name, int(n))
        for ref, name, n in db.session.execute(
            select(ReviewFinding.person_ref, func.max(ReviewFinding.person_name), func.count())
            .where(ReviewFinding.case_id == case_id, ReviewFinding.person_ref.is_not(None))
            .group_by(ReviewFinding.person_ref)
            .order_by(ReviewFinding.person_ref)
        )
    ]
