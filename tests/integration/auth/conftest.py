"""Fixtures for the sign-in and administration tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import enrolment_step, manual_key, recovery_codes, totp_code
from support import base_test_config

from sar.auth.models import Role, User


@pytest.fixture
def make_user(make_user: Callable[..., User]) -> Callable[..., User]:
    """In the sign-in tests an account has its authenticator set up unless ``mfa=False``: since the
    password alone no longer enrols, most of these tests start from a set-up account."""
    import pyotp

    from sar.auth import secrets
    from sar.db import utcnow
    from sar.extensions import db

    def make(*roles: Role, mfa: bool = True, **fields: Any) -> User:
        user = make_user(*roles, **fields)
        if mfa:
            user.mfa_secret_encrypted = secrets.encrypt(pyotp.random_base32())
            user.mfa_enrolled_at = utcnow()
            db.session.commit()
        return user

    return make


@pytest.fixture
def enrolled(app, make_user) -> Callable[..., tuple[User, str, list[str]]]:
    """A user who has signed in once and set up MFA; returns (user, secret, recovery codes)."""

    def make(*roles: Role) -> tuple[User, str, list[str]]:
        user = make_user(*(roles or (Role.IG_OFFICER,)), mfa=False)
        client = app.test_client()
        enrolment_step(client, user)
        page = client.get("/sign-in/set-up-authenticator")
        secret = manual_key(page)
        done = client.post("/sign-in/set-up-authenticator", data={"code": totp_code(secret)})
        assert done.status_code == 200, done.get_data(as_text=True)
        codes = recovery_codes(done)
        assert len(codes) == 10
        return user, secret, codes

    return make


@pytest.fixture
def make_config(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., dict[str, Any]]:
    """The suite's test configuration on a private SQLite file, for tests that build their own app."""

    def make(**overrides: Any) -> dict[str, Any]:
        config: dict[str, Any] = base_test_config(tmp_path, f"sqlite:///{tmp_path / 'own.sqlite'}")
        config.update(overrides)
        return config

    return make
