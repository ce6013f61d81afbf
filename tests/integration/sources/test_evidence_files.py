"""Identity and authority evidence files: attached, viewable by IG officers only, audited, deleted on their rule."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sar.audit import AuditEvent
from sar.auth.models import Role
from sar.cases.models import Case, CaseStatus, EvidenceItem, EvidenceKind, Outcome
from sar.extensions import db
from sar.sources.models import EvidenceFile
from sar.storage import get_store
from tests.integration.sources.conftest import make_pdf

PASSPORT = make_pdf(["PASSPORT", "Surname KHAN"])


def _item(case: Case) -> EvidenceItem:
    item = EvidenceItem(
        case_id=case.id, kind=EvidenceKind.IDENTITY, asked_for="Passport", received_on=date(2026, 11, 3)
    )
    db.session.add(item)
    db.session.commit()
    return item


def test_an_officer_attaches_and_opens_evidence_and_every_view_is_audited(
    app: Flask, case: Case, client_as: Callable[..., FlaskClient], make_case: Callable[..., Case]
) -> None:
    item = _item(case)
    officer = client_as(Role.IG_OFFICER)
    url = f"/cases/{case.id}/evidence/{item.id}/files"
    response = officer.post(
        url, data={"file": (io.BytesIO(PASSPORT), "passport scan.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    row = db.session.scalars(select(EvidenceFile)).one()
    assert row.media_type == "application/pdf" and get_store().open(row.file_key) == PASSPORT
    assert "see or attach files" in officer.get(f"/cases/{case.id}").get_data(as_text=True)

    opened = officer.get(f"/cases/{case.id}/evidence-files/{row.id}")
    assert opened.status_code == 200 and opened.data == PASSPORT
    assert opened.headers["Content-Disposition"].startswith("inline")
    assert db.session.scalar(select(AuditEvent.summary).where(AuditEvent.action == "evidence_file.viewed"))

    other = make_case(date(2026, 11, 3))
    assert officer.get(f"/cases/{other.id}/evidence-files/{row.id}").status_code == 404
    for role in (Role.RECORD_HOLDER, Role.AUDITOR):
        assert client_as(role).get(f"/cases/{case.id}/evidence-files/{row.id}").status_code == 403
    empty = officer.post(url, data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Select a file" in empty.get_data(as_text=True)


def test_files_are_deleted_30_days_after_the_case_closes_and_not_before(
    app: Flask, case: Case, client_as: Callable[..., FlaskClient]
) -> None:
    item = _item(case)
    officer = client_as(Role.IG_OFFICER)
    officer.post(
        f"/cases/{case.id}/evidence/{item.id}/files",
        data={"file": (io.BytesIO(PASSPORT), "p.pdf")},
        content_type="multipart/form-data",
    )
    row = db.session.scalars(select(EvidenceFile)).one()
    case.status, case.outcome = CaseStatus.CLOSED, Outcome.FULL
    case.closed_at = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    db.session.commit()
    runner = app.test_cli_runner()

    early = runner.invoke(args=["delete-expired-evidence", "--date", "2026-12-31"])
    assert "0 evidence files deleted" in early.output and get_store().exists(row.file_key)
    result = runner.invoke(
        args=["delete-expired-evidence", "--date", (date(2026, 12, 1) + timedelta(days=31)).isoformat()]
    )
    assert "1 evidence files deleted" in result.output
    db.session.expire_all()
    assert not get_store().exists(row.file_key)
    gone = db.session.get(EvidenceFile, row.id)
    assert gone is not None and gone.deleted_at is not None and "30 days" in gone.deleted_reason
    assert officer.get(f"/cases/{case.id}/evidence-files/{row.id}").status_code == 410
