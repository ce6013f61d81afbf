"""The disclosure bundle of a case: one row per built part, the documents it holds, its gate result and its release.

A case's bundle is built in one or more *parts* (rolling disclosure: part 1, part 2 ... each under the configured page
limit); every build makes new rows and marks the case's earlier unreleased builds superseded, so what was checked,
released and sent is never rewritten. A row moves building → built → (gate-failed | released), or building → failed.

Two files per bundle, both in the encrypted file store (sar.storage):

* the **built** file (``built_key``): the plain PDF the gate checked. ``gate_sha256`` is the SHA-256 the gate read
  and ``gate_seal`` an HMAC of (bundle id, that hash, the verdict) under the app's secret, so neither the file nor the
  verdict can be swapped after the gate without release noticing (sar.bundle.gate);
* the **released** file (the StoredFileMixin columns, empty until release): the AES-256 encrypted copy the requester
  downloads. The password is never stored, only its hash; it is shown once, to whoever released.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.auth.models import User
from sar.db import Base, string_enum, utcnow
from sar.enums import LabelledEnum
from sar.storage import StoredFileMixin


class BundleStatus(LabelledEnum):
    BUILDING = "building", "Being built"
    FAILED = "failed", "Build failed"  # the build itself could not finish (error says why); nothing to check or release
    BUILT = "built", "Built and checked"  # built and the gate passed: can be released
    GATE_FAILED = "gate_failed", "Failed the release check"  # built, but the gate found a leak: can never be released
    RELEASED = "released", "Released"


class Bundle(StoredFileMixin, Base):
    __tablename__ = "bundles"
    audit_type: ClassVar[str] = "bundle"
    __table_args__ = (Index("ix_bundles_case_status", "case_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    # Every build of a case gets the next build number; its parts share it.
    build_number: Mapped[int] = mapped_column(default=1)
    part: Mapped[int] = mapped_column(default=1)
    parts_total: Mapped[int] = mapped_column(default=1)
    status: Mapped[BundleStatus] = mapped_column(string_enum(BundleStatus, 20), default=BundleStatus.BUILDING)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)  # a later build replaced this unreleased one
    error: Mapped[str] = mapped_column(Text, default="")  # why a build failed
    job_id: Mapped[int | None]
    # Repeat request: only documents not in an earlier released bundle; the earlier bundles are listed on the cover.
    only_new: Mapped[bool] = mapped_column(Boolean, default=False)
    audience: Mapped[str] = mapped_column(String(10), default="adult")  # the letters' Audience value
    disclosed_to: Mapped[str] = mapped_column(String(200), default="")
    disclosed_on: Mapped[date | None]
    # The running bundle number of the first page ("Bundle page 1201" in part 2 follows part 1's last page).
    first_page_number: Mapped[int] = mapped_column(default=1)
    page_count: Mapped[int] = mapped_column(default=0)
    document_count: Mapped[int] = mapped_column(default=0)
    redaction_count: Mapped[int] = mapped_column(default=0)
    withheld_page_count: Mapped[int] = mapped_column(default=0)
    codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # exemption codes used in this part
    cover_letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"))
    built_key: Mapped[str | None] = mapped_column(String(64))
    built_size: Mapped[int | None]
    built_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    built_by_label: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    built_at: Mapped[datetime | None]
    # The release gate (sar.bundle.gate).
    gate_passed: Mapped[bool | None]
    gate_report: Mapped[str] = mapped_column(Text, default="")  # each problem: "page N: what leaked"
    gate_checked_at: Mapped[datetime | None]
    gate_sha256: Mapped[str | None] = mapped_column(String(64))
    gate_seal: Mapped[str | None] = mapped_column(String(64))
    forbidden_count: Mapped[int] = mapped_column(default=0)
    must_keep_count: Mapped[int] = mapped_column(default=0)
    # The release.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_by_label: Mapped[str] = mapped_column(String(200), default="")
    released_at: Mapped[datetime | None]
    # The released (encrypted) file: StoredFileMixin's columns, empty until release.
    file_key: Mapped[str | None] = mapped_column(String(64), index=True)  # type: ignore[assignment]
    file_size: Mapped[int | None] = mapped_column(Integer)  # type: ignore[assignment]
    media_type: Mapped[str | None] = mapped_column(String(127))  # type: ignore[assignment]
    original_name: Mapped[str | None] = mapped_column(String(255))  # type: ignore[assignment]

    entries: Mapped[list[BundleEntry]] = relationship(
        cascade="all, delete-orphan", order_by="BundleEntry.position", back_populates="bundle"
    )
    built_by: Mapped[User | None] = relationship(foreign_keys=[built_by_id])
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])

    @property
    def is_released(self) -> bool:
        """Released means all three: the status, who and when, and the encrypted file in the store."""
        return self.status is BundleStatus.RELEASED and self.released_at is not None and bool(self.file_key)

    @property
    def last_page_number(self) -> int:
        return self.first_page_number + max(self.page_count, 1) - 1

    @property
    def title(self) -> str:
        part = f", part {self.part} of {self.parts_total}" if self.parts_total > 1 else ""
        return f"Bundle {self.build_number}{part}"


class BundleEntry(Base):
    """One document of a bundle, as the index lists it; pages are 1-based pages of this part's PDF."""

    __tablename__ = "bundle_entries"
    __table_args__ = (Index("ix_bundle_entries_document", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundles.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    position: Mapped[int]  # the document's number in the index, counted across parts
    title: Mapped[str] = mapped_column(String(500), default="")
    document_date: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(200), default="")  # team or system it came from
    first_page: Mapped[int] = mapped_column(default=0)
    last_page: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    pages_withheld: Mapped[int] = mapped_column(default=0)
    redactions: Mapped[int] = mapped_column(default=0)
    withheld_code: Mapped[str | None] = mapped_column(String(20))  # the whole document withheld under this code

    bundle: Mapped[Bundle] = relationship(back_populates="entries")
