"""Encryption at rest for small secrets (the TOTP seed), keyed from ``SECRET_KEY``.

The Fernet key is derived from ``SECRET_KEY`` with HKDF-SHA256, so no second key has to be
managed. The consequence: **rotating SECRET_KEY makes every stored TOTP secret unreadable**, so
every member of staff must enrol their authenticator again: until an administrator resets their
MFA (Users → the person → Reset authenticator app) they can sign in only with a recovery code,
and at their next sign-in after the reset they set up the app again. An unreadable secret never
crashes the sign-in page, and never lets someone who knows only the password enrol a new app.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

# Distinct "info" strings keep keys derived for different purposes independent of each other.
_INFO = b"sar.auth.secrets/totp/v1"
_SALT = b"sar-subject-access-requests"


class SecretUnreadable(ValueError):
    """The stored secret was encrypted under a different SECRET_KEY or has been altered."""


def _fernet(secret_key: str | bytes | None = None) -> Fernet:
    raw = secret_key if secret_key is not None else current_app.config["SECRET_KEY"]
    material = raw.encode("utf-8") if isinstance(raw, str) else raw
    key = HKDF(algorithm=SHA256(), length=32, salt=_SALT, info=_INFO).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str, *, secret_key: str | bytes | None = None) -> str:
    return _fernet(secret_key).encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str, *, secret_key: str | bytes | None = None) -> str:
    try:
        return _fernet(secret_key).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as error:
        raise SecretUnreadable("the secret cannot be decrypted with the current SECRET_KEY") from error
