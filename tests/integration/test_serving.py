"""Production serving: gunicorn through `make serve` with no versions in the Server header, and
ProxyFix trusting exactly the configured number of proxies."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from sar import create_app

ROOT = Path(__file__).resolve().parents[2]


def _remote_addr_seen(app: Flask, **headers: str) -> str:
    seen: dict[str, Any] = {}

    @app.get("/_test/remote-addr")
    def remote_addr() -> str:
        from flask import request

        seen["addr"] = request.remote_addr
        return "ok"

    remote_addr.is_public = True  # type: ignore[attr-defined]
    app.test_client().get("/_test/remote-addr", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    return str(seen["addr"])


@pytest.mark.parametrize(("proxies", "expected"), [(0, "10.0.0.1"), (1, "203.0.113.7")])
def test_forwarded_addresses_are_trusted_only_behind_the_configured_proxies(tmp_path, proxies, expected) -> None:
    app = create_app(
        {"ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "PROXY_COUNT": proxies}
    )

    # A client that sends its own X-Forwarded-For in front of the proxy's cannot choose its address.
    assert _remote_addr_seen(app, **{"X-Forwarded-For": "198.51.100.9, 203.0.113.7"}) == expected


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_make_serve_runs_gunicorn_with_workers_and_no_versions_in_headers(tmp_path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAR_")}
    env.update(SAR_INSTANCE_PATH=str(tmp_path), SAR_BIND=f"127.0.0.1:{port}", SAR_WORKERS="2", SAR_ENV="development")
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(["make", "-s", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        response = None
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                break
            except OSError:
                time.sleep(0.5)
            finally:
                connection.close()
        assert response is not None and response.status == 200
        server_header = response.getheader("Server") or ""
        assert server_header == "gunicorn", server_header  # no version for an attacker to look up
        assert not any(char.isdigit() for char in server_header)
        workers = subprocess.run(["pgrep", "-P", str(_gunicorn_pid(server.pid))], capture_output=True, text=True)
        assert len(workers.stdout.split()) == 2
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def _gunicorn_pid(make_pid: int) -> int:
    """`make` runs scripts/serve.sh, which execs gunicorn: the master is make's child."""
    children = subprocess.run(["pgrep", "-P", str(make_pid)], capture_output=True, text=True).stdout.split()
    assert children, "make serve started nothing"
    return int(children[0])
