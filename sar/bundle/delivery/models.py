"""Download links for the requester, and every use of the public download page (for its rate limit).

A link gives one released bundle to one requester: it expires, can be revoked, allows a limited number of downloads,
and only the SHA-256 of its token is stored, so the database (or a backup of it) opens nothing. The bundle's
password never reaches this table: it is checked against the release's hash when the officer sends it, and sent on
a different channel from the link (email, an SMS text the officer sends, or a posted letter).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.auth.models import User
from sar.db import Base, string_enum, utcnow
from sar.enums import LabelledEnum
from sar.link_attempts import LinkAttempt


class PasswordChannel(LabelledEnum):
    EMAIL = "email", "A separate email"  # a second email, separate from the link's
    # a text the officer sends from the council's phone; shown to the officer once
    SMS = "sms", "A text message (SMS) you send"
    POST = "post", "A letter by post"


class LinkState(LabelledEnum):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    USED_UP = "used_up", "All downloads used"  # every allowed download has been made


class DeliveryLink(Base):
    __tablename__ = "delivery_links"
    audit_type: ClassVar[str] = "delivery_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundles.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    password_channel: Mapped[PasswordChannel] = mapped_column(string_enum(PasswordChannel, 10))
    expires_at: Mapped[datetime]
    max_downloads: Mapped[int]
    downloads: Mapped[int] = mapped_column(default=0)
    last_downloaded_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_reason: Mapped[str] = mapped_column(String(200), default="")
    link_message_id: Mapped[int | None]  # the outbox message carrying the link
    password_message_id: Mapped[int | None]  # the outbox message carrying the password (email channel)
    # The posted password letter (post channel): a PDF in the encrypted file store, until the officer prints it.
    password_letter_key: Mapped[str | None] = mapped_column(String(64))
    password_sent_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def state(self, now: datetime | None = None) -> LinkState:
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.downloads >= self.max_downloads:
            return LinkState.USED_UP
        if self.expires_at <= (now or utcnow()):
            return LinkState.EXPIRED
        return LinkState.ACTIVE

    @property
    def downloads_left(self) -> int:
        return max(0, self.max_downloads - self.downloads)


class DeliveryAttempt(LinkAttempt):
    """Every use of the public download page, for its rate limit (sar.link_attempts)."""

    __tablename__ = "delivery_attempts"

    link_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_links.id", ondelete="SET NULL"))
