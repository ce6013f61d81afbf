"""Fixtures for secure delivery: a case whose requester has an email address, and a released bundle on it.

The bundle is made the way a release leaves it (the built plain PDF, the gate passed, the AES-256 encrypted copy in
the file store, only the password's hash kept), so these tests exercise delivery alone; the whole path from a
signed-off case through the real builder and gate is walked in tests/browser/test_whole_case.py.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from werkzeug.security import generate_password_hash

from sar.auth.models import User
from sar.bundle import gate
from sar.bundle.models import Bundle, BundleStatus
from sar.cases.models import Case
from sar.db import utcnow
from sar.extensions import db
from sar.storage import get_store

PASSWORD = "Tulip-Harbour-4821"
REQUESTER_EMAIL = "alex.morgan@example.org"


def plain_pdf(text: str = "Bundle page 1 of 1: your records") -> bytes:
    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=A4)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return output.getvalue()


def encrypt(content: bytes, password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_text(content: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        assert password is not None, "the PDF is encrypted"
        assert reader.decrypt(password), "the password does not open the PDF"
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@dataclass
class Released:
    case: Case
    bundle: Bundle
    password: str
    encrypted: bytes
    plain: bytes


@pytest.fixture
def officer_client(client_as: Callable[..., FlaskClient], officer: User) -> FlaskClient:
    return client_as(user=officer)


@pytest.fixture
def delivery_case(make_case: Callable[..., Case]) -> Case:
    case = make_case(date(2026, 3, 2))
    subject = case.subject
    subject.full_name = "Alex Jordan Morgan"
    subject.addresses = ["12 Mill Lane, Exampletown, EX2 3BB"]
    subject.emails = [REQUESTER_EMAIL]
    db.session.commit()
    return case


@pytest.fixture
def make_bundle(app: object) -> Callable[..., Bundle]:
    def make(case: Case, *, status: BundleStatus = BundleStatus.RELEASED, gate_passed: bool = True) -> Bundle:
        plain = plain_pdf(f"{case.reference} Bundle page 1 of 1")
        bundle = Bundle(
            case_id=case.id,
            status=status,
            page_count=1,
            document_count=1,
            built_key=get_store().put(plain).key,
            built_size=len(plain),
            built_at=utcnow(),
            gate_passed=gate_passed,
            gate_checked_at=utcnow(),
        )
        if status is BundleStatus.RELEASED:
            bundle.password_hash = generate_password_hash(PASSWORD)
            bundle.released_at = utcnow()
            bundle.store_file(
                encrypt(plain, PASSWORD), media_type="application/pdf", original_name=f"{case.reference}-records.pdf"
            )
        db.session.add(bundle)
        db.session.flush()
        # The verdict sealed to the file, as the release gate leaves it.
        bundle.gate_sha256 = bundle.built_key
        bundle.gate_seal = gate.seal(bundle.id, bundle.built_key, gate_passed)
        db.session.commit()
        return bundle

    return make


@pytest.fixture
def released(delivery_case: Case, make_bundle: Callable[..., Bundle]) -> Released:
    bundle = make_bundle(delivery_case)
    return Released(
        case=delivery_case,
        bundle=bundle,
        password=PASSWORD,
        encrypted=bundle.read_file(),
        plain=get_store().open(bundle.built_key or ""),
    )
