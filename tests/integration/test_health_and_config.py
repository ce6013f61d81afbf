"""/healthz reports a database outage, and configuration layers and production safety checks work."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from support import base_test_config

from sar import create_app
from sar.config import ConfigurationError
from sar.extensions import db
from sar.storage import LocalEncryptedFileStore, get_store

FILE_KEY = Fernet.generate_key().decode()


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No SAR_* variables from the developer's shell, and a private instance folder."""
    for name in list(os.environ):
        if name.startswith("SAR_"):
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"
    monkeypatch.setenv("SAR_INSTANCE_PATH", str(instance))
    return instance


def app_on(request: pytest.FixtureRequest, tmp_path: Path, url: str) -> Flask:
    return create_app(base_test_config(tmp_path, url))


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2",  # nothing listens on port 1
        "sqlite:////nonexistent-directory/for/sar.sqlite",
    ],
    ids=["postgresql-down", "sqlite-unopenable"],
)
def test_healthz_answers_503_when_the_database_is_unreachable(
    request: pytest.FixtureRequest, tmp_path: Path, url: str
) -> None:
    app = app_on(request, tmp_path, url)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        db.engine.dispose()


def production(**overrides: Any) -> dict[str, Any]:
    return {
        "ENV": "production",
        "SECRET_KEY": "s" * 64,
        "FILE_ENCRYPTION_KEY": FILE_KEY,
        "AUDIT_HMAC_KEY": "a" * 64,
    } | overrides


@pytest.mark.parametrize("weak", [None, "", "short-key"])
def test_production_refuses_a_missing_or_short_secret_key(clean_environment: Path, weak: str | None) -> None:
    with pytest.raises(ConfigurationError, match="SAR_SECRET_KEY must be set to a long random value"):
        create_app(production(SECRET_KEY=weak))


def test_production_refuses_to_start_without_an_audit_key(clean_environment: Path) -> None:
    with pytest.raises(ConfigurationError, match="SAR_AUDIT_HMAC_KEY must be set"):
        create_app(production(AUDIT_HMAC_KEY=None))


def test_production_refuses_to_start_without_a_file_encryption_key(clean_environment: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"SAR_FILE_ENCRYPTION_KEY must be set \(generate one with"):
        create_app(production(FILE_ENCRYPTION_KEY=None))


def test_production_lists_every_problem_at_once(clean_environment: Path) -> None:
    with pytest.raises(ConfigurationError) as refused:
        create_app(production(SECRET_KEY="", FILE_ENCRYPTION_KEY=""))

    assert "SAR_SECRET_KEY" in str(refused.value) and "SAR_FILE_ENCRYPTION_KEY" in str(refused.value)


def test_production_with_secrets_starts_with_secure_cookies(clean_environment: Path) -> None:
    app = create_app(production())

    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{clean_environment / 'sar.sqlite'}"


def test_development_generates_its_keys_into_the_instance_folder_and_reuses_them(clean_environment: Path) -> None:
    import sar.config

    app = create_app({"ENV": "development"})

    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert not hasattr(sar.config, "DEV_SECRET_KEY")  # no public key anyone could sign a cookie with
    for name, file_name in sar.config.GENERATED_KEYS.items():
        key_file = clean_environment / file_name
        assert key_file.read_text().strip() == app.config[name]
        assert (key_file.stat().st_mode & 0o777) == 0o600, f"{file_name} must be readable by its owner only"
        assert len(app.config[name]) >= 32
    again = create_app({"ENV": "development"})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]  # reused, so sessions survive a restart


def test_two_development_instances_get_different_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = []
    for name in ("one", "two"):
        monkeypatch.setenv("SAR_INSTANCE_PATH", str(tmp_path / name))
        keys.append(create_app({"ENV": "development"}).config["SECRET_KEY"])
    assert keys[0] != keys[1]


@pytest.fixture
def instance_config(clean_environment: Path) -> Iterator[Path]:
    clean_environment.mkdir(parents=True)
    (clean_environment / "config.py").write_text(
        'ENV = "development"\n'
        'COUNCIL_NAME = "Instance Borough"\n'
        'COUNCIL_EMAIL = "dpo@instance.example"\n'
        "LOGIN_MAX_FAILURES = 7\n"
    )
    yield clean_environment


def test_instance_config_overrides_the_defaults(instance_config: Path) -> None:
    app = create_app()

    assert app.config["COUNCIL_NAME"] == "Instance Borough"
    assert app.config["LOGIN_MAX_FAILURES"] == 7
    assert app.config["MFA_ISSUER"] == "Instance Borough"  # derived defaults follow the layers


def test_environment_overrides_instance_config(instance_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAR_COUNCIL_NAME", "Environment Borough")
    monkeypatch.setenv("SAR_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("SAR_SESSION_COOKIE_HTTPONLY", "true")

    app = create_app()

    assert app.config["COUNCIL_NAME"] == "Environment Borough"
    assert app.config["LOGIN_MAX_FAILURES"] == 3  # JSON values arrive typed
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["COUNCIL_EMAIL"] == "dpo@instance.example"  # untouched by the environment


@pytest.mark.parametrize(
    "given",
    ["postgresql://sar:pw@db.internal:5432/sar", "postgres://sar:pw@db.internal:5432/sar"],
)
def test_sar_database_url_selects_postgresql_with_psycopg(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    monkeypatch.setenv("SAR_ENV", "development")
    monkeypatch.setenv("SAR_DATABASE_URL", given)

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://sar:pw@db.internal:5432/sar"
    with app.app_context():
        assert db.engine.dialect.driver == "psycopg"


def test_production_secrets_can_come_from_the_environment(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAR_SECRET_KEY", "e" * 64)
    monkeypatch.setenv("SAR_FILE_ENCRYPTION_KEY", FILE_KEY)
    monkeypatch.setenv("SAR_AUDIT_HMAC_KEY", "h" * 64)

    app = create_app()

    assert app.config["ENV"] == "production"
    assert app.config["SECRET_KEY"] == "e" * 64


def test_the_app_file_store_uses_the_configured_folder_and_key(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    app = app_on(request, tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}")

    with app.app_context():
        store = get_store()
        stored = store.put(b"letter to the requester")

    assert isinstance(store, LocalEncryptedFileStore)
    assert store.root == Path(app.config["FILE_STORE_PATH"])
    assert get_store(app) is store
    assert store.open(stored.key) == b"letter to the requester"
