"""Argon2id password hashing and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 low-memory parameters

MIN_LENGTH = 12
MAX_LENGTH = 256  # Argon2 would accept more, but a megabyte "password" is a denial-of-service attempt


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Spent so that a sign-in for an unknown email takes as long as one for a real account.
DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why this password is not acceptable, in words for the person choosing it, or None."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    local_part = email.split("@")[0].lower() if email else ""
    # Very short local parts ("a@", "jo@") would forbid ordinary words; only check meaningful ones.
    if len(local_part) >= 3 and local_part in password.lower():
        return "Password must not contain your email address"
    if len(set(password)) < 5:
        return "Password must not repeat the same few characters"
    return None
