"""Fixtures for gathering: files made by the tests, and running the job queue to the end."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from support import pdf_of_pages

from sar.cases.models import Case


def make_pdf(lines: list[str], *, pages: int = 1) -> bytes:
    """The lines on every page, each line after the first page marked with its page number."""
    return pdf_of_pages([lines] + [[f"{line} (page {page + 1})" for line in lines] for page in range(1, pages)])


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
def files(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write
