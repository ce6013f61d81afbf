"""The verify options a caller that assembled the file itself uses (the disclosure bundle): which text engines, which
pages are OCR-checked, and on which pages must-keep strings count."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from redaction import verify_pdf
from redaction.verify import check


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


def _streamed(path: object, forbidden: list[str]) -> list[str]:
    return _content_problems(verify_pdf(path, forbidden, (), use_ocr=False, engines=("pdfium",)))  # type: ignore[arg-type]


def test_a_file_on_disk_is_checked_in_small_chunks_without_missing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check._FileData, "CHUNK", 37)  # every string straddles a chunk boundary somewhere
    clean = tmp_path / "clean.pdf"
    clean.write_bytes(_pdf(["Nothing here"]))
    assert _streamed(clean, ["Gary Pollard"]) == []
    # A name left in an uncompressed comment of the raw file is found across chunk boundaries.
    leaky = tmp_path / "leaky.pdf"
    leaky.write_bytes(_pdf(["Nothing here"]).replace(b"\n", b"\n% Gary Pollard wrote this\n", 1))
    assert any("raw file" in p and "Gary Pollard" in p for p in _streamed(leaky, ["Gary Pollard"]))
    # An incremental update (a second revision) is caught, as it is for bytes.
    pdf = pikepdf.open(clean)
    pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (Changed) Tj ET")
    updated = tmp_path / "updated.pdf"
    pdf.save(updated)
    pdf.close()
    updated.write_bytes(clean.read_bytes() + updated.read_bytes()[updated.read_bytes().index(b"\n") :])
    assert any("end-of-file markers" in p for p in _streamed(updated, []))
    # Truncated and encrypted files are not clean.
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(clean.read_bytes()[:-100])
    assert any("incomplete" in p for p in _streamed(truncated, []))
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(clean) as source:
        source.save(locked, encryption=pikepdf.Encryption(owner="o", user="", R=6))
    assert any("encrypted" in p for p in _streamed(locked, []))
