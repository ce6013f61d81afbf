"""The document model every later stage reads (docs/architecture.md), and the work of gathering.

A ``Document`` is one gathered item of a case: its original (stored once by SHA-256, encrypted,
never changed: the StoredFileMixin columns, whose ``file_key`` is also the content hash that exact
de-duplication compares), the working PDF derived from it (another stored object), and its pages
with their text and a box for every word, extracted once and stored here. Files found inside a
file (email attachments, archive members) are child documents.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.auth.models import Team, User
from sar.db import Base, CreatedAtMixin, string_enum, utcnow
from sar.enums import LabelledEnum
from sar.link_attempts import LinkAttempt
from sar.storage import StoredFileMixin

TITLE_MAX = 500


class DocumentStatus(LabelledEnum):
    QUEUED = "queued", "Waiting to be read"
    READY = "ready", "Ready"  # pages and words extracted
    REFUSED = "refused", "Cannot be read"  # cannot be read: kept with the reason for a person to deal with
    DUPLICATE = "duplicate", "Exact duplicate"  # the same content as another document of the case (duplicate_of)


class Document(StoredFileMixin, CreatedAtMixin, Base):
    __tablename__ = "documents"
    audit_type: ClassVar[str] = "document"
    __table_args__ = (
        # A retried ingest finds the children it already made instead of making them again.
        UniqueConstraint("parent_id", "child_index", name="uq_documents_parent_child"),
        Index("ix_documents_case_status", "case_id", "status"),
        Index("ix_documents_case_file", "case_id", "file_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    child_index: Mapped[int | None]
    relation: Mapped[str] = mapped_column(String(30), default="")  # to the parent: "attachment", "archive member"
    depth: Mapped[int] = mapped_column(default=0)
    # Where it came from: "upload", "command line", or a connector's name; and the search task it answers.
    source: Mapped[str] = mapped_column(String(100), default="upload")
    connector_id: Mapped[int | None] = mapped_column(ForeignKey("connectors.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("search_tasks.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    document_date: Mapped[datetime | None]
    kind: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[DocumentStatus] = mapped_column(string_enum(DocumentStatus, 20), default=DocumentStatus.QUEUED)
    refusal_code: Mapped[str] = mapped_column(String(30), default="")
    refusal_message: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    working_key: Mapped[str | None] = mapped_column(String(64))
    working_size: Mapped[int | None]
    page_count: Mapped[int] = mapped_column(default=0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # from, to, subject, author...
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_by_label: Mapped[str] = mapped_column(String(200), default="")
    read_at: Mapped[datetime | None]

    parent: Mapped[Document | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    duplicate_of: Mapped[Document | None] = relationship(remote_side=[id], foreign_keys=[duplicate_of_id])
    pages: Mapped[list[DocumentPage]] = relationship(
        cascade="all, delete-orphan", order_by="DocumentPage.number", back_populates="document"
    )

    @property
    def content_hash(self) -> str:
        return self.file_key


class DocumentPage(Base):
    """One page of a document's working PDF: its text and, for every word, (start, end, x0, y0, x1, y1) in
    PDF points from the top-left corner. Stored once; review and the bundle read it from here."""

    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_pages_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    width: Mapped[float]
    height: Mapped[float]
    text: Mapped[str] = mapped_column(Text, default="")
    words: Mapped[list[list[float]]] = mapped_column(JSON, default=list)
    ocr: Mapped[bool] = mapped_column(default=False)

    document: Mapped[Document] = relationship(back_populates="pages")


class GroupKind(LabelledEnum):
    NEAR_DUPLICATE = "near_duplicate", "Near-duplicates"
    EMAIL_THREAD = "email_thread", "Email thread"


class DocumentGroup(Base):
    """Documents that say the same thing: the kept one is reviewed, the others set aside until someone undoes
    the group. ``key`` (a hash of the kind and member ids) lets a re-run of de-duplication recognise a group it
    made before, including one a reviewer undid, so an undone group is never quietly made again."""

    __tablename__ = "document_groups"
    audit_type: ClassVar[str] = "document_group"
    __table_args__ = (UniqueConstraint("case_id", "key", name="uq_document_groups_case_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[GroupKind] = mapped_column(string_enum(GroupKind, 20))
    key: Mapped[str] = mapped_column(String(64))
    kept_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    kept: Mapped[Document] = relationship(foreign_keys=[kept_document_id])
    members: Mapped[list[DocumentGroupMember]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def active(self) -> bool:
        return self.undone_at is None


class DocumentGroupMember(Base):
    """A document the group sets aside (the kept document is not a member)."""

    __tablename__ = "document_group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("document_groups.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)

    document: Mapped[Document] = relationship()


# --- search tasks ------------------------------------------------------------------------------------------


class TaskStatus(LabelledEnum):
    OPEN = "open", "Open"
    RECORDS_SUPPLIED = "records_supplied", "Records supplied"
    NO_RECORDS = "no_records", "No records held"
    FAILED = "failed", "Failed"  # a connector run failed: the error is kept on the task
    CANCELLED = "cancelled", "Cancelled"

    @property
    def is_open(self) -> bool:
        return self in (TaskStatus.OPEN, TaskStatus.FAILED)


class SearchTask(CreatedAtMixin, Base):
    """A search for records commissioned from one team or provider for one case."""

    __tablename__ = "search_tasks"
    audit_type: ClassVar[str] = "search_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    connector_id: Mapped[int | None] = mapped_column(ForeignKey("connectors.id", ondelete="SET NULL"))
    instructions: Mapped[str] = mapped_column(Text, default="")
    # What the record holder searches for: the subject's identifiers as the task shows them, and search terms.
    identifiers: Mapped[list[str]] = mapped_column(JSON, default=list)
    search_terms: Mapped[str] = mapped_column(Text, default="")
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[TaskStatus] = mapped_column(string_enum(TaskStatus, 20), default=TaskStatus.OPEN, index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None]
    completed_by_label: Mapped[str] = mapped_column(String(200), default="")
    # The chase ladder: reminder before due, chases when overdue, escalation after enough chases.
    reminded_on: Mapped[date | None]
    chase_count: Mapped[int] = mapped_column(default=0)
    last_chased_on: Mapped[date | None]
    escalated_on: Mapped[date | None]

    team: Mapped[Team] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    statement: Mapped[SearchStatement | None] = relationship(cascade="all, delete-orphan", back_populates="task")


class SearchStatement(Base):
    """A record holder's account of a search that found nothing: the case's evidence of a reasonable search."""

    __tablename__ = "search_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("search_tasks.id", ondelete="CASCADE"), unique=True)
    systems_searched: Mapped[str] = mapped_column(Text)
    terms_used: Mapped[str] = mapped_column(Text)
    searched_by: Mapped[str] = mapped_column(String(200))
    searched_on: Mapped[date]
    recorded_by_label: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[SearchTask] = relationship(back_populates="statement")


class UploadLink(CreatedAtMixin, Base):
    """A one-time, expiring, revocable link for a provider without an account to send files for one task.

    Only a hash of the token is stored: the link is shown once, and a copy of the database opens nothing."""

    __tablename__ = "upload_links"
    audit_type: ClassVar[str] = "upload_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("search_tasks.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    recipient: Mapped[str] = mapped_column(String(254), default="")
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    failed_attempts: Mapped[int] = mapped_column(default=0)

    task: Mapped[SearchTask] = relationship()


# --- connectors ----------------------------------------------------------------------------------------------


class Connector(CreatedAtMixin, Base):
    """A configured source: a case system database, a file share, an email export folder."""

    __tablename__ = "connectors"
    audit_type: ClassVar[str] = "connector"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    # The team that holds the system: its searches are that team's tasks.
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    suspended: Mapped[bool] = mapped_column(default=False)
    last_tested_at: Mapped[datetime | None]
    last_test_result: Mapped[str] = mapped_column(Text, default="")

    team: Mapped[Team] = relationship()


class TeamContact(Base):
    """Who a team's search tasks go to when nobody is named, and who is told when they are escalated."""

    __tablename__ = "team_contacts"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    inbox_email: Mapped[str] = mapped_column(String(254), default="")
    manager_email: Mapped[str] = mapped_column(String(254), default="")


class UploadLinkAttempt(LinkAttempt):
    """Every use of the public upload route, for its rate limit (sar.link_attempts)."""

    __tablename__ = "upload_link_attempts"

    link_id: Mapped[int | None] = mapped_column(ForeignKey("upload_links.id", ondelete="SET NULL"))


class EvidenceFile(StoredFileMixin, CreatedAtMixin, Base):
    """A scan or file that evidences identity, authority or parental responsibility (intake's evidence record).

    Kept only as long as needed: deleted from the store on its own retention rule once the case has closed
    (sar.sources.evidence); the row stays, marked deleted, as the record that it existed and was destroyed."""

    __tablename__ = "evidence_files"
    audit_type: ClassVar[str] = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("case_evidence.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[datetime | None]
    deleted_reason: Mapped[str] = mapped_column(String(300), default="")
