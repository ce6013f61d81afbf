"""Checking a password at sign-in: rate limit per address, lockout per account, audit of every attempt.

Passing the password does not sign anyone in: it only makes the account "pending MFA"
(:mod:`sar.auth.pending`). Failures here must be *committed* even though the request shows an
error, so views render them with status 200 (``sar.web`` rolls back any 4xx response).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import delete, func, select

from sar import audit
from sar.audit import SystemActor
from sar.auth.models import SignInAttempt, User
from sar.auth.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from sar.auth.service import find_user_by_email, normalise_email
from sar.db import utcnow
from sar.extensions import db

GENERIC_ERROR = "Enter a correct email address and password"
# Attempts are needed only for the rate-limit window; keep a month for investigating an attack
# (the audit trail keeps every sign-in event for good).
ATTEMPT_RETENTION = timedelta(days=30)


class Outcome(StrEnum):
    PASSED = "passed"
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass(frozen=True)
class PasswordCheck:
    outcome: Outcome
    user: User | None = None
    message: str | None = None


def _label(email: str) -> str:
    return email[:200]


def too_many_attempts(ip_address: str, now: datetime | None = None) -> bool:
    """True once this address has made LOGIN_RATE_LIMIT failed attempts in the current window.

    Only failures count: a whole council often reaches us through one outgoing address, and a
    morning of colleagues signing in correctly must not lock the office out.
    """
    now = now or utcnow()
    window_start = now - timedelta(seconds=current_app.config["LOGIN_RATE_WINDOW_SECONDS"])
    count = db.session.scalar(
        select(func.count())
        .select_from(SignInAttempt)
        .where(
            SignInAttempt.ip_address == ip_address,
            SignInAttempt.at >= window_start,
            SignInAttempt.succeeded.is_(False),
        )
    )
    return (count or 0) >= current_app.config["LOGIN_RATE_LIMIT"]


def _record_attempt(ip_address: str, email: str, succeeded: bool) -> None:
    db.session.add(SignInAttempt(ip_address=ip_address[:64], email=email[:254], succeeded=succeeded))


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def lock_message(user: User, now: datetime | None = None) -> str:
    assert user.locked_until is not None
    minutes = max(1, math.ceil((user.locked_until - (now or utcnow())).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        "Your account is locked because of too many failed sign-in attempts. "
        f"Try again in {minutes} {unit}, or ask an administrator to unlock it."
    )


def register_failure(user: User, *, ip_address: str, reason: str, now: datetime | None = None) -> bool:
    """Count one more consecutive failure (password or MFA code); lock at the limit. True if now locked."""
    now = now or utcnow()
    if user.locked_until is not None and not is_locked(user, now):
        # The lock has run out: start counting afresh rather than re-locking on the next slip.
        user.failed_sign_ins = 0
        user.locked_until = None
    user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
    audit.record(
        "sign_in_failed",
        object_type="user",
        object_id=user.id,
        summary=f"Failed sign-in for {user.email} ({reason})",
        after={"reason": reason, "consecutive_failures": user.failed_sign_ins},
        by=user,
    )
    if user.failed_sign_ins >= current_app.config["LOGIN_MAX_FAILURES"] and not is_locked(user, now):
        user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        audit.record(
            "account_locked",
            object_type="user",
            object_id=user.id,
            summary=f"{user.email} locked after {user.failed_sign_ins} failed sign-in attempts",
            after={"locked_until": user.locked_until, "consecutive_failures": user.failed_sign_ins},
            by=user,
        )
        db.session.flush()
        return True
    db.session.flush()
    return False


def check_password(email: str, password: str, *, ip_address: str, now: datetime | None = None) -> PasswordCheck:
    """The first factor. Always spends one Argon2 verification, whether or not the account exists."""
    now = now or utcnow()
    email = normalise_email(email)
    user = find_user_by_email(email)
    # Verify against a dummy hash for unknown emails so the response time does not reveal which
    # email addresses have accounts.
    password_ok = verify_password(user.password_hash if user else DUMMY_HASH, password)

    if user is None:
        _record_attempt(ip_address, email, False)
        audit.record(
            "sign_in_failed",
            object_type="user",
            summary=f"Failed sign-in for unknown email {_label(email)}",
            after={"reason": "unknown email"},
            by=SystemActor(_label(email)),
        )
        return PasswordCheck(Outcome.INVALID, message=GENERIC_ERROR)

    if is_locked(user, now):
        _record_attempt(ip_address, email, False)
        audit.record(
            "sign_in_refused_locked",
            object_type="user",
            object_id=user.id,
            summary=f"Sign-in refused for {user.email}: account locked",
            by=user,
        )
        return PasswordCheck(Outcome.LOCKED, user=user, message=lock_message(user, now))

    if not password_ok or not user.active:
        _record_attempt(ip_address, email, False)
        reason = "wrong password" if not password_ok else "account deactivated"
        # A deactivated account gets the same generic answer: the form must not confirm it exists.
        if register_failure(user, ip_address=ip_address, reason=reason, now=now):
            return PasswordCheck(Outcome.LOCKED, user=user, message=lock_message(user, now))
        return PasswordCheck(Outcome.INVALID, user=user, message=GENERIC_ERROR)

    _record_attempt(ip_address, email, True)
    if needs_rehash(user.password_hash):
        # Hashing parameters were raised since this password was set: upgrade while we have it.
        user.password_hash = hash_password(password)
    audit.record(
        "sign_in_password_passed",
        object_type="user",
        object_id=user.id,
        summary=f"{user.email} entered a correct password; MFA next",
        by=user,
    )
    db.session.flush()
    return PasswordCheck(Outcome.PASSED, user=user)


def mfa_failed(user: User, *, ip_address: str, now: datetime | None = None) -> PasswordCheck:
    """A wrong TOTP or recovery code counts towards the rate limit and the lockout like a wrong password."""
    _record_attempt(ip_address, user.email, False)
    if register_failure(user, ip_address=ip_address, reason="wrong MFA code", now=now):
        return PasswordCheck(Outcome.LOCKED, user=user, message=lock_message(user, now))
    return PasswordCheck(Outcome.INVALID, user=user)


def completed(user: User, *, method: str, now: datetime | None = None) -> None:
    """Both factors passed: reset the failure count and audit the sign-in."""
    now = now or utcnow()
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    # Pruned here, on the indexed timestamp, so the table cannot grow without bound.
    db.session.execute(delete(SignInAttempt).where(SignInAttempt.at < now - ATTEMPT_RETENTION))
    db.session.flush()
    audit.record(
        "signed_in",
        object_type="user",
        object_id=user.id,
        summary=f"{user.email} signed in ({method})",
        after={"mfa_method": method},
        by=user,
    )
