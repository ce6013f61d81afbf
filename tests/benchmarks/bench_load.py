"""Load test: concurrent signed-in officers against the real server (gunicorn, several workers), on
SQLite and on PostgreSQL, over loopback.

    .venv/bin/python tests/benchmarks/bench_load.py [--db sqlite|postgresql|both] [--clients 20] [--seconds 60]
                                                   [--workers 4]

For each database: a fresh instance folder (and a throwaway PostgreSQL schema), migrations applied and
the demo council loaded, then one IG officer account per client with a known authenticator secret.
The server is started with ``scripts/serve.sh`` (what ``make serve`` runs). Each client signs in
through the real pages (password, then a TOTP code, with CSRF tokens) and then, until the time is
up, opens pages an officer opens all day: home, the case list and a search, case pages and clock
pages (every one an audited read, so every request appends to the audit chain), and the deadlines
dashboard. Afterwards ``flask verify-audit`` must find the chain intact.

An error is any 5xx, a refused or dropped connection, or a signed-in client being sent back to the
sign-in page. Results go to stdout as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench_common import database_benchmark_arguments  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("SAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "load test passphrase 2026"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """Just enough of a browser: cookies, no automatic redirects, a fresh connection per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"User-Agent": "sar-load-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()

    def csrf(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        match = _CSRF.search(text)
        if status != 200 or not match:
            raise RuntimeError(f"no form at {path} ({status})")
        return match.group(1) or match.group(2)


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def sign_in(browser: Browser, email: str, secret: str) -> None:
    import pyotp

    status, location, _ = browser.request(
        "POST", "/sign-in", {"csrf_token": browser.csrf("/sign-in"), "email": email, "password": PASSWORD}
    )
    if status != 302 or "security-code" not in location:
        raise RuntimeError(f"password step for {email} answered {status} {location}")
    token = browser.csrf("/sign-in/security-code")
    status, location, _ = browser.request(
        "POST", "/sign-in/security-code", {"csrf_token": token, "code": pyotp.TOTP(secret).now()}
    )
    if status != 302 or "/sign-in" in location:
        raise RuntimeError(f"code step for {email} answered {status} {location}")


def client_loop(port: int, email: str, secret: str, case_ids: list[int], until: float, results: Results) -> None:
    rng = random.Random(email)
    browser = Browser(port)
    try:
        sign_in(browser, email, secret)
    except Exception as error:  # counted, not raised: the run goes on for the other clients
        with results.lock:
            results.errors.append(f"sign-in {email}: {error}")
        return
    while time.monotonic() < until:
        case_id = rng.choice(case_ids)
        path = rng.choice(
            [
                "/",
                "/cases",
                "/cases?q=smith",
                f"/cases/{case_id}",
                f"/cases/{case_id}",
                f"/cases/{case_id}/clock",
                "/deadlines",
            ]
        )
        started = time.perf_counter()
        try:
            status, location, _ = browser.request("GET", path)
        except OSError as error:
            with results.lock:
                results.errors.append(f"{path}: {error}")
            continue
        elapsed = time.perf_counter() - started
        with results.lock:
            results.latencies.append(elapsed)
            results.statuses[status] = results.statuses.get(status, 0) + 1
            if status >= 500:
                results.errors.append(f"{path}: HTTP {status}")
            elif status in (301, 302, 303) and "/sign-in" in location:
                results.errors.append(f"{path}: signed out ({location})")


def prepare(env: dict[str, str], clients: int) -> tuple[list[tuple[str, str]], list[int]]:
    """Migrate, load the demo council, and add one IG officer per client with a known TOTP secret."""
    flask = [str(ROOT / ".venv/bin/flask")]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "seed-demo"], env=env, check=True, capture_output=True)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        import pyotp
        from sqlalchemy import select

        from sar import create_app
        from sar.audit import SystemActor
        from sar.auth import secrets, service
        from sar.auth.models import Role
        from sar.cases.models import Case
        from sar.db import utcnow
        from sar.extensions import db

        app = create_app()
        accounts = []
        with app.app_context():
            for number in range(clients):
                user = service.create_user(
                    email=f"load{number}.{uuid.uuid4().hex[:6]}@council.example",
                    full_name=f"Load Officer {number}",
                    password=PASSWORD,
                    roles={Role.IG_OFFICER},
                    by=SystemActor("load test"),
                )
                secret = pyotp.random_base32()
                user.mfa_secret_encrypted = secrets.encrypt(secret)
                user.mfa_enrolled_at = utcnow()
                accounts.append((user.email, secret))
            db.session.commit()
            case_ids = list(db.session.scalars(select(Case.id)))
            db.engine.dispose()
        return accounts, case_ids
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(database: str, clients: int, seconds: int, workers: int) -> dict[str, object]:
    import sqlalchemy as sa

    instance = Path(tempfile.mkdtemp(prefix="sar-load-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAR_")}
    env.update(
        FLASK_APP="sar",
        SAR_ENV="development",
        SAR_INSTANCE_PATH=str(instance),
        SAR_BIND=f"127.0.0.1:{port}",
        SAR_WORKERS=str(workers),
        SAR_LOGIN_RATE_LIMIT="100000",  # every client signs in from 127.0.0.1
        SAR_AUDIT_CHECKPOINT_MINUTES="0.5",
    )
    schema = None
    admin_engine = None
    if database == "postgresql":
        schema = f"load_{uuid.uuid4().hex[:10]}"
        admin_engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with admin_engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
        env["SAR_DATABASE_URL"] = f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    server = None
    try:
        accounts, case_ids = prepare(env, clients)
        log = (instance / "gunicorn.log").open("w")
        server = subprocess.Popen([str(ROOT / "scripts/serve.sh")], env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Browser(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        load_before = os.getloadavg()
        results = Results()
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=client_loop, args=(port, email, secret, case_ids, until, results))
            for email, secret in accounts
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        load_after = os.getloadavg()
        server_header = Browser(port).request("GET", "/healthz")
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        verify = subprocess.run(
            [str(ROOT / ".venv/bin/flask"), "verify-audit"], env=env, capture_output=True, text=True
        )
        with (instance / "gunicorn.log").open() as handle:
            tracebacks = handle.read().count("Traceback")
        latencies = sorted(results.latencies)
        return {
            "database": database,
            "clients": clients,
            "workers": workers,
            "seconds": round(wall, 1),
            "requests": len(latencies),
            "per_second": round(len(latencies) / wall, 1),
            "median_ms": round(statistics.median(latencies) * 1000) if latencies else None,
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000) if latencies else None,
            "max_ms": round(latencies[-1] * 1000) if latencies else None,
            "errors": len(results.errors),
            "first_errors": results.errors[:5],
            "statuses": dict(sorted(results.statuses.items())),
            "tracebacks_in_server_log": tracebacks,
            "verify_audit": (verify.stdout + verify.stderr).strip(),
            "verify_ok": verify.returncode == 0,
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in load_after],
            "server_header": server_header,
        }
    finally:
        if server is not None and server.poll() is None:
            server.kill()
        if admin_engine is not None:
            with admin_engine.begin() as connection:
                connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            admin_engine.dispose()


def main() -> None:
    args, databases = database_benchmark_arguments(__doc__, clients=20, seconds=60, workers=4)
    rows = []
    for database in databases:
        result = run(database, args.clients, args.seconds, args.workers)
        for key, value in result.items():
            if key != "server_header":
                print(f"{database} {key}: {value}", flush=True)
        rows.append(result)
    print()
    print("| Database | Clients | Workers | Duration | Requests | Req/s | Median | p95 | Max | Errors | Chain after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['database']} | {r['clients']} | {r['workers']} | {r['seconds']} s | {r['requests']} | "
            f"{r['per_second']} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['max_ms']} ms | {r['errors']} | "
            f"{'intact' if r['verify_ok'] else 'BROKEN'} |"
        )
    if any(r["errors"] or not r["verify_ok"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
