"""Fixtures every integration test shares: cases made through intake's service, the job queue run, today pinned,
date inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask

from sar.auth.models import Role, User
from sar.cases import service
from sar.cases.models import Case, Channel, RequesterType, Right
from sar.extensions import db
from sar.jobs import run_worker


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.IG_OFFICER, full_name="Ida Officer", email="ida@council.example")


@pytest.fixture
def dpo(make_user: Callable[..., User]) -> User:
    return make_user(Role.DPO, full_name="Dee Protection", email="dpo@council.example")


@pytest.fixture
def make_case(app: Flask, officer: User) -> Callable[..., Case]:
    """The one way tests make a case: logged through intake's service, as the intake form does, then committed.

    ``make_case()`` is a self-request received three days ago; ``make_case(date(2026, 3, 2))`` one received that
    day at 10:00 UTC (the clock tests' style). Logging sends ``case_changed``, so the clock stores the first due
    date exactly as it does for a real case.
    """

    def make(
        received: date | None = None,
        *,
        rights: Iterable[Right] = (Right.ACCESS,),
        requester_type: RequesterType = RequesterType.SELF,
        subject_name: str = "Jordan Lee",
        requester: service.PersonDetails | None = None,
        received_at: datetime | None = None,
        owner: User | None = None,
        logged_by: User | None = None,
        **details: Any,
    ) -> Case:
        if received_at is None:
            received_at = (
                datetime.combine(received, time(10, 0), tzinfo=UTC)
                if received
                else datetime.now(UTC) - timedelta(days=3)
            )
        case = service.log_case(
            service.CaseDetails(
                channel=details.pop("channel", Channel.EMAIL),
                received_at=received_at,
                rights=frozenset(rights),
                requester_type=requester_type,
                **details,
            ),
            subject=service.PersonDetails(full_name=subject_name, date_of_birth=None),
            requester=requester
            or (None if requester_type.is_subject else service.PersonDetails(full_name="Pat Requester")),
            logged_by=logged_by or officer,
            owner=owner,
        )
        db.session.commit()
        return case

    return make


@pytest.fixture
def run_jobs(app: Flask) -> Callable[[], None]:
    """Run the job queue until it is empty, as a worker would, then let the test see what the jobs wrote."""

    def run() -> None:
        db.session.commit()
        # A context of its own, as a worker process has: the test's session and objects stay usable.
        with app.app_context():
            run_worker(once=True)
        db.session.expire_all()

    return run


@pytest.fixture
def pin_today(app: Flask) -> Callable[[date], None]:
    def pin(day: date) -> None:
        app.config["CLOCK_TODAY"] = day

    return pin


def _date_fields(prefix: str, name: str, d: date) -> list[tuple[str, str]]:
    key = f"{prefix}-{name}"
    return [(key, str(d.day)), (key, str(d.month)), (key, str(d.year))]


@pytest.fixture
def date_fields() -> Callable[[str, str, date], list[tuple[str, str]]]:
    """A GOV.UK date input posts three values under one name: day, month, year."""
    return _date_fields
