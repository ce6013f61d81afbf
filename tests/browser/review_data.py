"""Review data on the live server: documents read and detected in a case, through the real services and jobs."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask import Flask
from sqlalchemy import select
from support import pdf_of_pages, register_person

from sar.cases.models import Case, Channel, PersonRole
from sar.extensions import db
from sar.jobs import run_worker


@dataclass
class ReviewData:
    case_id: int
    reference: str
    letter_id: int
    note_id: int
    subject: str
    third_party: str


def add_documents(app: Flask, case_id: int) -> ReviewData:
    """Two read documents naming the case's subject and a third party, detection run on them."""
    from sar.sources import ingest

    with app.app_context():
        case = db.session.get_one(Case, case_id)
        subject = case.subject
        third = next(p for p in case.people if p.role is PersonRole.THIRD_PARTY)
        assert subject is not None
        letter = pdf_of_pages(
            [
                [
                    f"{subject.full_name} was seen at home by the social worker.",
                    f"{third.full_name} reported shouting at the house late at night.",
                ],
                ["The core group will meet again in four weeks."],
            ]
        )
        note = pdf_of_pages([[f"{third.full_name} telephoned again about {subject.full_name}."]])
        first = ingest.add_file(
            case, "visit-letter.pdf", io.BytesIO(letter), source="upload", by=None, by_label="browser test"
        ).document
        second = ingest.add_file(
            case, "phone-note.pdf", io.BytesIO(note), source="upload", by=None, by_label="browser test"
        ).document
        assert first is not None and second is not None
        data = ReviewData(case.id, case.reference, first.id, second.id, subject.full_name, third.full_name)
        db.session.commit()
        run_worker(once=True)
        return data


def new_case(app: Flask, reference_suffix: str) -> int:
    """A case of its own (subject and a third party), so a test can change it freely."""
    from datetime import UTC, datetime, time

    from sar.auth.models import User
    from sar.cases.models import CaseRight, Right

    with app.app_context():
        logger = db.session.scalars(select(User).order_by(User.id)).first()
        assert logger is not None
        received = date(2026, 11, 2)
        case = Case(
            reference=f"SAR-B{reference_suffix}",
            channel=Channel.EMAIL,
            received_at=datetime.combine(received, time(10, 0), tzinfo=UTC),
            received_on=received,
            logged_by_id=logger.id,
        )
        case.rights = [CaseRight(right=Right.ACCESS)]
        case.people = [
            register_person(PersonRole.DATA_SUBJECT, "Ayesha Khan", 0),
            register_person(PersonRole.THIRD_PARTY, "Gary Pollard", 1, "neighbour"),
        ]
        db.session.add(case)
        db.session.commit()
        return case.id
