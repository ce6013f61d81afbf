"""The verify options a caller that assembled the file itself uses (the disclosure bundle): which text engines, which
pages are OCR-checked, and on which pages must-keep strings count."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from redaction import verify_pdf


def _content_problems(report: object) -> list[str]:
    """Problems other than reportlab's own document information (Author, Subject...), which is not the point here."""
    return [str(p) for p in report.problems if p.where != "metadata"]  # type: ignore[attr-defined]


def _pdf(pages: list[str]) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    for text in pages:
        c.drawString(72, 780, text)
        c.showPage()
    c.save()
    return buffer.getvalue()


def test_must_keep_counts_only_on_the_pages_given() -> None:
    data = _pdf(["Cover letter to Ayesha Khan", "A record about someone else"])
    assert _content_problems(verify_pdf(data, (), ["Ayesha Khan"], use_ocr=False)) == []
    report = verify_pdf(data, (), ["Ayesha Khan"], use_ocr=False, must_keep_pages=[2])
    [problem] = _content_problems(report)
    assert "must be kept" in problem


def test_pdfium_alone_still_finds_a_leak_and_says_which_engine_ran() -> None:
    data = _pdf(["Nothing here", "Gary Pollard called"])
    report = verify_pdf(data, ["Gary Pollard"], (), use_ocr=False, engines=("pdfium",))
    assert any(p.startswith("page 2:") and "PDFium" in p for p in _content_problems(report))
    assert not any("pypdf" in p for p in _content_problems(report))
    assert "text (PDFium)" in report.checks
    with pytest.raises(ValueError, match="engines"):
        verify_pdf(data, (), (), engines=("tika",))


def test_ocr_is_limited_to_the_pages_given() -> None:
    data = _pdf(["Only text on this page"])
    report = verify_pdf(data, ["Gary Pollard"], (), ocr_pages=[])
    assert _content_problems(report) == [] and "OCR of 0 image page(s)" in report.checks
