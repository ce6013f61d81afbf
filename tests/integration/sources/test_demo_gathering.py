"""The demo council's gathering: a newcomer running ``make demo`` sees every kind of file read, every connector
searched, refusals with their reasons and duplicates grouped (all generated at seed time, nothing committed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import support
from flask import Flask
from sqlalchemy import select

from sar.extensions import db
from sar.sources.models import Connector, Document, DocumentGroup, DocumentStatus, SearchTask, TaskStatus


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_path = tmp_path_factory.mktemp("demo-gathering")
    config = support.base_test_config(tmp_path, f"sqlite:///{tmp_path / 'demo.sqlite'}")
    with support.app_with_tables(config) as application:
        result = application.test_cli_runner().invoke(args=["seed-demo", "--today", date(2026, 11, 25).isoformat()])
        assert result.exit_code == 0, result.output + repr(result.exception)
        yield application


def test_the_demo_gathers_every_kind_of_file_through_every_connector(demo: Flask) -> None:
    db.session.expire_all()
    documents = list(db.session.scalars(select(Document)))
    read = {d.kind for d in documents if d.status is DocumentStatus.READY}
    # PDFs, text, a Word document (LibreOffice), a scan (OCR), emails and their attachments, database records.
    assert {"pdf", "text", "office", "image", "email"} <= read
    scan = next(d for d in documents if d.original_name == "Scanned letter from school.png")
    assert scan.status is DocumentStatus.READY and "Attendance this term" in scan.pages[0].text
    assert scan.pages[0].ocr
    attachments = [d for d in documents if d.relation == "attachment" and d.status is DocumentStatus.READY]
    assert any(d.original_name.startswith("visit record") for d in attachments)

    refusals = {d.refusal_code for d in documents if d.status is DocumentStatus.REFUSED}
    assert {"encrypted", "unsupported"} <= refusals
    assert any(d.status is DocumentStatus.DUPLICATE for d in documents)
    assert db.session.scalar(select(DocumentGroup.id).limit(1)) is not None

    connectors = list(db.session.scalars(select(Connector)))
    assert sorted(c.kind for c in connectors) == ["database", "email_export", "file_share"]
    for connector in connectors:
        runs = list(db.session.scalars(select(SearchTask).where(SearchTask.connector_id == connector.id)))
        assert runs and all(t.status is TaskStatus.RECORDS_SUPPLIED for t in runs), connector.name
        assert any(d.connector_id == connector.id for d in documents), connector.name
