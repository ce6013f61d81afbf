"""Letter templates (versioned), letters kept on a case, each case's choice of plain language for a child, and the
council's Art 15 supplementary information."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.auth.models import User
from sar.db import Base, string_enum, utcnow
from sar.enums import LabelledEnum
from sar.storage import StoredFileMixin


class LetterKind(LabelledEnum):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    EVIDENCE_REQUEST = "evidence_request", "Request for proof of identity or authority"
    CLARIFICATION = "clarification", "Request for clarification"
    EXTENSION = "extension", "Extension notice"
    FEE_REQUEST = "fee_request", "Fee request"
    REFUSAL = "refusal", "Refusal"
    NO_DATA_HELD = "no_data_held", "No information held"
    DISCLOSURE_COVER = "disclosure_cover", "Disclosure cover letter"

    @property
    def hint(self) -> str:
        return KIND_HINTS[self]


KIND_HINTS = {
    LetterKind.ACKNOWLEDGEMENT: "Confirms the request arrived, with its reference and the date it is due.",
    LetterKind.EVIDENCE_REQUEST: "Asks for proof of identity, or evidence that the requester may act for the person. "
    "Sending it records the request in the case's evidence.",
    LetterKind.CLARIFICATION: "Asks what information or period the request is about. Sending it pauses the clock "
    "(subject access requests only).",
    LetterKind.EXTENSION: "Extends the time limit by two months, with reasons. Only before the notice deadline; "
    "sending it records the extension on the clock.",
    LetterKind.FEE_REQUEST: "Asks for a reasonable fee (further copies, or a manifestly unfounded or excessive "
    "request). Sending it records the fee request on the clock.",
    LetterKind.REFUSAL: "Refuses the request with reasons, the right to complain to the ICO and to go to court.",
    LetterKind.NO_DATA_HELD: "Tells the requester that no information about them was found.",
    LetterKind.DISCLOSURE_COVER: "Covers the records sent: everything UK GDPR Article 15 requires.",
}


class Audience(LabelledEnum):
    ADULT = "adult", "Standard"
    CHILD = "child", "Plain language for a child or young person"


class LetterStatus(LabelledEnum):
    DRAFT = "draft", "Not sent yet"  # written and kept on the case, not yet sent
    EMAILED = "emailed", "Sent by email"  # queued in the mail outbox with the PDF attached
    POSTED = "posted", "Printed for post"


class LetterTemplate(Base):
    """One version of the text of one kind of letter for one audience. Never changed: a save adds a version."""

    __tablename__ = "letter_templates"
    audit_type: ClassVar[str] = "letter_template"
    __table_args__ = (UniqueConstraint("kind", "audience", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LetterKind] = mapped_column(string_enum(LetterKind, 30))
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, 10))
    version: Mapped[int]
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(500), default="")
    # None for the built-in text the service starts with.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()

    @property
    def author_label(self) -> str:
        return self.created_by.full_name if self.created_by else "Built-in text"


class Letter(StoredFileMixin, Base):
    """A letter written on a case: its PDF in the file store (sar.storage.StoredFileMixin)."""

    __tablename__ = "letters"
    audit_type: ClassVar[str] = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LetterKind] = mapped_column(string_enum(LetterKind, 30))
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, 10))
    template_id: Mapped[int] = mapped_column(ForeignKey("letter_templates.id"))
    letter_date: Mapped[date]
    # What the officer added for this letter (reasons, questions, fee...), as the template saw it.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    status: Mapped[LetterStatus] = mapped_column(string_enum(LetterStatus, 10), default=LetterStatus.DRAFT)
    sent_to: Mapped[str | None] = mapped_column(String(254))
    sent_on: Mapped[date | None]
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outbox_message_id: Mapped[int | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[LetterTemplate] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])


class CaseLetterStyle(Base):
    """Whether letters on a case are written in plain language for a child or young person."""

    __tablename__ = "case_letter_styles"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, 10))
    chosen_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)


# The Art 15 supplementary information, in the order the cover letter gives it (sar-rules section 2).
ART15_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("purposes", "Why we hold the information (purposes)", "Art 15(1)(a): the purposes of the processing."),
    ("categories", "The kinds of information we hold (categories)", "Art 15(1)(b): the categories of personal data."),
    (
        "recipients",
        "Who we share it with (recipients)",
        "Art 15(1)(c): recipients or categories of recipient, "
        "especially in other countries or international organisations.",
    ),
    (
        "transfers",
        "Transfers outside the UK",
        "Art 15(1)(c) and 15(2): transfers to other countries and the safeguards used, or that there are none.",
    ),
    ("retention", "How long we keep it (retention)", "Art 15(1)(d): the retention period or how it is decided."),
    (
        "sources",
        "Where the information came from (sources)",
        "Art 15(1)(g): the source of information not collected from the person.",
    ),
    (
        "automated_decisions",
        "Automated decision-making",
        "Art 15(1)(h): any automated decision-making or profiling, "
        "with its logic, significance and consequences, or that there is none.",
    ),
    ("ico_contact", "The Information Commissioner's Office (ICO)", "Art 15(1)(f): how to complain to the ICO."),
    (
        "complaint_route",
        "How to complain to the council",
        "The council's own complaint route, before the ICO and the courts.",
    ),
    (
        "support_offer",
        "Support to go through the records",
        "The offer of someone to go through the records with the person.",
    ),
)
ART15_NAMES = tuple(name for name, _, _ in ART15_FIELDS)


class SupplementaryInformation(Base):
    """The council's Art 15 supplementary information: one row, changed only by the DPO (every change audited)."""

    __tablename__ = "art15_information"
    audit_type: ClassVar[str] = "art15_information"

    id: Mapped[int] = mapped_column(primary_key=True)
    purposes: Mapped[str] = mapped_column(Text)
    categories: Mapped[str] = mapped_column(Text)
    recipients: Mapped[str] = mapped_column(Text)
    transfers: Mapped[str] = mapped_column(Text)
    retention: Mapped[str] = mapped_column(Text)
    sources: Mapped[str] = mapped_column(Text)
    automated_decisions: Mapped[str] = mapped_column(Text)
    ico_contact: Mapped[str] = mapped_column(Text)
    complaint_route: Mapped[str] = mapped_column(Text)
    support_offer: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    updated_by: Mapped[User | None] = relationship()

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in ART15_NAMES}
