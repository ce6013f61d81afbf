"""Server-side sign-in sessions: revocable, with an idle timeout and an absolute lifetime.

The signed cookie carries only a random token (and Flask-Login's user id); the
:class:`~sar.auth.models.UserSession` row it names is checked on every request. Ending the row
ends the session everywhere at once, including any copy of the cookie: signing out, changing
one's password (other sessions), an MFA reset, deactivation and an administrator's "sign out
everywhere" all do so. The row is created in the same transaction as the ``signed_in`` audit
event and the consumed TOTP step, so if that transaction does not commit, the cookie the browser
received names no session and signs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, flash, g, has_request_context, redirect, request, session, url_for
from flask_login import logout_user
from sqlalchemy import select, update
from werkzeug.wrappers import Response

from sar import audit
from sar.auth.models import User, UserSession
from sar.db import utcnow
from sar.extensions import db

TOKEN_KEY = "sid"
# last_seen_at is written at most this often: the idle timeout is counted in minutes, and a write
# on every request would make every page view contend for SQLite's write lock.
TOUCH_INTERVAL = timedelta(seconds=60)

IDLE = "idle"
EXPIRED = "expired"
ENDED = "ended"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _idle_limit() -> timedelta:
    return timedelta(minutes=float(current_app.config["IDLE_TIMEOUT_MINUTES"]))


def create(user: User, *, method: str, now: datetime | None = None) -> str:
    """A new session for ``user`` (flushed, not committed); returns the token for the cookie."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    has_request = has_request_context()
    db.session.add(
        UserSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=float(current_app.config["SESSION_ABSOLUTE_HOURS"])),
            ip_address=((request.remote_addr or "") if has_request else "")[:64],
            user_agent=((request.user_agent.string or "") if has_request else "")[:300],
            mfa_method=method[:40],
        )
    )
    db.session.flush()
    return token


def _problem(record: UserSession | None, user_id: object, now: datetime) -> str | None:
    if record is None or str(record.user_id) != str(user_id) or record.ended_at is not None:
        return ENDED
    if record.expires_at <= now:
        return EXPIRED
    if record.last_seen_at + _idle_limit() <= now:
        return IDLE
    return None


def _record_for_cookie() -> UserSession | None:
    if "sar_user_session" not in g:
        token = session.get(TOKEN_KEY)
        g.sar_user_session = (
            db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
            if isinstance(token, str)
            else None
        )
    record: UserSession | None = g.sar_user_session
    return record


def current() -> UserSession | None:
    """The valid session row behind this request's cookie, or None."""
    user_id = session.get("_user_id")
    if user_id is None:
        return None
    record = _record_for_cookie()
    return record if _problem(record, user_id, utcnow()) is None else None


def user_is_signed_in(user_id: str) -> bool:
    """For Flask-Login's user loader: the cookie's user id is backed by a live session row."""
    record = _record_for_cookie()
    return _problem(record, user_id, utcnow()) is None


def end(record: UserSession, reason: str, *, now: datetime | None = None) -> None:
    if record.ended_at is None:
        record.ended_at = now or utcnow()
        record.end_reason = reason[:80]
        db.session.flush()


def end_all(user: User, reason: str, *, keep: UserSession | None = None) -> int:
    """End every live session of ``user`` except ``keep``; returns how many were ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(
        query.values(ended_at=utcnow(), end_reason=reason[:80]).execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)


def active_for(user: User) -> list[UserSession]:
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None), UserSession.expires_at > now)
        .order_by(UserSession.last_seen_at.desc())
    ).all()
    return [row for row in rows if row.last_seen_at + _idle_limit() > now]


def sign_out_browser() -> None:
    logout_user()
    session.clear()
    g.pop("sar_user_session", None)


_MESSAGES = {
    IDLE: "You were signed out because you had not done anything for {minutes} minutes.",
    EXPIRED: "You were signed out because you signed in more than {hours} hours ago. Sign in again.",
    ENDED: "You have been signed out. Sign in again to continue.",
}


def enforce() -> Response | None:
    """``before_request``: a cookie whose session row has ended, gone idle or passed its absolute
    lifetime signs nobody in; the row is marked ended and the browser sent to sign in."""
    if request.endpoint == "static" or "_user_id" not in session:
        return None
    now = utcnow()
    user_id = session["_user_id"]
    record = _record_for_cookie()
    problem = _problem(record, user_id, now)
    if problem is None:
        assert record is not None
        if now - record.last_seen_at >= TOUCH_INTERVAL:
            record.last_seen_at = now
            db.session.flush()
        return None
    if record is not None and record.ended_at is None and problem in (IDLE, EXPIRED):
        end(record, "idle timeout" if problem == IDLE else "absolute lifetime reached", now=now)
        user = record.user
        audit.record_on(
            user,
            "signed_out_idle" if problem == IDLE else "session_expired",
            f"{user.email} signed out: "
            + ("no activity for the idle timeout" if problem == IDLE else "the session reached its absolute lifetime"),
            by=user,
        )
    sign_out_browser()
    flash(
        _MESSAGES[problem].format(
            minutes=current_app.config["IDLE_TIMEOUT_MINUTES"], hours=current_app.config["SESSION_ABSOLUTE_HOURS"]
        ),
        "info",
    )
    if request.endpoint in ("auth.sign_in", "auth.sign_out", "web.healthz"):
        return None
    return redirect(url_for("auth.sign_in"))
