"""Shared fixtures: an app on a fresh database per test, a signed-in client per role, factories.

The suite runs against SQLite always, and against PostgreSQL too when it is reachable: tests
that use ``app`` are parametrised over both databases.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient

from sar import create_app
from sar.audit import SYSTEM
from sar.auth.models import Role, Team, User
from sar.extensions import db

POSTGRES_ADMIN_URL = os.environ.get("SAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_PASSWORD = "correct horse battery staple"


def _postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


POSTGRES_AVAILABLE = _postgres_reachable()
if os.environ.get("CI") and not POSTGRES_AVAILABLE:
    raise RuntimeError("CI must run the suite against PostgreSQL too, but it is not reachable at " + POSTGRES_ADMIN_URL)

DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_AVAILABLE else [])


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at production cost makes each test user take ~50 ms; tests check behaviour, not cost.

    The sign-in tests still exercise real Argon2id hashes, only with small parameters.
    """
    from argon2 import PasswordHasher

    from sar.auth import mfa, passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    saved = passwords._hasher, mfa._code_hasher
    passwords._hasher = mfa._code_hasher = cheap
    yield
    passwords._hasher, mfa._code_hasher = saved


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A private schema per test worker, so parallel workers never see each other's rows."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(POSTGRES_ADMIN_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    # Test databases are thrown away, so waiting for each commit to reach the disk buys nothing.
    yield f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def fast_scratch_dir(tmp_path: Any) -> Any:
    """A folder in memory (tmpfs) when the machine has one: SQLite fsyncs every commit, and on
    this machine's disk that costs ~30 ms a commit, which made the suite spend minutes waiting."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="sar-test-", dir=shm))
        _SCRATCH_DIRS.append(folder)
        return folder
    return tmp_path


_SCRATCH_DIRS: list[Path] = []


@pytest.fixture(autouse=True, scope="session")
def _remove_scratch_dirs() -> Iterator[None]:
    yield
    for folder in _SCRATCH_DIRS:
        shutil.rmtree(folder, ignore_errors=True)


def base_test_config(tmp_path: Any, database_url: str) -> dict[str, Any]:
    return {
        "ENV": "testing",
        "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "FILE_ENCRYPTION_KEY": "kWs3xXt0pQdJ3Qdm5YgM2t1xM6m0R2rD7w7m9yWkq0s=",
        "FILE_STORE_PATH": str(tmp_path / "files"),
        "AUDIT_CHECKPOINT_PATH": str(tmp_path / "audit-checkpoints.log"),
        "WTF_CSRF_ENABLED": False,
        "COUNCIL_NAME": "Test Borough Council",
        "MAIL_HOST": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens here unless a test starts a real SMTP server
    }


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty ``g``, as it does in production.

    The ``app`` fixture keeps one app context pushed for the whole test, and Flask reuses it for
    every test-client request, so without this ``g`` (where Flask-Login caches the signed-in user)
    would carry the first request's user into every later request, from any client.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture(params=DATABASES)
def app(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Flask]:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_schema_url")
    else:
        url = f"sqlite:///{fast_scratch_dir(tmp_path) / 'test.sqlite'}"
    application = create_app(base_test_config(tmp_path, url))
    application.test_client_class = FreshRequestClient
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_team(app: Flask) -> Callable[..., Team]:
    def make(name: str = "Children's Social Care", **fields: Any) -> Team:
        team = Team(name=name, **fields)
        db.session.add(team)
        db.session.flush()
        return team

    return make


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    from sar.auth import service

    def make(*roles: Role, email: str | None = None, team: Team | None = None, **fields: Any) -> User:
        user = service.create_user(
            email=email or f"{uuid.uuid4().hex[:8]}@council.example",
            full_name=fields.pop("full_name", "Test Officer"),
            password=TEST_PASSWORD,
            roles=roles or (Role.IG_OFFICER,),
            team=team,
            by=SYSTEM,
            **fields,
        )
        db.session.commit()
        return user

    return make


def sign_in_as(client: FlaskClient, user: User) -> FlaskClient:
    """Start a session for ``user`` as if they had passed password and MFA (sign-in itself is tested on its own)."""
    from flask_login.utils import _create_identifier

    from sar.auth import sessions

    # Flask-Login's "strong" session protection binds the session to the browser's address and
    # user agent; compute that binding exactly as the test client will present it.
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
        # The server-side session row every request checks, as a completed sign-in creates it.
        token = sessions.create(user, method="test")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["_id"] = identifier
        session[sessions.TOKEN_KEY] = token
    return client


@pytest.fixture
def client_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """``client_as(Role.DPO)`` gives a test client signed in as a new user holding that role."""

    def make(*roles: Role, user: User | None = None) -> FlaskClient:
        chosen = user or make_user(*roles)
        return sign_in_as(app.test_client(), chosen)

    return make
