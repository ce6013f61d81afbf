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

from sar import audit, mail
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
    LOCKED = "locked"  # only after the password is proved: the MFA step and change password


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
    """The account is inside a sign-in delay (see :func:`register_failure`)."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def _wait_text(user: User, now: datetime | None = None) -> str:
    assert user.locked_until is not None
    seconds = max(1, math.ceil((user.locked_until - (now or utcnow())).total_seconds()))
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def lock_message(user: User, now: datetime | None = None) -> str:
    """Shown only to someone who has already proved the password (the MFA step, change password):
    before that, a delayed account gets the same answer as an unknown email."""
    return (
        "There have been too many wrong attempts for this account. "
        f"Try again in {_wait_text(user, now)}, or ask an administrator to unlock it."
    )


def delay_after(failures: int) -> timedelta | None:
    """How long the account must wait after ``failures`` consecutive failures.

    The first LOGIN_MAX_FAILURES are free (typing slips); each one after that doubles the wait,
    from LOGIN_DELAY_BASE_SECONDS up to LOGIN_DELAY_MAX_SECONDS. Attempts made during a wait are
    refused without being counted, so an attacker cannot make the wait grow faster than it runs.
    """
    config = current_app.config
    over = failures - int(config["LOGIN_MAX_FAILURES"])
    if over < 0:
        return None
    seconds = min(
        float(config["LOGIN_DELAY_BASE_SECONDS"]) * 2 ** min(over, 32), float(config["LOGIN_DELAY_MAX_SECONDS"])
    )
    return timedelta(seconds=seconds)


def register_failure(
    user: User, *, ip_address: str, reason: str, now: datetime | None = None, action: str = "sign_in_failed"
) -> bool:
    """Count one more consecutive failure (password or MFA code) and start the next delay once past
    the free attempts. True if the account must now wait."""
    now = now or utcnow()
    user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
    audit.record_on(
        user,
        action,
        f"Failed {'sign-in' if action == 'sign_in_failed' else 'password check'} for {user.email} ({reason})",
        after={"reason": reason, "consecutive_failures": user.failed_sign_ins},
        by=user,
    )
    delay = delay_after(user.failed_sign_ins)
    if delay is None:
        db.session.flush()
        return False
    user.locked_until = now + delay
    audit.record_on(
        user,
        "sign_in_delayed",
        f"Sign-in for {user.email} delayed {int(delay.total_seconds())} seconds "
        f"after {user.failed_sign_ins} failed attempts in a row",
        after={"locked_until": user.locked_until, "consecutive_failures": user.failed_sign_ins},
        by=user,
    )
    _warn_account_holder(user, now)
    db.session.flush()
    return True


def _warn_account_holder(user: User, now: datetime) -> None:
    """Tell the person by email that someone is failing to sign in as them (at most once an hour)."""
    council = current_app.config["COUNCIL_NAME"]
    queued = mail.queue(
        user.email,
        f"{council}: failed attempts to sign in to your account",
        f"Dear {user.full_name},\n\n"
        f"There have been {user.failed_sign_ins} failed attempts in a row to sign in to your account "
        f"({user.email}) on the {current_app.config['COUNCIL_SERVICE_NAME']} service, the latest at "
        f"{now:%H:%M} UTC on {now:%-d %B %Y}. Each further failure makes the next attempt wait longer.\n\n"
        "If this was you, wait a few minutes and try again. If it was not you, someone may be trying to guess "
        "your password: tell your information governance team or an administrator, and change your password "
        "once you are signed in.\n",
        dedup_key=f"sign-in-attack:{user.id}:{now:%Y-%m-%dT%H}",
        kind="sign_in_attack",
    )
    if queued is not None:
        mail.send_soon()


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
        # The same answer as an unknown email or a wrong password, so that the form never tells
        # anyone whether an account exists; the holder learns of the attack by email instead.
        _record_attempt(ip_address, email, False)
        audit.record_on(
            user,
            "sign_in_refused_delayed",
            f"Sign-in refused for {user.email}: inside the delay after failed attempts",
            after={"locked_until": user.locked_until},
            by=user,
        )
        return PasswordCheck(Outcome.INVALID, user=user, message=GENERIC_ERROR)

    if not password_ok or not user.active:
        _record_attempt(ip_address, email, False)
        reason = "wrong password" if not password_ok else "account deactivated"
        # A deactivated account gets the same generic answer: the form must not confirm it exists.
        register_failure(user, ip_address=ip_address, reason=reason, now=now)
        return PasswordCheck(Outcome.INVALID, user=user, message=GENERIC_ERROR)

    _record_attempt(ip_address, email, True)
    if needs_rehash(user.password_hash):
        # Hashing parameters were raised since this password was set: upgrade while we have it.
        user.password_hash = hash_password(password)
    audit.record_on(user, "sign_in_password_passed", f"{user.email} entered a correct password; MFA next", by=user)
    db.session.flush()
    return PasswordCheck(Outcome.PASSED, user=user)


def mfa_failed(user: User, *, ip_address: str, now: datetime | None = None) -> PasswordCheck:
    """A wrong TOTP or recovery code counts towards the rate limit and the lockout like a wrong password."""
    _record_attempt(ip_address, user.email, False)
    if register_failure(user, ip_address=ip_address, reason="wrong MFA code", now=now):
        return PasswordCheck(Outcome.LOCKED, user=user, message=lock_message(user, now))
    return PasswordCheck(Outcome.INVALID, user=user)


def password_change_failed(user: User, *, ip_address: str, now: datetime | None = None) -> bool:
    """A wrong current password on the change-password form: whoever holds a signed-in browser
    must not get unlimited guesses at the password, so it counts like a failed sign-in."""
    _record_attempt(ip_address, user.email, False)
    return register_failure(
        user,
        ip_address=ip_address,
        reason="wrong current password when changing password",
        now=now,
        action="password_change_failed",
    )


def completed(user: User, *, method: str, now: datetime | None = None) -> None:
    """Both factors passed: reset the failure count and audit the sign-in."""
    now = now or utcnow()
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    # Pruned here, on the indexed timestamp, so the table cannot grow without bound.
    db.session.execute(delete(SignInAttempt).where(SignInAttempt.at < now - ATTEMPT_RETENTION))
    db.session.flush()
    audit.record_on(user, "signed_in", f"{user.email} signed in ({method})", after={"mfa_method": method}, by=user)
