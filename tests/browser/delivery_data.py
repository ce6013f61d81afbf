"""A released bundle on a live-server case, made as a release leaves it, for the delivery pages' browser tests.

The plain built PDF and its AES-256 encrypted copy in the file store, the gate passed, only a hash of the password
kept: what sar.bundle.release leaves behind. tests/browser/test_whole_case.py reaches the same state through the
real builder, gate and release; the pages here are about delivery alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import Flask
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas
from werkzeug.security import generate_password_hash

from sar.cases.models import Case
from sar.db import utcnow
from sar.extensions import db
from sar.storage import get_store

PASSWORD = "Harbour-Tulip-7315"
REQUESTER_EMAIL = "browser.requester@example.org"


@dataclass(frozen=True)
class ReleasedBundle:
    case_id: int
    reference: str
    bundle_id: int
    password: str


def released_bundle(app: Flask, case_id: int) -> ReleasedBundle:
    from sar.bundle.models import Bundle, BundleStatus

    with app.app_context():
        case = db.session.get_one(Case, case_id)
        person = case.requester or case.subject
        assert person is not None
        if REQUESTER_EMAIL not in person.emails:
            person.emails = [*person.emails, REQUESTER_EMAIL]
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, invariant=1)
        pdf.drawString(72, 780, f"{case.reference} Bundle page 1 of 1")
        pdf.showPage()
        pdf.save()
        plain = buffer.getvalue()
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
        writer.encrypt(user_password=PASSWORD, owner_password=PASSWORD, algorithm="AES-256")
        encrypted = io.BytesIO()
        writer.write(encrypted)
        bundle = Bundle(
            case_id=case.id,
            build_number=99,
            status=BundleStatus.RELEASED,
            page_count=1,
            document_count=1,
            built_key=get_store().put(plain).key,
            built_size=len(plain),
            built_at=utcnow(),
            gate_passed=True,
            gate_checked_at=utcnow(),
            password_hash=generate_password_hash(PASSWORD),
            released_at=utcnow(),
        )
        bundle.store_file(encrypted.getvalue(), media_type="application/pdf", original_name=f"{case.reference}.pdf")
        db.session.add(bundle)
        db.session.commit()
        return ReleasedBundle(case.id, case.reference, bundle.id, PASSWORD)


def delivery_link(app: Flask, released: ReleasedBundle) -> tuple[int, str]:
    """A link to the released bundle made through the service, as an officer would; returns (link id, token)."""
    from sqlalchemy import select

    from sar.auth.models import Role, User
    from sar.bundle.delivery import service
    from sar.bundle.delivery.models import PasswordChannel
    from sar.bundle.models import Bundle

    with app.app_context(), app.test_request_context():
        case = db.session.get_one(Case, released.case_id)
        officer = next(u for u in db.session.scalars(select(User)) if u.active and Role.IG_OFFICER in u.roles)
        issued = service.create_link(
            case,
            db.session.get_one(Bundle, released.bundle_id),
            to_address=REQUESTER_EMAIL,
            channel=PasswordChannel.SMS,
            password=released.password,
            by=officer,
        )
        db.session.commit()
        return issued.link.id, issued.url.rstrip("/").rpartition("/")[2]
