"""Shared fixtures: an app on a fresh database per test, a signed-in client per role, factories.

The suite runs against SQLite always, and against PostgreSQL too when it is reachable: tests
that use ``app`` are parametrised over both databases.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from support import (
    DATABASES,
    POSTGRES_ADMIN_URL,
    SCRATCH_DIRS,
    TEST_PASSWORD,
    app_with_tables,
    base_test_config,
    fast_scratch_dir,
    sign_in_as,
)

from sar.audit import SYSTEM
from sar.auth.models import Role, Team, User
from sar.extensions import db


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


@pytest.fixture(autouse=True, scope="session")
def _remove_scratch_dirs() -> Iterator[None]:
    yield
    for folder in SCRATCH_DIRS:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=DATABASES)
def app(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Flask]:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_schema_url")
    else:
        url = f"sqlite:///{fast_scratch_dir(tmp_path) / 'test.sqlite'}"
    with app_with_tables(base_test_config(tmp_path, url)) as application:
        yield application


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


@pytest.fixture
def client_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """``client_as(Role.DPO)`` gives a test client signed in as a new user holding that role."""

    def make(*roles: Role, user: User | None = None) -> FlaskClient:
        chosen = user or make_user(*roles)
        return sign_in_as(app.test_client(), chosen)

    return make
