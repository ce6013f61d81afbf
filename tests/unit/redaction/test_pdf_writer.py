"""The streaming writer assembles pages from several PDFs, with a page laid over each and bookmarks, and what it
writes opens in every reader and passes the library's own check."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdf_fixtures as fx
import pikepdf
import pytest
from reportlab.pdfgen import canvas

from redaction import page_texts, verify_pdf
from redaction.pdf.writer import StreamingPdfWriter
from redaction.verify import check


def _pdf(lines_per_page: list[str], size: tuple[float, float] = (595.0, 842.0), font: str = "Helvetica") -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=size)
    for line in lines_per_page:
        c.setFont(font, 11)
        c.drawString(40, size[1] - 60, line)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _assemble(out: Path, *, outline: list[tuple[str, int]]) -> None:
    first = pikepdf.open(io.BytesIO(_pdf(["Letter page one", "Letter page two"])))
    # Another file whose objects carry the same numbers as the first's: each must keep its own font and text.
    second = pikepdf.open(io.BytesIO(_pdf(["Record page one"], size=(842.0, 595.0), font="Courier")))
    footers = pikepdf.open(io.BytesIO(_pdf(["Footer 1 of 3", "Footer 2 of 3"])))
    footers_landscape = pikepdf.open(io.BytesIO(_pdf(["Footer 3 of 3"], size=(842.0, 595.0))))
    with out.open("wb") as handle:
        writer = StreamingPdfWriter(handle)
        for index in range(2):
            writer.copy_page(first.pages[index], source=first, overlay=footers.pages[index], overlay_source=footers)
        writer.forget(first)
        first.close()
        writer.copy_page(
            second.pages[0], source=second, overlay=footers_landscape.pages[0], overlay_source=footers_landscape
        )
        writer.finish({"/Title": "Disclosure"}, outline=outline)
    for pdf in (second, footers, footers_landscape):
        pdf.close()


def test_pages_from_several_files_keep_their_own_text_with_the_overlay_over_each(tmp_path: Path) -> None:
    out = tmp_path / "bundle.pdf"
    _assemble(out, outline=[("Letter", 0), ("1. Record", 2)])
    texts = [" ".join(page.text.split()) for page in page_texts(str(out))]
    assert len(texts) == 3
    assert "Letter page one" in texts[0] and "Footer 1 of 3" in texts[0]
    assert "Letter page two" in texts[1] and "Footer 2 of 3" in texts[1]
    assert "Record page one" in texts[2] and "Footer 3 of 3" in texts[2]
    with pikepdf.open(out) as pdf:
        assert [float(v) for v in pdf.pages[2].mediabox] == [0, 0, 842, 595]
        fonts = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
        assert {"/Helvetica", "/Courier"} <= fonts
        assert str(pdf.docinfo.Title) == "Disclosure"


def test_bookmarks_open_their_pages_as_pikepdf_writes_them(tmp_path: Path) -> None:
    out = tmp_path / "bundle.pdf"
    _assemble(out, outline=[("Letter", 0), ("1. Record of Zoë Łukasz", 2)])
    with pikepdf.open(out) as pdf, pdf.open_outline() as outline:
        found = [(item.title, pdf.pages.index(pikepdf.Page(item.destination[0]))) for item in outline.root]
        assert found == [("Letter", 0), ("1. Record of Zoë Łukasz", 2)]
        assert outline.root[0].destination[1] == pikepdf.Name.Fit


def test_a_bookmark_to_a_page_that_is_not_there_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="page 4 of 3"):
        _assemble(tmp_path / "bundle.pdf", outline=[("Nowhere", 3)])


def test_the_written_file_passes_the_check_bookmarks_and_all(tmp_path: Path) -> None:
    out = tmp_path / "bundle.pdf"
    _assemble(out, outline=[("Letter", 0), ("1. Record", 1), ("2. Record", 2)])
    report = verify_pdf(out, ["Gary Pollard"], ["Record page one"], use_ocr=False)
    # A bookmark links to its neighbours with /Prev: that is not an earlier revision of the file.
    assert [str(p) for p in report.problems] == [
        "document: the document has bookmarks (their titles can hold names) (/Outlines)"
    ]


def test_a_bookmark_link_split_between_chunks_is_not_taken_for_an_earlier_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "bundle.pdf"
    _assemble(out, outline=[(f"{n}. Record", n % 3) for n in range(40)])
    data = out.read_bytes()
    at = data.index(b"/Prev ")
    for size in range(at - 4, at + 12):  # every cut through "/Prev 12 0 R"
        monkeypatch.setattr(check._FileData, "CHUNK", size)
        assert check._FileData(out, "bundle").revision_markers() == (1, False), size


def test_an_incremental_update_is_still_found_when_read_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "updated.pdf"
    path.write_bytes(fx.incremental_update(fx.text_pdf()))
    data = path.read_bytes()
    at = data.rindex(b"/Prev")
    for size in (at - 3, at + 2, at + 7, 1 << 20):
        monkeypatch.setattr(check._FileData, "CHUNK", size)
        assert check._FileData(path, "updated").revision_markers() == (2, True), size


def test_the_overlay_on_a_rotated_page_is_placed_as_qpdf_places_it(tmp_path: Path) -> None:
    def rotated() -> pikepdf.Pdf:
        pdf = pikepdf.open(io.BytesIO(_pdf(["Turned page"])))
        pdf.pages[0].Rotate = 90
        return pdf

    footer = pikepdf.open(io.BytesIO(_pdf(["Footer 1 of 1"])))
    expected_pdf = rotated()
    page = expected_pdf.pages[0]
    page.add_overlay(footer.pages[0], pikepdf.Rectangle(*[float(v) for v in page.mediabox]))
    expected = re.findall(rb"[-\d. ]+ cm\n/\S+ Do", page.Contents.read_bytes())[-1].split(b" cm")[0]
    source = rotated()
    out = tmp_path / "bundle.pdf"
    with out.open("wb") as handle:
        writer = StreamingPdfWriter(handle)
        writer.copy_page(source.pages[0], source=source, overlay=footer.pages[0], overlay_source=footer)
        writer.finish({})
    with pikepdf.open(out) as pdf:
        written = pdf.pages[0]
        assert written.Rotate == 90
        placed = re.findall(rb"[-\d. ]+ cm\n/\S+ Do", written.Contents[-1].read_bytes())[-1].split(b" cm")[0]
    assert placed == expected
