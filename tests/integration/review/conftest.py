"""A case with a register and two read documents, detection run: what every review test starts from."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from support import register_person

from sar.cases.models import Case, CasePerson, PersonRole
from sar.extensions import db
from sar.review.models import ReviewFinding
from sar.sources import ingest
from sar.sources.models import Document
from tests.integration.sources.conftest import make_pdf

LETTER = [
    "Ayesha Khan was seen at home on 3 March 2024 by her social worker.",
    "Gary Pollard, the neighbour, reported shouting at the house late at night.",
    "Jo Bloggs, social worker, visited with the health visitor the next day.",
]
NOTE = [
    "Gary Pollard telephoned again about Ayesha Khan.",
    "Jo Bloggs recorded the call and will visit on Friday.",
]


@dataclass
class ReviewCase:
    case: Case
    letter: Document
    note: Document

    def findings(self, text: str | None = None, document: Document | None = None) -> list[ReviewFinding]:
        db.session.expire_all()
        query = select(ReviewFinding).where(ReviewFinding.case_id == self.case.id)
        if text is not None:
            query = query.where(ReviewFinding.text == text)
        if document is not None:
            query = query.where(ReviewFinding.document_id == document.id)
        return list(db.session.scalars(query.order_by(ReviewFinding.document_id, ReviewFinding.start)))

    def person(self, name: str) -> CasePerson:
        return next(p for p in self.case.people if p.full_name == name)


@pytest.fixture
def reviewed(make_case: Callable[..., Case], run_jobs: Callable[[], None]) -> ReviewCase:
    case = make_case(date(2026, 11, 2), subject_name="Ayesha Khan")
    case.people.extend(
        [
            register_person(PersonRole.THIRD_PARTY, "Gary Pollard", 1, "neighbour"),
            register_person(PersonRole.PROFESSIONAL, "Jo Bloggs", 2, "social worker", job_title="Social Worker"),
        ]
    )
    db.session.flush()
    letter = ingest.add_file(
        case, "letter.pdf", io.BytesIO(make_pdf(LETTER)), source="upload", by=None, by_label="test"
    ).document
    note = ingest.add_file(
        case, "note.pdf", io.BytesIO(make_pdf(NOTE)), source="upload", by=None, by_label="test"
    ).document
    assert letter is not None and note is not None
    run_jobs()
    return ReviewCase(
        db.session.get_one(Case, case.id),
        db.session.get_one(Document, letter.id),
        db.session.get_one(Document, note.id),
    )
