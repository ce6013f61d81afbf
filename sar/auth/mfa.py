"""TOTP multi-factor authentication: enrolment, verification with replay protection, recovery codes."""

from __future__ import annotations

import hmac
import re
import secrets as random_source
from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete

from sar import audit
from sar.auth import secrets
from sar.auth.models import RecoveryCode, User
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: the codes are read off paper and typed in by hand.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10  # 31**10 is about 2**50: far beyond guessing under the sign-in rate limit

# Recovery codes are long random strings, not human-chosen passwords, so they do not need the
# password hasher's memory-hard cost; still Argon2id, at OWASP's minimum, so checking up to ten
# hashes at sign-in stays quick.
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

_TOTP_CODE = re.compile(r"^\d{6}$")


class MfaError(DomainError):
    """An MFA step that cannot go ahead, with a message for the person signing in."""


# --- the secret ----------------------------------------------------------------------------------


def _secret(user: User) -> str | None:
    if user.mfa_secret_encrypted is None:
        return None
    try:
        return secrets.decrypt(user.mfa_secret_encrypted)
    except secrets.SecretUnreadable:
        # SECRET_KEY was rotated: the old seed is useless (see is_enrolled for what happens next).
        return None


def is_enrolled(user: User) -> bool:
    """Enrolment was confirmed. Stays true even if the secret became unreadable (SECRET_KEY rotated):
    letting someone who knows only the password set up a new authenticator would defeat MFA, so
    after a rotation the user signs in with a recovery code or an administrator resets their MFA.
    """
    return user.mfa_enrolled


def secret_unreadable(user: User) -> bool:
    return user.mfa_enrolled and _secret(user) is None


def start_enrolment(user: User) -> str:
    """The secret to show on the enrolment page; created (and stored encrypted) on the first visit.

    Keeping the unconfirmed secret on the account, not in the cookie session, means it never
    leaves the server in readable form; reloading the page shows the same QR code.
    """
    if is_enrolled(user):
        raise MfaError("Your authenticator app is already set up", "code")
    secret = _secret(user)
    if secret is None:
        secret = pyotp.random_base32()
        user.mfa_secret_encrypted = secrets.encrypt(secret)
        user.mfa_enrolled_at = None
        user.mfa_last_timestep = None
        db.session.flush()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["MFA_ISSUER"])


def qr_code_svg(data: str) -> Markup:
    """An inline SVG of the QR code: no script, no style attribute, nothing fetched from elsewhere."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'width="[^"]*" height="[^"]*"', 'width="220" height="220"', svg, count=1)
    svg = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for setting up your authenticator app" focusable="false" ', 1
    )
    # A white quiet zone drawn into the image itself, so the code still scans in dark or
    # high-contrast modes (presentation attributes only: the CSP forbids style attributes).
    svg = re.sub(r"(<svg[^>]*>)", r'\1<rect width="100%" height="100%" fill="#ffffff"/>', svg, count=1)
    return Markup(svg)  # built here from qrcode's own output, never from user input


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing into an app that cannot scan."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _check_totp(user: User, code: str, at: datetime | None = None) -> bool:
    """Accept the code for the current 30-second step or one either side (clock drift), once only."""
    secret = _secret(user)
    code = re.sub(r"\s", "", code)
    if secret is None or not _TOTP_CODE.match(code):
        return False
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(at or utcnow())
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            # Replay: a code (or an earlier one) already used cannot be used again.
            if user.mfa_last_timestep is not None and step <= user.mfa_last_timestep:
                return False
            user.mfa_last_timestep = step
            return True
    return False


def confirm_enrolment(user: User, code: str, at: datetime | None = None) -> list[str]:
    """Finish enrolment with a code from the app; returns the recovery codes to show once."""
    if is_enrolled(user):
        raise MfaError("Your authenticator app is already set up", "code")
    if _secret(user) is None:
        raise MfaError("Start setting up your authenticator app again", "code")
    if not _check_totp(user, code, at):
        raise MfaError("Enter the 6-digit code shown in your authenticator app", "code")
    user.mfa_enrolled_at = utcnow()
    codes = _replace_recovery_codes(user)
    db.session.flush()
    summary = f"Authenticator app set up for {user.email}"
    audit.record_on(user, "mfa_enrolled", summary, after={"mfa_enrolled": True, "recovery_codes": len(codes)}, by=user)
    return codes


def verify_totp(user: User, code: str, at: datetime | None = None) -> bool:
    if not is_enrolled(user):
        return False
    ok = _check_totp(user, code, at)
    if ok:
        db.session.flush()
    return ok


# --- recovery codes -----------------------------------------------------------------------------


def _new_recovery_code() -> str:
    raw = "".join(random_source.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.expire(user, ["recovery_codes"])
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hasher.hash(normalise_recovery_code(code))))
    return codes


def unused_recovery_codes(user: User) -> list[RecoveryCode]:
    return [row for row in user.recovery_codes if row.used_at is None]


def use_recovery_code(user: User, code: str) -> int | None:
    """Consume a matching recovery code; returns how many remain, or None if it did not match."""
    wanted = normalise_recovery_code(code)
    if len(wanted) != _RECOVERY_LENGTH or not is_enrolled(user):
        return None
    unused = unused_recovery_codes(user)
    for row in unused:
        matched: bool
        try:
            matched = _code_hasher.verify(row.code_hash, wanted)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            matched = False
        if matched:
            row.used_at = utcnow()
            remaining = len(unused) - 1
            db.session.flush()
            audit.record_on(
                user,
                "mfa_recovery_code_used",
                f"{user.email} signed in with a recovery code; {remaining} left",
                after={"recovery_codes_remaining": remaining},
                by=user,
            )
            return remaining
    return None


def reset(user: User) -> None:
    """Forget the authenticator and recovery codes: the user enrols again at their next sign-in."""
    user.mfa_secret_encrypted = None
    user.mfa_enrolled_at = None
    user.mfa_last_timestep = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.expire(user, ["recovery_codes"])
    db.session.flush()
