"""Fixtures for gathering: files made by the tests, and running the job queue to the end."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from flask import Flask
from reportlab.pdfgen import canvas

from sar.cases.models import Case
from sar.extensions import db
from sar.jobs import run_worker


def make_pdf(lines: list[str], *, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for page in range(pages):
        y = 780
        for line in lines:
            pdf.drawString(72, y, line if page == 0 else f"{line} (page {page + 1})")
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    source = pikepdf.open(io.BytesIO(make_pdf(["Secret"])))
    out = io.BytesIO()
    source.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    return out.getvalue()


LETTER = [
    "Dear Ms Khan,",
    "Following the child protection conference on 12 March 2024 the plan for Ayesha was reviewed.",
    "The core group will meet every four weeks and the social worker will visit fortnightly.",
    "Please contact the Early Help team if anything changes at home before the next review.",
    "Yours sincerely, Jo Bloggs, Team Manager, Children's Social Care",
]


@pytest.fixture
def case(make_case: Callable[..., Case]) -> Case:
    return make_case(date(2026, 11, 2))


@pytest.fixture
def run_jobs(app: Flask) -> Callable[[], None]:
    def run() -> None:
        db.session.commit()
        # A context of its own, as a worker process has: the test's session and objects stay usable.
        with app.app_context():
            run_worker(once=True)
        db.session.expire_all()

    return run


@pytest.fixture
def files(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write
