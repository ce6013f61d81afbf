"""What review adds to a case: the exemption catalogue, findings and the decisions on them, page and document
flags, notes, consultations, the case's sign-off, and the record of each detection run.

A finding is keyed by what it points at (document, page, character span, text), not by the run that found it:
a re-run of detection that finds the same words again updates the proposal and keeps the decision.
Decisions live on the finding (its current state, what the schedule exports) and every change is also
appended to ``review_decision_log`` (who, when, what, exemption, reason), which is never rewritten.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.auth.models import User
from sar.db import Base, CreatedAtMixin, string_enum, utcnow
from sar.enums import LabelledEnum


class ConsultationKind(LabelledEnum):
    NONE = "", "None"
    # with the date of the opinion
    HEALTH = "health", "Opinion of the appropriate health professional"
    SOCIAL_WORK = "social_work", "Team manager's recorded reasons"


class Exemption(Base):
    """One code of the catalogue (sar-rules section 3), editable by the DPO."""

    __tablename__ = "review_exemptions"
    audit_type: ClassVar[str] = "exemption"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(300))  # one line, shown wherever the code is
    provision: Mapped[str] = mapped_column(String(120))
    test: Mapped[str] = mapped_column(Text)  # what the reviewer must be satisfied of
    consultee: Mapped[str] = mapped_column(String(300), default="")
    consultation: Mapped[ConsultationKind] = mapped_column(
        string_enum(ConsultationKind, 20), default=ConsultationKind.NONE
    )
    # "redaction": may be applied to words, pages, documents; "flag": a reason to keep (TP-PRO);
    # "request": applies to the whole request (MUE), never to a redaction.
    usage: Mapped[str] = mapped_column(String(20), default="redaction")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def id(self) -> str:
        """The code is the row's key: the audit trail names an exemption by it."""
        return self.code


class Outcome(LabelledEnum):
    PENDING = "pending", "Needs a decision"
    REDACT = "redact", "Redact"
    KEEP = "keep", "Disclose"


class Origin(enum.StrEnum):
    DETECTOR = "detector"
    TEXT = "text"  # a reviewer chose words of the page
    BOX = "box"  # a reviewer drew a box


class ReviewFinding(Base):
    __tablename__ = "review_findings"
    audit_type: ClassVar[str] = "review_finding"
    __table_args__ = (
        Index("ix_review_findings_case_outcome", "case_id", "outcome"),
        Index("ix_review_findings_page", "document_id", "page_number"),
        Index("ix_review_findings_case_person", "case_id", "person_ref"),
        Index("ix_review_findings_case_text", "case_id", "folded_text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page_number: Mapped[int]
    start: Mapped[int]  # offsets into the page's text; -1 for a drawn box
    end: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    folded_text: Mapped[str] = mapped_column(String(200), default="")  # lower-cased, for "every occurrence"
    boxes: Mapped[list[list[float]]] = mapped_column(JSON, default=list)  # x0, y0, x1, y1, top-left origin
    origin: Mapped[Origin] = mapped_column(string_enum(Origin, 10), default=Origin.DETECTOR)
    # What the detector proposed (kept apart from the decision so a re-run can update it).
    category: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[str] = mapped_column(String(20), default="")
    person_ref: Mapped[str | None] = mapped_column(String(10))  # "S", "P1"... of the register
    person_name: Mapped[str] = mapped_column(String(200), default="")
    proposed: Mapped[str] = mapped_column(String(10), default="review")  # redact | keep | review
    proposed_code: Mapped[str | None] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="")
    # False once a re-run no longer finds it; kept if a person decided on it, shown as "no longer detected".
    detected: Mapped[bool] = mapped_column(Boolean, default=True)
    # The decision.
    outcome: Mapped[Outcome] = mapped_column(string_enum(Outcome, 10), default=Outcome.PENDING)
    code: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_label: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("review_batches.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def needs_decision(self) -> bool:
        return self.outcome is Outcome.PENDING

    @property
    def colour(self) -> str:
        """What the box on the page shows: the decision if there is one, else the proposal."""
        if self.outcome is Outcome.REDACT:
            return "redact"
        if self.outcome is Outcome.KEEP:
            return "keep"
        return "pending"

    @property
    def key(self) -> tuple[int, int, int, int, str]:
        return (self.document_id, self.page_number, self.start, self.end, self.text)


class ReviewBatch(Base):
    """One "apply to every mention / occurrence" (or bulk accept): what it changed, so it can be undone."""

    __tablename__ = "review_batches"
    audit_type: ClassVar[str] = "review_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    # finding id -> [outcome, code, reason, decided_by_id, decided_by_label, decided_at iso] before the batch
    previous: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_label: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]


class DecisionLog(Base):
    """Append-only: every decision ever taken (the schedule's history, and what an investigator reads)."""

    __tablename__ = "review_decision_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page_number: Mapped[int | None]
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("review_findings.id", ondelete="SET NULL"))
    what: Mapped[str] = mapped_column(String(40))  # redact, keep, withhold page, not relevant...
    text: Mapped[str] = mapped_column(Text, default="")
    code: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_label: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentReview(Base):
    """A reviewer's view of one document: withheld whole, not relevant, a duplicate, or done."""

    __tablename__ = "review_documents"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    withheld_code: Mapped[str | None] = mapped_column(String(20))
    withheld_reason: Mapped[str] = mapped_column(Text, default="")
    not_relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    set_aside_reason: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    by_label: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class PageWithheld(Base):
    __tablename__ = "review_pages_withheld"
    __table_args__ = (UniqueConstraint("document_id", "page_number", name="uq_review_pages_withheld"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page_number: Mapped[int]
    code: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    by_label: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewNote(CreatedAtMixin, Base):
    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page_number: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    by_label: Mapped[str] = mapped_column(String(200))


class Consultation(CreatedAtMixin, Base):
    """A consultation a code needs before the case can be signed off (one per case, code and document)."""

    __tablename__ = "review_consultations"
    audit_type: ClassVar[str] = "review_consultation"
    __table_args__ = (UniqueConstraint("case_id", "code", "document_id", name="uq_review_consultations"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[ConsultationKind] = mapped_column(string_enum(ConsultationKind, 20))
    consultee: Mapped[str] = mapped_column(String(200), default="")  # name and role
    opinion: Mapped[str] = mapped_column(Text, default="")  # the opinion or the recorded reasons
    opinion_date: Mapped[date | None]
    recorded_by_label: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime | None]
    # No longer needed: no decision of the document carries the code any more.
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def is_open(self) -> bool:
        return self.recorded_at is None and not self.withdrawn


class SignOffState(LabelledEnum):
    IN_REVIEW = "in_review", "In review"
    READY = "ready", "Ready for sign-off"  # the reviewer says it is done; waiting for a second person
    SIGNED_OFF = "signed_off", "Signed off"
    RETURNED = "returned", "Returned to the reviewer"  # the second person sent it back with comments


class CaseReview(Base):
    __tablename__ = "case_reviews"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[SignOffState] = mapped_column(string_enum(SignOffState, 20), default=SignOffState.IN_REVIEW)
    ready_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ready_at: Mapped[datetime | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None]
    comments: Mapped[str] = mapped_column(Text, default="")  # the second person's, when returned
    voided_reason: Mapped[str] = mapped_column(Text, default="")  # why a sign-off was voided

    ready_by: Mapped[User | None] = relationship(foreign_keys=[ready_by_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])


class ConsistencyExplanation(Base):
    """A reviewer's reason why an inconsistency the check found is right (keyed by the issue's key)."""

    __tablename__ = "review_consistency_explanations"
    __table_args__ = (UniqueConstraint("case_id", "key", name="uq_review_consistency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[str] = mapped_column(Text)
    by_label: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DetectionRun(Base):
    __tablename__ = "review_detection_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    # Of the register and every page read: a run with the same fingerprint as the last one has nothing to do.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    documents: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)  # no longer found (decided ones kept)
    changed: Mapped[int] = mapped_column(default=0)  # proposal changed; decision kept
    decisions_kept: Mapped[int] = mapped_column(default=0)
    # A few examples of what changed, for the reviewer ("Jo Bloggs: redact → keep (consent recorded)").
    changes: Mapped[list[str]] = mapped_column(JSON, default=list)


class PageImage(Base):
    """A rendered PNG of a page of a working PDF, stored once in the file store."""

    __tablename__ = "review_page_images"
    __table_args__ = (UniqueConstraint("document_id", "page_number", name="uq_review_page_images"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page_number: Mapped[int]
    file_key: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
