"""One-time links for setting up an authenticator app: new accounts and MFA resets.

Whoever first signs in with an account's password used to choose its authenticator, so a
temporary password overheard, or an administrator who set it, could claim the account for good.
Now the password alone never enrols: the person follows a link emailed to the account's address
(single use, expiring after ENROLMENT_LINK_HOURS, replaced by any newer link), then enters the
password, then scans the code. Only a hash of the link's token is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request, url_for

from sar import audit, mail
from sar.audit import Author
from sar.auth.models import EnrolmentLink, User
from sar.db import utcnow
from sar.extensions import db

LOCAL_URL = "http://127.0.0.1:5000"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_url(token: str) -> str:
    """The address to put in the email: PUBLIC_URL if configured, else the address of this request."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        base = request.host_url if has_request_context() else LOCAL_URL
    if has_request_context():
        path = url_for("auth.enrol", token=token)
    else:  # the command line: no request to take the address from
        with current_app.test_request_context():
            path = url_for("auth.enrol", token=token)
    return str(base).rstrip("/") + path


def issue(user: User, *, by: Author, reason: str = "new account") -> str:
    """Replace any unused link with a new one, email it to the user, and return its address."""
    now = utcnow()
    for old in db.session.query(EnrolmentLink).filter(
        EnrolmentLink.user_id == user.id, EnrolmentLink.used_at.is_(None), EnrolmentLink.revoked_at.is_(None)
    ):
        old.revoked_at = now
    token = secrets.token_urlsafe(32)
    hours = float(current_app.config["ENROLMENT_LINK_HOURS"])
    link = EnrolmentLink(
        token_hash=_hash(token),
        user_id=user.id,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
        created_by_id=by.id if isinstance(by, User) else None,
    )
    db.session.add(link)
    db.session.flush()
    url = link_url(token)
    service_name = current_app.config["COUNCIL_SERVICE_NAME"]
    mail.queue(
        user.email,
        f"Set up your sign-in for {service_name}",
        f"Dear {user.full_name},\n\n"
        f"To finish setting up your account on {current_app.config['COUNCIL_NAME']}'s {service_name} service, "
        "open this link, sign in with the password you were given, and set up an authenticator app:\n\n"
        f"{url}\n\n"
        f"The link works once, for {int(hours)} hours. If it has expired, ask an administrator for a new one. "
        "If you did not expect this email, tell your information governance team.\n",
        kind="enrolment_link",
    )
    mail.send_soon()
    summary = f"Authenticator set-up link emailed to {user.email} ({reason})"
    audit.record_on(
        user, "enrolment_link_sent", summary, after={"expires_at": link.expires_at, "reason": reason}, by=by
    )
    return url


def find_valid(token: str) -> EnrolmentLink | None:
    if not token or len(token) > 100:
        return None
    link = db.session.query(EnrolmentLink).filter(EnrolmentLink.token_hash == _hash(token)).one_or_none()
    if link is None or not is_valid(link):
        return None
    return link


def is_valid(link: EnrolmentLink) -> bool:
    return link.used_at is None and link.revoked_at is None and link.expires_at > utcnow()


def usable_link_for(user: User, link_id: object) -> EnrolmentLink | None:
    """The link this browser arrived by, if it is still usable and belongs to ``user``."""
    if not isinstance(link_id, int):
        return None
    link = db.session.get(EnrolmentLink, link_id)
    if link is None or link.user_id != user.id or not is_valid(link):
        return None
    return link


def consume(link: EnrolmentLink) -> None:
    link.used_at = utcnow()
    db.session.flush()
