"""Benchmark: the deadline dashboard with 50,000 cases and 500,000 clock events, on SQLite and PostgreSQL.

    .venv/bin/python tests/benchmarks/bench_dashboard.py [--db sqlite|postgresql|both] [--cases 50000]

Loads the data with bulk inserts into a throwaway SQLite file and a throwaway PostgreSQL schema (created here and
dropped at the end), then measures:

* the server time of the dashboard pages (median and 95th percentile of --requests signed-in requests through the
  Flask test client, after a warm-up): targets median < 150 ms, p95 < 300 ms;
* recalculating every case's clock (``flask recalculate-clocks``): target < 30 s; once when nothing changes and
  once when every case's internal target moves (most rows rewritten), and once after a bank-holiday change
  (the England and Wales list swapped for Scotland's: the due dates that move are rewritten and audited).

Results go to stdout as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_common import app_config, database_benchmark_arguments  # noqa: E402

from sar import create_app  # noqa: E402
from sar.audit import SYSTEM
from sar.auth.models import Role, Team, User, UserRole  # noqa: E402
from sar.cases.models import Case, CaseRight, CaseScopeTeam, CaseStatus, Channel, Right  # noqa: E402
from sar.clock import service  # noqa: E402
from sar.clock.models import ClockEvent, EventKind  # noqa: E402
from sar.extensions import db  # noqa: E402

POSTGRES_URL = os.environ.get("SAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TODAY = date(2026, 11, 25)
CHUNK = 10_000
PAGES = {
    "dashboard (default: all open, by due date)": "/deadlines",
    "dashboard, overdue band sorted by owner": "/deadlines?band=overdue&sort=owner",
    "dashboard, filtered by team and right, page 3": "/deadlines?team=3&right=access&page=3",
    "performance (12-month chart and table)": "/deadlines/performance",
}


def config(url: str, tmp: Path) -> dict[str, Any]:
    return app_config(url, tmp, secret_key="bench-" + uuid.uuid4().hex, WTF_CSRF_ENABLED=False, CLOCK_TODAY=TODAY)


def chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(table: sa.Table, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    for batch in chunks(rows):
        db.session.execute(sa.insert(table), batch)
        count += len(batch)
    return count


def load(n_cases: int, events_per_case: int, seed: int = 7) -> dict[str, float]:
    """Bulk-load teams, staff, cases (about 1 in 10 open, the rest closed over three years) and clock events."""
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    teams = [Team(name=f"Team {i:02d}") for i in range(1, 21)]
    db.session.add_all(teams)
    db.session.flush()
    staff = []
    for i in range(40):
        user = User(email=f"officer{i}@bench.example", full_name=f"Officer {i:02d}", password_hash="x")
        db.session.add(user)
        staff.append(user)
    dpo = User(email="dpo@bench.example", full_name="The DPO", password_hash="x")
    db.session.add(dpo)
    db.session.flush()
    db.session.add_all([UserRole(user_id=u.id, role=Role.IG_OFFICER) for u in staff])
    db.session.add(UserRole(user_id=dpo.id, role=Role.DPO))
    db.session.flush()
    staff_ids = [u.id for u in staff]
    team_ids = [t.id for t in teams]

    plans: list[tuple[int, date, bool, list[Right]]] = []
    for case_id in range(1, n_cases + 1):
        open_case = rng.random() < 0.1
        age = rng.randint(0, 75) if open_case else rng.randint(40, 3 * 365)
        received = TODAY - timedelta(days=age)
        rights = [Right.ACCESS] if rng.random() < 0.85 else [rng.choice(list(Right)[1:])]
        plans.append((case_id, received, open_case, rights))

    def cases() -> Iterator[dict[str, Any]]:
        for case_id, received, open_case, _rights in plans:
            yield {
                "id": case_id,
                "reference": f"SAR-B{case_id:06d}",
                "status": CaseStatus.GATHERING.value if open_case else CaseStatus.CLOSED.value,
                "channel": Channel.EMAIL.value,
                "received_at": datetime.combine(received, dtime(10, 0), tzinfo=UTC),
                "received_on": received,
                "logged_by_id": staff_ids[case_id % len(staff_ids)],
                "owner_id": None if case_id % 17 == 0 else staff_ids[rng.randrange(len(staff_ids))],
                "closed_at": None
                if open_case
                else datetime.combine(received + timedelta(days=rng.randint(10, 40)), dtime(15, 0), tzinfo=UTC),
            }

    insert(Case.__table__, cases())  # type: ignore[arg-type]
    insert(CaseRight.__table__, ({"case_id": p[0], "right": r.value} for p in plans for r in p[3]))  # type: ignore[arg-type]
    insert(
        CaseScopeTeam.__table__,  # type: ignore[arg-type]
        ({"case_id": p[0], "team_id": t} for p in plans for t in {team_ids[p[0] % 20], team_ids[(p[0] * 7) % 20]}),
    )
    timings["load cases"] = time.perf_counter() - started

    started = time.perf_counter()
    recorded_at = datetime(2026, 11, 1, tzinfo=UTC)

    def events() -> Iterator[dict[str, Any]]:
        # Ten events a case: ID and authority asked for and received, two clarification rounds (access only; other
        # rights get fee events instead), a mistaken event voided, and the closure or, for open cases, an
        # extension decision. Some open cases are left waiting or paused.
        def row(case_id: int, kind: EventKind, on: date, **extra: Any) -> dict[str, Any]:
            base = {
                "case_id": case_id,
                "kind": kind.value,
                "event_date": min(on, TODAY),
                "note": "",
                "reasons": None,
                "notice_date": None,
                "recorded_by_id": None,
                "recorded_at": recorded_at,
                "voided_at": None,
                "void_reason": None,
            }
            base.update(extra)
            return base

        duplicate = {"voided_at": recorded_at, "void_reason": "duplicate"}
        wrong_case = {"voided_at": recorded_at, "void_reason": "recorded on the wrong case"}

        for case_id, received, open_case, rights in plans:
            d = received
            made = [
                row(case_id, EventKind.ID_REQUESTED, d + timedelta(days=1)),
                row(case_id, EventKind.ID_RECEIVED, d + timedelta(days=3)),
                row(case_id, EventKind.AUTHORITY_REQUESTED, d + timedelta(days=1)),
                row(case_id, EventKind.AUTHORITY_RECEIVED, d + timedelta(days=2)),
            ]
            if Right.ACCESS in rights:
                made += [
                    row(case_id, EventKind.CLARIFICATION_ASKED, d + timedelta(days=5)),
                    row(case_id, EventKind.CLARIFICATION_ANSWERED, d + timedelta(days=8)),
                    row(case_id, EventKind.CLARIFICATION_ASKED, d + timedelta(days=10)),
                    row(case_id, EventKind.CLARIFICATION_ANSWERED, d + timedelta(days=12)),
                ]
            else:
                made += [
                    row(case_id, EventKind.FEE_REQUESTED, d + timedelta(days=4)),
                    row(case_id, EventKind.FEE_PAID, d + timedelta(days=6)),
                    row(case_id, EventKind.FEE_REQUESTED, d + timedelta(days=4), **duplicate),
                    row(case_id, EventKind.FEE_REQUESTED, d + timedelta(days=4), **duplicate),
                ]
            made.append(row(case_id, EventKind.FEE_REQUESTED, d + timedelta(days=2), **wrong_case))
            if open_case:
                made.append(
                    row(
                        case_id,
                        EventKind.EXTENSION_DECIDED,
                        d + timedelta(days=14),
                        reasons="Complex: records across several teams",
                        notice_date=d + timedelta(days=14),
                    )
                )
                if case_id % 5 == 0:
                    made[-1] = row(case_id, EventKind.ID_REQUESTED, d + timedelta(days=13))  # waiting for ID again
                elif case_id % 7 == 0:
                    made[-1] = row(case_id, EventKind.CLARIFICATION_ASKED, d + timedelta(days=13))
            else:
                made.append(row(case_id, EventKind.CASE_CLOSED, d + timedelta(days=rng.randint(14, 40))))
            yield from made[:events_per_case]

    count = insert(ClockEvent.__table__, events())  # type: ignore[arg-type]
    db.session.commit()
    timings["load clock events"] = time.perf_counter() - started
    timings["events"] = count
    return timings


def sign_in(app: Flask, email: str) -> FlaskClient:
    from flask_login.utils import _create_identifier

    from sar.auth import sessions

    client = app.test_client()
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        user_id = user.id
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
            token = sessions.create(user, method="benchmark")  # the server-side session row
        db.session.commit()
    with client.session_transaction() as session:
        session.update({"_user_id": str(user_id), "_fresh": True, "_id": identifier, sessions.TOKEN_KEY: token})
    return client


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[max(int(round(0.95 * len(values))) - 1, 0)]


def measure(client: FlaskClient, url: str, requests: int) -> tuple[float, float, float, float]:
    """Wall-clock and this process's CPU time per request (ms): median and p95 of each.

    The CPU figure is what the request costs the app server (and, on SQLite, the database too, which runs in
    process); it is the stable figure when other work shares the machine. On PostgreSQL the server's own time is
    only in the wall-clock figure.
    """
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return (*percentiles(wall), *percentiles(cpu))


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench.sqlite'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def timed(fn: Callable[[], Any]) -> tuple[str, Any]:
    """Run ``fn``; return "wall s (CPU s)" and its result."""
    started, started_cpu = time.perf_counter(), time.process_time()
    result = fn()
    return f"{time.perf_counter() - started:.1f} s (CPU {time.process_time() - started_cpu:.1f} s)", result


def run(kind: str, n_cases: int, events_per_case: int, requests: int) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as raw_tmp, database(kind, Path(raw_tmp)) as url:
        app = create_app(config(url, Path(raw_tmp)))
        with app.app_context():
            db.create_all()
            loaded = load(n_cases, events_per_case)
            first, result = timed(lambda: service.recalculate_all("benchmark: first calculation", by=SYSTEM))
            db.session.commit()
            assert result.cases == n_cases, result
            if kind == "postgresql":
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            unchanged, result_same = timed(lambda: service.recalculate_all("benchmark: nothing changed", by=SYSTEM))
            db.session.commit()
            app.config["INTERNAL_TARGET_DAYS"] = 27
            changed, result_changed = timed(
                lambda: service.recalculate_all("benchmark: internal target 27 days", by=SYSTEM)
            )
            db.session.commit()
            app.config["INTERNAL_TARGET_DAYS"] = 28
            service.recalculate_all("benchmark: back to 28 days", by=SYSTEM)
            db.session.commit()
            # A bank-holiday change: Scotland's list differs from England's (2 January, St Andrew's Day, August),
            # so some due dates move and each moved one is audited.
            app.config["BANK_HOLIDAY_REGION"] = "scotland"
            holidays, result_holidays = timed(
                lambda: service.recalculate_all("benchmark: bank holidays changed", by=SYSTEM)
            )
            db.session.commit()
            app.config["BANK_HOLIDAY_REGION"] = "england-and-wales"
            service.recalculate_all("benchmark: back to England and Wales", by=SYSTEM)
            db.session.commit()
            if kind == "postgresql":
                # The steady state autovacuum keeps a live database in: statistics and visibility map up to date
                # (index-only scans need the latter).
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(sa.text("VACUUM ANALYZE"))
            db.session.remove()
        print(
            f"[{kind}] loaded {n_cases} cases in {loaded['load cases']:.1f} s and {loaded['events']} events in "
            f"{loaded['load clock events']:.1f} s",
            file=sys.stderr,
        )
        client = sign_in(app, "officer1@bench.example")
        for label, path in PAGES.items():
            median, p95, cpu_median, cpu_p95 = measure(client, path, requests)
            lines.append(
                f"| {kind} | {label} | {median:.0f} ms | {p95:.0f} ms | {cpu_median:.0f} ms | {cpu_p95:.0f} ms |"
            )
            print(lines[-1], file=sys.stderr)
        lines.append(
            f"| {kind} | recalculate every case, first time ({result.changed} rows written and audited) "
            f"| {first} | | | |"
        )
        lines.append(
            f"| {kind} | recalculate every case, nothing changed ({result_same.changed} written) | {unchanged} | | | |"
        )
        lines.append(
            f"| {kind} | recalculate every case, internal target changed ({result_changed.changed} written, "
            f"one summary audit event) | {changed} | | | |"
        )
        lines.append(
            f"| {kind} | recalculate every case, bank holidays changed ({result_holidays.changed} written, "
            f"due dates audited) | {holidays} | | | |"
        )
        for line in lines[-4:]:
            print(line, file=sys.stderr)
        with app.app_context():
            db.drop_all()
            db.engine.dispose()
    return lines


def main() -> None:
    args, kinds = database_benchmark_arguments(__doc__, cases=50_000, events_per_case=10, requests=50)
    lines = [
        "| Database | Measure | Median (wall) | p95 (wall) | Median (CPU) | p95 (CPU) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for kind in kinds:
        lines += run(kind, args.cases, args.events_per_case, args.requests)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
