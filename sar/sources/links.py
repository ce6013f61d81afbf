"""Upload links for commissioned providers without accounts: one task, one use, an expiry date, revocable.

The token is 32 random bytes shown once to the IG officer; only its SHA-256 is stored, so the database
(or a backup of it) opens nothing. The public route answers every problem with the same page, whatever
the reason (unknown, expired, revoked or used), so the route cannot be used to learn which tokens exist;
the audit trail and the officer's page show the real reason. Failed uses are counted per address and
refused once over the limit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from sar import audit, link_attempts
from sar.auth.models import User
from sar.db import utcnow
from sar.extensions import db
from sar.sources.models import SearchTask, UploadLink, UploadLinkAttempt
from sar.sources.tasks import TaskError

PUBLIC_ACTOR = audit.SystemActor("upload link")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_link(task: SearchTask, *, recipient: str, by: User, days: int | None = None) -> tuple[UploadLink, str]:
    """A new link for the task; returns the row and the token (the only time the token exists in clear)."""
    if not task.status.is_open:
        raise TaskError("This search is finished, so it needs no upload link.")
    lifetime = days or int(current_app.config["UPLOAD_LINK_DAYS"])
    token = secrets.token_urlsafe(32)
    link = UploadLink(
        task_id=task.id,
        token_hash=_hash(token),
        recipient=recipient.strip()[:254],
        expires_at=utcnow() + timedelta(days=lifetime),
        created_by_id=by.id,
    )
    db.session.add(link)
    db.session.flush()
    audit.record(
        "upload_link.created",
        object_type="upload_link",
        object_id=link.id,
        case_id=task.case_id,
        summary=f"Upload link for search task {task.id} made for {link.recipient or 'a provider'}, "
        f"valid for {lifetime} days",
        by=by,
    )
    return link, token


def revoke_link(link: UploadLink, *, by: User) -> None:
    if link.revoked_at is not None:
        return
    link.revoked_at = utcnow()
    audit.record(
        "upload_link.revoked",
        object_type="upload_link",
        object_id=link.id,
        case_id=link.task.case_id,
        summary=f"Upload link for search task {link.task_id} revoked",
        by=by,
    )


def link_state(link: UploadLink) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= utcnow():
        return "expired"
    return "active"


def too_many_failures(ip_address: str) -> bool:
    return link_attempts.too_many_failures(
        UploadLinkAttempt,
        ip_address,
        limit=int(current_app.config["UPLOAD_LINK_RATE_LIMIT"]),
        window_seconds=int(current_app.config["UPLOAD_LINK_RATE_WINDOW_SECONDS"]),
    )


def resolve(token: str) -> UploadLink | None:
    """The link if it can be used now, else None."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(select(UploadLink).where(UploadLink.token_hash == _hash(token)))
    if link is None or link_state(link) != "active" or not link.task.status.is_open:
        return None
    return link


def record_failure(token: str, ip_address: str) -> None:
    """A use that was refused: counted for the rate limit and audited, and committed now, since the refusal's
    response rolls the request back."""
    link = db.session.scalar(select(UploadLink).where(UploadLink.token_hash == _hash(token))) if token else None
    reason = "no such link" if link is None else link_state(link)
    link_attempts.record_attempt(UploadLinkAttempt, ip_address, link.id if link else None, succeeded=False)
    audit.record(
        "upload_link.refused",
        object_type="upload_link",
        object_id=link.id if link else None,
        case_id=link.task.case_id if link else None,
        summary=f"Upload link refused from {ip_address}: {reason}",
        by=PUBLIC_ACTOR,
    )
    db.session.commit()


def record_use(link: UploadLink, ip_address: str, *, viewed_only: bool) -> None:
    link_attempts.record_attempt(UploadLinkAttempt, ip_address, link.id, succeeded=True)
    if not viewed_only:
        link.used_at = utcnow()
    audit.record(
        "upload_link.opened" if viewed_only else "upload_link.used",
        object_type="upload_link",
        object_id=link.id,
        case_id=link.task.case_id,
        summary=f"Upload link for search task {link.task_id} {'opened' if viewed_only else 'used'} from {ip_address}",
        by=PUBLIC_ACTOR,
    )


def links_of_task(task_id: int) -> list[UploadLink]:
    return list(db.session.scalars(select(UploadLink).where(UploadLink.task_id == task_id).order_by(UploadLink.id)))
