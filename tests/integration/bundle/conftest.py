"""A signed-off case with two documents, a third party redacted and a page withheld: what every bundle test starts
from, plus helpers to open the built and released files."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from sar.auth.models import Role, User
from sar.bundle.letters import service as letters
from sar.bundle.models import Bundle
from sar.extensions import db
from sar.review import service as review
from sar.review import signoff
from sar.review.models import PageWithheld
from sar.sources import ingest
from sar.sources.models import Document
from sar.storage import get_store
from tests.integration.letters.conftest import ART15
from tests.integration.review.conftest import ReviewCase, reviewed  # noqa: F401 - fixtures
from tests.integration.sources.conftest import make_pdf

__all__ = ["ART15", "SignedOff", "bundle_text", "page_texts"]


@dataclass
class SignedOff:
    reviewed: ReviewCase
    reviewer: User
    dpo: User

    @property
    def case(self):  # type: ignore[no-untyped-def]
        return self.reviewed.case


@pytest.fixture
def dpo(make_user: Callable[..., User]) -> User:
    return make_user(Role.DPO, full_name="Dee Protection", email="dpo@council.example")


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    return make_user(Role.IG_OFFICER, full_name="Rita Reviewer", email="rita@council.example", job_title="IG Officer")


REPORT = ["Assessment report about Ayesha Khan.", "Written by the assessment team for the panel."]


@pytest.fixture
def signed_off(
    reviewed: ReviewCase,  # noqa: F811
    reviewer: User,
    dpo: User,
    run_jobs: Callable[[], None],  # noqa: F811
) -> SignedOff:
    """Every proposal accepted (Gary Pollard redacted as TP), a box drawn over "Friday" on the note, page 2 of a
    three-page report withheld, signed off by a second person; the council's Art 15 information set up."""
    letters.update_supplementary(ART15, by=dpo)
    report = ingest.add_file(
        reviewed.case, "report.pdf", io.BytesIO(make_pdf(REPORT, pages=3)), source="upload", by=None, by_label="test"
    ).document
    assert report is not None
    run_jobs()
    report = db.session.get_one(Document, report.id)
    review.accept_all_proposed(reviewed.case, by=reviewer)
    note_page = next(p for p in db.session.get_one(Document, reviewed.note.id).pages if p.number == 1)
    friday = note_page.text.index("Friday")
    words = [w for w in note_page.words if w[0] <= friday < w[1]]
    x0, y0, x1, y1 = words[0][2:6]
    review.redact_box(reviewed.note, 1, (x0 - 1, y0 - 1, x1 + 1, y1 + 1), by=reviewer, code="TP")
    review.withhold_page(report, 2, by=reviewer, code="TP", reason="About another child")
    db.session.commit()
    signoff.mark_ready(reviewed.case, by=reviewer)
    signoff.sign_off(reviewed.case, by=dpo)
    db.session.commit()
    assert db.session.query(PageWithheld).count() == 1
    return SignedOff(reviewed, reviewer, dpo)


def page_texts(path: Path | bytes, password: str | None = None) -> list[str]:
    doc = pdfium.PdfDocument(path if isinstance(path, bytes) else str(path), password=password)
    try:
        texts = []
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            texts.append(" ".join(textpage.get_text_range().split()))
            textpage.close()
            page.close()
        return texts
    finally:
        doc.close()


def built_bytes(bundle: Bundle) -> bytes:
    assert bundle.built_key
    return get_store().open(bundle.built_key)


def bundle_text(bundle: Bundle) -> list[str]:
    return page_texts(built_bytes(bundle))


def as_file(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)
