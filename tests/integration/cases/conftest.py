"""Fixtures for the intake tests: signed-in clients, a valid intake form, cases logged through the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from sar.audit import SYSTEM
from sar.auth.models import Role, User
from sar.cases import service
from sar.cases.models import Case, Channel, PersonRole, RequesterType, Right
from sar.extensions import db


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.IG_OFFICER, full_name="Ida Officer", email="ida@council.example")


@pytest.fixture
def dpo(make_user: Callable[..., User]) -> User:
    return make_user(Role.DPO, full_name="Dee Protection", email="dpo@council.example")


@pytest.fixture
def officer_client(client_as: Callable[..., FlaskClient], officer: User) -> FlaskClient:
    return client_as(user=officer)


def form_token(client: FlaskClient) -> str:
    page = client.get("/cases/new")
    assert page.status_code == 200, page.get_data(as_text=True)
    field = BeautifulSoup(page.data, "html.parser").find("input", {"name": "form_token"})
    assert field is not None
    return str(field["value"])


def intake_data(token: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid intake form: a parent asking for her son's records, received yesterday."""
    yesterday = datetime.now(UTC) - timedelta(days=1)
    data: dict[str, Any] = {
        "form_token": token,
        "channel": "email",
        "received_date": [str(yesterday.day), str(yesterday.month), str(yesterday.year)],
        "received_time": "10:15",
        "rights": ["access"],
        "description": "All records held by children's social care",
        "requester_type": "parent_pr",
        "requester_full_name": "Sharon Smith",
        "requester_relationship": "mother",
        "requester_address": "14 Elm Road, Netherfield, Calderbridge, hx3 5tt",
        "requester_phone": "07700900123",
        "requester_email": "sharon@example.com",
        "subject_full_name": "Kayla Marie Smith",
        "subject_aliases": "Kay\nKMS",
        "subject_date_of_birth": ["14", "3", "2014"],
        "subject_addresses": "14 Elm Road, Netherfield, Calderbridge HX3 5TT\n2 Mill Lane,  Calderbridge,hx41ab",
        "subject_nhs_number": "9434765919",
        "subject_ni_number": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_case(app: Flask, officer: User) -> Callable[..., Case]:
    """Log a case through the service (as the intake form would) and commit it."""

    def make(
        *,
        rights: frozenset[Right] = frozenset({Right.ACCESS}),
        requester_type: RequesterType = RequesterType.SELF,
        subject_name: str = "Jordan Lee",
        requester: service.PersonDetails | None = None,
        received_at: datetime | None = None,
        **details: Any,
    ) -> Case:
        case = service.log_case(
            service.CaseDetails(
                channel=details.pop("channel", Channel.EMAIL),
                received_at=received_at or datetime.now(UTC) - timedelta(days=3),
                rights=rights,
                requester_type=requester_type,
                **details,
            ),
            subject=service.PersonDetails(full_name=subject_name, date_of_birth=None),
            requester=requester
            or (None if requester_type.is_subject else service.PersonDetails(full_name="Pat Requester")),
            logged_by=officer,
        )
        db.session.commit()
        return case

    return make


def add_people(case: Case) -> None:
    service.add_person(
        case,
        PersonRole.THIRD_PARTY,
        service.PersonDetails(full_name="Christine Whitehead", relationship="mother", phones=("07418 245527",)),
        by=SYSTEM,
    )
    service.add_person(
        case,
        PersonRole.PROFESSIONAL,
        service.PersonDetails(
            full_name="Katy Cox",
            relationship="MASH social worker",
            job_title="MASH Social Worker",
            organisation="Eastholme MBC",
        ),
        by=SYSTEM,
    )
    db.session.commit()


@pytest.fixture
def later_stages(app: Flask) -> Any:
    """Stand in for the gathering, review and bundle stages (not built yet) through the facts-provider interface:
    ``later_stages(review=ReviewFacts(...), bundle=BundleFacts(...))`` makes every case report those facts."""
    from sar.cases import facts as case_facts

    providers = app.extensions.setdefault("sar_case_facts_providers", {})
    saved = dict(providers)

    def report(**stages: Any) -> None:
        for stage in ("gathering", "review", "bundle"):
            providers.pop(stage, None)
        for stage, value in stages.items():
            case_facts.register_facts_provider(app, stage, lambda case, value=value: value)

    yield report
    providers.clear()
    providers.update(saved)
