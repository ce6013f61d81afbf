"""Fixtures for the stages after intake: cases inserted directly (intake's forms are tested by intake,
whose own conftest overrides ``make_case`` with one that goes through its service)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from flask import Flask

from sar.audit import SYSTEM
from sar.auth.models import Role, User
from sar.cases.models import Case, CaseRight, Channel, Right
from sar.cases.signals import case_changed
from sar.extensions import db

_numbers = itertools.count(1)


@pytest.fixture
def make_case(app: Flask, make_user: Callable[..., User]) -> Callable[..., Case]:
    logger: list[User] = []

    def make(
        received: date,
        *,
        rights: tuple[Right, ...] = (Right.ACCESS,),
        owner: User | None = None,
        **fields: Any,
    ) -> Case:
        if not logger:
            logger.append(make_user(Role.IG_OFFICER, full_name="Intake Officer"))
        case = Case(
            reference=f"SAR-T{next(_numbers):05d}",
            channel=Channel.EMAIL,
            received_at=datetime.combine(received, time(10, 0), tzinfo=UTC),
            received_on=received,
            logged_by_id=logger[0].id,
            owner_id=owner.id if owner else None,
            **fields,
        )
        case.rights = [CaseRight(right=r) for r in rights]
        db.session.add(case)
        db.session.flush()
        # What intake does after logging a case: the clock subscribes and stores the first due date.
        case_changed.send(case, reason="request logged", by=SYSTEM)
        db.session.commit()
        return case

    return make


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
