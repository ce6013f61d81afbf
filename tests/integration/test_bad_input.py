"""Numbers too large for an id column, anywhere in a URL, get a clear 404 or 400 page, never a 500;
exports are built in full before the first byte is sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from support import heading, page

from sar.audit import AuditEvent
from sar.auth.models import Role
from sar.extensions import db

HUGE = "99999999999999999999999"
JUST_OVER = str(2**63)


@pytest.fixture
def dpo(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    return client_as(Role.DPO, Role.ADMIN)


@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
@pytest.mark.parametrize(
    "path",
    [
        "/cases/{n}",
        "/cases/{n}/edit",
        "/cases/{n}/people.json",
        "/cases/{n}/people/{n}",
        "/cases/{n}/clock",
        "/audit/{n}",
        "/admin/users/{n}",
        "/admin/teams/{n}/edit",
    ],
)
def test_ids_too_large_for_the_database_are_a_plain_404(dpo: FlaskClient, path: str, number: str) -> None:
    response = dpo.get(path.format(n=number))

    assert heading(page(response, 404)) == "Page not found"


@pytest.mark.parametrize(
    "query",
    [
        f"/cases?owner={HUGE}",
        f"/cases?team={HUGE}",
        f"/cases?page={HUGE}",
        f"/audit/?case={HUGE}",
        f"/audit/?page={HUGE}",
        f"/deadlines?officer={HUGE}",
        f"/deadlines?team={HUGE}",
    ],
)
def test_numeric_filters_too_large_never_give_a_500(dpo: FlaskClient, query: str) -> None:
    response = dpo.get(query)

    assert response.status_code in (200, 400), response.status_code
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" not in body


def test_audit_export_with_an_impossible_case_number_is_complete(dpo: FlaskClient) -> None:
    response = dpo.get(f"/audit/export.csv?case={HUGE}")

    assert response.status_code == 200
    assert response.get_data(as_text=True).splitlines()[0].startswith("id,")


@pytest.mark.parametrize(
    ("url", "module", "generator", "action"),
    [
        ("/audit/export.csv", "sar.audit_views", "csv_rows", "audit_exported"),
        ("/deadlines/request-log.csv", "sar.dashboard.export", "rows", "request_log.exported"),
    ],
)
def test_a_failing_export_sends_no_partial_file_and_records_no_export(
    app: Flask, dpo: FlaskClient, monkeypatch: pytest.MonkeyPatch, url: str, module: str, generator: str, action: str
) -> None:
    import importlib

    def breaks_half_way(*args: object, **kwargs: object) -> object:
        yield "id,first line\r\n"
        raise sa.exc.OperationalError("SELECT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(importlib.import_module(module), generator, breaks_half_way)

    response = dpo.get(url)

    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body and "first line" not in body
    exported = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == action))
    assert exported == 0  # an export that delivered nothing is not recorded as made
