"""Fixtures for the letters: the council's Art 15 information, a case with a requester, signed-in staff."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from sar.auth.models import Role, User
from sar.bundle.letters import service
from sar.cases.models import Case
from sar.extensions import db

# One distinctive phrase per Art 15 field, so a test can find each in a letter.
ART15 = {
    "purposes": "PURPOSE-MARK: to keep children safe and plan their support.",
    "categories": "- CATEGORY-MARK names and addresses\n- health and education records",
    "recipients": "- RECIPIENT-MARK schools and health services\n- the police",
    "transfers": "TRANSFER-MARK: we do not send information outside the UK.",
    "retention": "RETENTION-MARK: social care records are kept for 25 years.",
    "sources": "SOURCE-MARK: from family members and professionals.",
    "automated_decisions": "AUTOMATED-MARK: no decisions are made by computer alone.",
    "ico_contact": "ICO-MARK Information Commissioner's Office, Wycliffe House, Wilmslow SK9 5AF, 0303 123 1113",
    "complaint_route": "COMPLAINT-MARK: write to our Data Protection Officer first.",
    "support_offer": "SUPPORT-MARK: someone can go through the records with you.",
}

TODAY = date(2026, 3, 16)  # a Monday


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.IG_OFFICER, full_name="Ida Officer", email="ida@council.example", job_title="IG Officer")


@pytest.fixture
def dpo(make_user: Callable[..., User]) -> User:
    return make_user(Role.DPO, full_name="Dee Protection", email="dpo@council.example")


@pytest.fixture
def officer_client(client_as: Callable[..., FlaskClient], officer: User) -> FlaskClient:
    return client_as(user=officer)


@pytest.fixture
def dpo_client(client_as: Callable[..., FlaskClient], dpo: User) -> FlaskClient:
    return client_as(user=dpo)


@pytest.fixture
def art15(app: Any, dpo: User) -> dict[str, str]:
    service.update_supplementary(ART15, by=dpo)
    db.session.commit()
    return ART15


@pytest.fixture
def letter_case(make_case: Callable[..., Case], pin_today: Callable[[date], None]) -> Callable[..., Case]:
    """A case received on ``received`` whose subject (the requester) has an address and an email."""
    pin_today(TODAY)

    def make(received: date = date(2026, 3, 2), *, email: str = "alex.morgan@example.org", **fields: Any) -> Case:
        case = make_case(received, **fields)
        subject = case.subject
        subject.full_name = "Alex Jordan Morgan"
        subject.addresses = ["12 Mill Lane, Exampletown, EX2 3BB"]
        subject.emails = [email] if email else []
        subject.date_of_birth = date(2004, 5, 6)
        db.session.commit()
        return case

    return make


def pdf_text(content: bytes) -> str:
    """Every page's text, whitespace collapsed, as someone reading the PDF would find it."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def read_pdf() -> Callable[[bytes], str]:
    return pdf_text
