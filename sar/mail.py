"""Outgoing email through SMTP, by way of an outbox table so no message is ever lost.

A message is first written to ``mail_outbox`` in the same transaction as whatever caused it; delivery is a
separate step that sends what is queued and records each attempt. When the SMTP server is down the message stays
queued with the error and is tried again on the next run. ``dedup_key`` is unique, so queueing the same reminder
twice (a job run twice on one day) is a no-op rather than a second email.

A message may carry one attachment from the file store (a letter's PDF): the outbox keeps only its key, and the
file is read from the encrypted store when the message is sent, so the outbox table never holds document content.
"""

from __future__ import annotations

import enum
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app
from sqlalchemy import Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from sar.db import Base, string_enum, utcnow
from sar.extensions import db
from sar.storage import StorageError, check_key, get_store


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"


class OutboxMessage(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "reminder:due_near:42:2026-03-10:officer@council" - one message per case, kind, day and recipient.
    dedup_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="")
    case_id: Mapped[int | None] = mapped_column(index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(
        string_enum(MailStatus, 10),
        default=MailStatus.QUEUED,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    attachment_key: Mapped[str | None] = mapped_column(String(64))
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_type: Mapped[str | None] = mapped_column(String(127))


@dataclass(frozen=True)
class Attachment:
    """A file in the file store (sar.storage) to attach when the message is sent."""

    file_key: str
    filename: str
    media_type: str = "application/pdf"


def queue(
    to_address: str,
    subject: str,
    body: str,
    *,
    dedup_key: str | None = None,
    kind: str = "",
    case_id: int | None = None,
    attachment: Attachment | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox (flush only); None if one with the same ``dedup_key`` already exists."""
    if dedup_key is not None:
        existing = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key))
        if existing is not None:
            return None
    message = OutboxMessage(
        dedup_key=dedup_key, kind=kind, case_id=case_id, to_address=to_address, subject=subject[:300], body=body
    )
    if attachment is not None:
        check_key(attachment.file_key)
        message.attachment_key = attachment.file_key
        message.attachment_name = attachment.filename[:255]
        message.attachment_type = attachment.media_type[:127]
    db.session.add(message)
    db.session.flush()
    return message


# Kinds of message whose body is a secret once sent (a download link, a password): the outbox keeps that the message
# was sent, to whom and when, but not what would open the records. Registered by the stage that sends them.
_SECRET_KINDS: set[str] = set()
SCRUBBED_BODY = "(Removed once sent: this message held a one-time link or a password.)"


def register_secret_kind(kind: str) -> None:
    """Messages of ``kind`` have their body removed from the outbox as soon as they are sent."""
    _SECRET_KINDS.add(kind)


def _is_secret(kind: str) -> bool:
    return kind in _SECRET_KINDS


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    still_queued: int


def _connect(config: dict[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_HOST"], int(config["MAIL_PORT"]), timeout=float(config["MAIL_TIMEOUT_SECONDS"]))
    if config.get("MAIL_USE_TLS"):
        smtp.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def _email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    email.set_content(message.body)
    if message.attachment_key:
        maintype, _, subtype = (message.attachment_type or "application/octet-stream").partition("/")
        email.add_attachment(
            get_store().open(message.attachment_key),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=message.attachment_name or "attachment",
        )
    return email


def _failed(message: OutboxMessage, error: BaseException) -> None:
    message.attempts += 1
    message.last_attempt_at = utcnow()
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    current_app.logger.warning(
        "mail %s to %s not sent (attempt %s): %s", message.id, message.to_address, message.attempts, message.last_error
    )


def deliver_pending(*, commit: Callable[[], None] | None = None, limit: int = 500) -> DeliveryReport:
    """Send queued messages over one SMTP connection; failures stay queued with the error for the next run.

    ``commit`` (the CLI passes ``db.session.commit``) is called after every message, so a message that went out
    is never sent again because a later one crashed the run.
    """
    config = current_app.config
    pending = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == MailStatus.QUEUED)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    if not pending:
        return DeliveryReport(0, 0, 0)
    sent = failed = 0
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as error:
        for message in pending:
            _failed(message, error)
        db.session.flush()
        if commit:
            commit()
        return DeliveryReport(0, len(pending), len(pending))
    try:
        for message in pending:
            try:
                smtp.send_message(_email(message, config["MAIL_FROM"]))
            except (OSError, smtplib.SMTPException, StorageError) as error:
                _failed(message, error)
                failed += 1
            else:
                message.attempts += 1
                message.status = MailStatus.SENT
                message.sent_at = message.last_attempt_at = utcnow()
                message.last_error = None
                if _is_secret(message.kind):
                    message.body = SCRUBBED_BODY
                sent += 1
            db.session.flush()
            if commit:
                commit()
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return DeliveryReport(sent, failed, failed)


DELIVER_JOB = "mail.deliver"


def _deliver_job(payload: dict[str, Any]) -> None:
    """Job handler: send whatever is queued (the worker commits with the job)."""
    deliver_pending()


def send_soon() -> None:
    """Ask the job worker to deliver the outbox now (in the caller's transaction), for messages that
    must not wait for the daily reminder run: set-up links and warnings about attacks on an account."""
    from sar import jobs

    jobs.enqueue(DELIVER_JOB)


def _register_job() -> None:
    from sar import jobs

    jobs.register_job(DELIVER_JOB, _deliver_job)


_register_job()
