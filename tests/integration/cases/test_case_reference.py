"""Case references stay unique when many intakes happen at once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from sar.auth.models import User
from sar.cases import service
from sar.cases.models import Case, CaseReferenceCounter, Channel, RequesterType, Right
from sar.extensions import db

THREADS = 8


def _log(
    app: Flask,
    user_id: int,
    name: str,
    received_at: datetime,
    results: list[str],
    errors: list[BaseException],
    barrier: threading.Barrier,
) -> None:
    with app.app_context():
        try:
            user = db.session.get(User, user_id)
            assert user is not None
            barrier.wait()
            case = service.log_case(
                service.CaseDetails(
                    channel=Channel.POST,
                    received_at=received_at,
                    rights=frozenset({Right.ACCESS}),
                    requester_type=RequesterType.SELF,
                ),
                subject=service.PersonDetails(full_name=name),
                requester=None,
                logged_by=user,
            )
            db.session.commit()
            results.append(case.reference)
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            db.session.rollback()
            errors.append(error)
        finally:
            db.session.remove()


def test_concurrent_intakes_get_distinct_consecutive_references(app, officer):
    received_at = datetime.now(UTC) - timedelta(hours=1)
    year = received_at.year
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=_log, args=(app, officer.id, f"Child {i}", received_at, results, errors, barrier))
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == [f"SAR-{year}-{n:05d}" for n in range(1, THREADS + 1)]
    db.session.expire_all()
    assert db.session.get(CaseReferenceCounter, year).last_number == THREADS
    assert len(set(db.session.scalars(select(Case.reference)))) == THREADS


def test_the_sequence_restarts_each_year_and_uses_the_configured_prefix(app, officer, make_case):
    app.config["CASE_REFERENCE_PREFIX"] = "CSC"
    old = make_case(received_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))  # 31 Dec in London (GMT)
    new_year = make_case(received_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC) + timedelta(hours=1))
    again = make_case(received_at=datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
    assert [old.reference, new_year.reference, again.reference] == [
        "CSC-2025-00001",
        "CSC-2026-00001",
        "CSC-2026-00002",
    ]


def test_refused_input_does_not_use_up_a_number(app, officer, make_case):
    try:
        service.log_case(
            service.CaseDetails(
                channel=Channel.POST,
                received_at=datetime.now(UTC),
                rights=frozenset(),
                requester_type=RequesterType.SELF,
            ),
            subject=service.PersonDetails(full_name="Nobody"),
            requester=None,
            logged_by=officer,
        )
    except service.CaseError as refused:
        assert refused.field == "rights"
    db.session.commit()
    assert make_case().reference.endswith("-00001")
