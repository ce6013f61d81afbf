"""Configuration in three layers: these defaults, ``instance/config.py``, then ``SAR_*`` environment variables.

Defaults are safe in production: secure cookies, short sessions, MFA on. Anything that must be
secret has no usable default, and :func:`check_production_config` refuses to start without it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

# Development and demo keys are generated on first run into the instance folder (readable by the
# owner only) and reused, so a cookie signed by one run still works after a restart. There is no
# built-in key: a published constant would let anyone who can reach the port forge a session.
GENERATED_KEYS = {
    "SECRET_KEY": "secret_key",
    "AUDIT_HMAC_KEY": "audit_hmac_key",
    "FILE_ENCRYPTION_KEY": "file_encryption_key",
}
MIN_SECRET_LENGTH = 32

# Every value here may be overridden by instance/config.py or by SAR_<NAME> in the environment.
DEFAULTS: dict[str, Any] = {
    "ENV": "production",  # production | development | testing
    "SECRET_KEY": None,  # production: set SAR_SECRET_KEY; development: generated into instance/
    "SQLALCHEMY_DATABASE_URI": None,  # set from SAR_DATABASE_URL, else SQLite in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "FILE_ENCRYPTION_KEY": None,  # Fernet key for the document store
    # Key of the HMAC that seals every audit event and checkpoint; kept outside the database, so
    # someone who can write to the database still cannot rewrite the audit trail unnoticed.
    "AUDIT_HMAC_KEY": None,
    # Signed checkpoints of the audit chain's head are appended here (default <instance>/audit-checkpoints.log);
    # put it where the database owner cannot rewrite it (another host's mount, a WORM bucket sync).
    "AUDIT_CHECKPOINT_PATH": None,
    "AUDIT_CHECKPOINT_EMAIL_DPO": False,  # also email each checkpoint to every active DPO
    "AUDIT_CHECKPOINT_MINUTES": 15,  # a running service appends a checkpoint this often (0: only from cron)
    "FILE_STORE_PATH": None,  # default: <instance>/files
    "MAX_STORED_FILE_BYTES": 100 * 1024 * 1024,  # the file store refuses anything larger (sar.storage)
    # Background jobs (sar.jobs): retry backoff doubles from the base up to the cap; a job still
    # "running" after the lease is assumed to have lost its worker and is queued again.
    "JOB_RETRY_BASE_SECONDS": 30,
    "JOB_RETRY_MAX_SECONDS": 3600,
    "JOB_LEASE_SECONDS": 15 * 60,
    "REDIS_URL": None,  # when set, background jobs and the sign-in rate limiter use Redis
    "COUNCIL_NAME": "Example Council",
    "COUNCIL_SERVICE_NAME": "Subject access requests",
    "COUNCIL_ADDRESS": "Town Hall, Bridge Street, Exampletown, EX1 1AA",
    "COUNCIL_EMAIL": "dataprotection@example.gov.uk",
    "COUNCIL_PHONE": "",  # printed on letters' letterhead when set
    "COUNCIL_LETTER_TEAM": "Information Governance",  # who signs letters, under the officer's name
    "BANK_HOLIDAY_REGION": "england-and-wales",
    "INTERNAL_TARGET_DAYS": 28,
    "CASE_REFERENCE_PREFIX": "SAR",
    # Gathering (sar.sources): search tasks are due this many working days before the internal target; the
    # chase ladder reminds this many working days before a task is due, chases every so many working days once it
    # is overdue and escalates to the team's manager after so many chases.
    "TASK_DUE_WORKING_DAYS_BEFORE_TARGET": 5,
    "TASK_REMINDER_WORKING_DAYS": 2,
    "TASK_CHASE_EVERY_WORKING_DAYS": 4,
    "TASK_ESCALATE_AFTER_CHASES": 2,
    "UPLOAD_LINK_DAYS": 14,  # how long a provider's upload link lasts
    "UPLOAD_LINK_RATE_LIMIT": 10,  # failed uses of upload links per address per window
    "UPLOAD_LINK_RATE_WINDOW_SECONDS": 900,
    # Secure delivery (sar.bundle.delivery): the requester's download link lasts this many days, allows this many
    # downloads (a phone and a computer, a retry after a dropped connection), and failed uses of the public page
    # are limited per address like sign-in.
    "DELIVERY_LINK_DAYS": 28,
    "DELIVERY_MAX_DOWNLOADS": 5,
    "DELIVERY_RATE_LIMIT": 10,
    "DELIVERY_RATE_WINDOW_SECONDS": 900,
    "EVIDENCE_FILE_RETENTION_DAYS": 30,  # identity and authority files are deleted this long after the case closes
    # Sign-in protection
    # Consecutive failures allowed before the account is slowed down; each failure after that makes
    # the next attempt wait twice as long (from LOGIN_DELAY_BASE_SECONDS up to LOGIN_DELAY_MAX_SECONDS).
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_DELAY_BASE_SECONDS": 60,
    "LOGIN_DELAY_MAX_SECONDS": 3600,
    "LOGIN_RATE_LIMIT": 10,  # attempts per address per window
    "LOGIN_RATE_WINDOW_SECONDS": 300,
    "MFA_ISSUER": None,  # default: the council name
    "IDLE_TIMEOUT_MINUTES": 30,
    "SESSION_ABSOLUTE_HOURS": 12,  # a sign-in lasts at most this long, however busy the session
    "ENROLMENT_LINK_HOURS": 72,  # how long a one-time authenticator set-up link works
    # Links in email: the address staff use to reach the service (default: the address of the request).
    "PUBLIC_URL": None,
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    "PROXY_COUNT": 0,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "sar_session",
    "REMEMBER_COOKIE_SECURE": True,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session, so slow forms still submit
    "MAX_CONTENT_LENGTH": 100 * 1024 * 1024,
    # Mail
    "MAIL_HOST": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "sar-noreply@example.gov.uk",
    "MAIL_TIMEOUT_SECONDS": 10,
    "TEAMS": None,  # None: the seed Children's Services structure (sar.auth.teams)
}

ENV_PREFIX = "SAR_"


class ConfigurationError(RuntimeError):
    """The application was asked to start with a configuration that is unsafe or incomplete."""


def parse_env_value(raw: str) -> Any:
    """Environment variables are strings; accept JSON so numbers, booleans and lists work too."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def environment_overrides(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for key, raw in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :]
        if name == "DATABASE_URL":
            overrides["SQLALCHEMY_DATABASE_URI"] = raw
        else:
            overrides[name] = parse_env_value(raw)
    return overrides


def normalise_database_url(url: str) -> str:
    """Accept the usual ``postgresql://`` form and use the psycopg 3 driver that is installed."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def finalise(config: dict[str, Any], instance_path: Path) -> None:
    """Fill the defaults that depend on the instance folder."""
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'sar.sqlite'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if not config.get("FILE_STORE_PATH"):
        config["FILE_STORE_PATH"] = str(instance_path / "files")
    if not config.get("MFA_ISSUER"):
        config["MFA_ISSUER"] = config["COUNCIL_NAME"]
    if not config.get("AUDIT_CHECKPOINT_PATH"):
        if config["ENV"] == "testing":
            # Each test app has its own database, so it must not share checkpoints with another.
            config["AUDIT_CHECKPOINT_PATH"] = str(Path(tempfile.gettempdir()) / f"sar-test-{secrets.token_hex(8)}.log")
        else:
            config["AUDIT_CHECKPOINT_PATH"] = str(instance_path / "audit-checkpoints.log")
    if config["ENV"] in ("development", "testing"):
        # Development runs on http://localhost, where a Secure cookie would never come back.
        config["SESSION_COOKIE_SECURE"] = False
        config["REMEMBER_COOKIE_SECURE"] = False
        for name, file_name in GENERATED_KEYS.items():
            if config.get(name):
                continue
            fernet = name == "FILE_ENCRYPTION_KEY"
            if config["ENV"] == "testing":
                config[name] = _random_key(fernet=fernet)  # a test app is thrown away: nothing to reuse
            else:
                config[name] = instance_key(instance_path / file_name, fernet=fernet)


def _random_key(*, fernet: bool) -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() if fernet else secrets.token_urlsafe(48)


def instance_key(path: Path, *, fernet: bool = False) -> str:
    """The key stored in ``path``, created (random, mode 0600) on first use."""
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    key = _random_key(fernet=fernet)
    # O_EXCL: two processes starting at once (gunicorn workers) must not each write a different key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip() or instance_key(path, fernet=fernet)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return key


def check_production_config(config: dict[str, Any]) -> None:
    if config["ENV"] in ("development", "testing"):
        return
    problems = []
    if len(str(config.get("SECRET_KEY") or "")) < MIN_SECRET_LENGTH:
        problems.append(f"SAR_SECRET_KEY must be set to a long random value (at least {MIN_SECRET_LENGTH} characters)")
    if not config.get("FILE_ENCRYPTION_KEY"):
        problems.append("SAR_FILE_ENCRYPTION_KEY must be set (generate one with `flask --app sar generate-key`)")
    if len(str(config.get("AUDIT_HMAC_KEY") or "")) < MIN_SECRET_LENGTH:
        problems.append(
            "SAR_AUDIT_HMAC_KEY must be set to a long random value kept outside the database "
            "(generate one with `flask --app sar generate-key`)"
        )
    if problems:
        raise ConfigurationError("Refusing to start in production: " + "; ".join(problems))
