"""The check of a long file on disk walks its objects a batch at a time (redaction.verify.walk) instead of holding the
whole file in qpdf: it must be exactly as strict as the whole-file check, and hand anything it cannot check exactly
to that check."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path

import pdf_fixtures as fx
import pytest
from reportlab.pdfgen import canvas

from redaction import verify_pdf
from redaction.pdf import xref
from redaction.verify import check

NAME = "Gary Pollard"
PAGE = b"BT /F1 12 Tf 72 720 Td (Nothing to see here) Tj ET"


def _objects(content: bytes, extra: dict[int, bytes] | None = None, catalog: bytes = b"") -> dict[int, bytes]:
    """A one-page PDF's objects: 1 catalog, 2 page tree, 3 page, 4 contents, 5 font, 6 document information."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R" + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: _stream(content, compress=True),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        6: b"<< /Title (Disclosure) >>",
    }
    objects.update(extra or {})
    return objects


def _stream(data: bytes, *, compress: bool, extra: bytes = b"") -> bytes:
    body = zlib.compress(data) if compress else data
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s%s >>\nstream\n%s\nendstream" % (len(body), flate, extra, body)


def _file(objects: dict[int, bytes], start: int = 0, prev: int | None = None, size: int | None = None) -> bytes:
    """The objects and a cross-reference table, as one revision starting at byte ``start`` of the file."""
    out = b"" if start else b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = start + len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = start + len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    count = size or max(offsets) + 1
    previous = b" /Prev %d" % prev if prev is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (count, previous, xref)
    return out


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The file must be checked by the walk: opening it whole in qpdf fails the test."""

    def whole_file(self: object) -> None:
        raise AssertionError("the file was checked the whole-file way")

    monkeypatch.setattr(check._FileData, "open_pike", whole_file)
    yield


def _problems(path: Path, forbidden: tuple[str, ...] = (NAME,)) -> list[str]:
    report = verify_pdf(path, forbidden, (), use_ocr=False, engines=("pdfium",))
    assert report.readable
    return [str(p) for p in report.problems]


def test_a_clean_file_is_walked_and_passes(tmp_path: Path, walked: None) -> None:
    path = tmp_path / "clean.pdf"
    path.write_bytes(_file(_objects(PAGE)))
    report = verify_pdf(path, [NAME], ["Nothing to see"], use_ocr=False, engines=("pdfium",))
    assert report.clean, report.problems
    assert report.checks == ["structure", "text (PDFium)", "raw streams and strings", "OCR skipped (--no-ocr)"]


def test_a_name_in_a_compressed_content_stream_is_found(tmp_path: Path, walked: None) -> None:
    # A comment in the page's content: no text engine shows it, and the raw bytes hold it only compressed.
    path = tmp_path / "content.pdf"
    path.write_bytes(_file(_objects(PAGE + b"\n% " + NAME.encode() + b" was here\n")))
    assert NAME.encode() not in path.read_bytes()
    assert _problems(path) == [f'stream 4: "{NAME}" is present in the bytes (UTF-8)']


def test_a_name_in_an_unreferenced_object_is_found(tmp_path: Path, walked: None) -> None:
    hidden = _stream(b"BT (" + NAME.encode() + b") Tj ET", compress=True)
    path = tmp_path / "unreferenced.pdf"
    path.write_bytes(_file(_objects(PAGE, {7: hidden, 8: b"<< /Note (" + NAME.encode() + b") >>"})))
    found = _problems(path)
    assert f'stream 7: "{NAME}" is present in the bytes (UTF-8)' in found
    assert any(p.startswith("strings:") and NAME in p for p in found)


def test_a_name_in_an_incremental_update_or_the_revision_it_replaced_is_found(tmp_path: Path, walked: None) -> None:
    # The first revision's page content names the person (compressed); the update replaces it and adds an object
    # that names them too. Both revisions' objects are searched, not only the newest.
    first = _file(_objects(PAGE + b"\n% " + NAME.encode() + b"\n"))
    xref = int(first.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    update = {4: _stream(PAGE, compress=True), 7: _stream(b"(Rang " + NAME.encode() + b")", compress=True)}
    path = tmp_path / "updated.pdf"
    path.write_bytes(first + _file(update, start=len(first), prev=xref, size=8))
    found = _problems(path)
    assert f'stream 4: "{NAME}" is present in the bytes (UTF-8)' in found  # the replaced version
    assert f'stream 7: "{NAME}" is present in the bytes (UTF-8)' in found  # the update's own object
    assert any("end-of-file markers" in p for p in found)
    assert any("earlier revision (/Prev)" in p for p in found)


def test_a_name_in_metadata_or_bookmarks_is_found(tmp_path: Path, walked: None) -> None:
    title = NAME.encode("utf-16-be")
    outline = {
        7: b"<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>",
        8: b"<< /Title <feff" + title.hex().encode() + b"> /Parent 7 0 R /Dest [3 0 R /Fit] >>",
        9: _stream(
            b"<x:xmpmeta><dc:creator>" + NAME.encode() + b"</dc:creator></x:xmpmeta>",
            compress=True,
            extra=b" /Type /Metadata /Subtype /XML",
        ),
        6: b"<< /Title (Disclosure) /Author (" + NAME.encode() + b") >>",
    }
    path = tmp_path / "bookmarks.pdf"
    path.write_bytes(_file(_objects(PAGE, outline, catalog=b" /Outlines 7 0 R /Metadata 9 0 R")))
    found = _problems(path)
    assert "document: the document has bookmarks (their titles can hold names) (/Outlines)" in found
    assert "metadata: document information has a field outside the allow-list (/Author)" in found
    assert f'stream 9: "{NAME}" is present in the bytes (UTF-8)' in found
    assert f'strings: "{NAME}" is in a string object (metadata, annotation or bookmark)' in found


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(b"<< /Length 20 /Filter /FlateDecode >>\nstream\nthis is not deflate\nendstream", id="bad-data"),
        pytest.param(b"<< /Length 900 >>\nstream\n" + PAGE + b"\nendstream", id="wrong-length"),
        pytest.param(_stream(b"BT (unterminated Tj ET", compress=True), id="bad-content"),
    ],
)
def test_a_malformed_stream_is_not_passed_by_the_walk(tmp_path: Path, broken: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(_file(_objects(PAGE, {4: broken})))
    # The walk refuses it (qpdf warned), so the whole-file check reports it in its own words.
    assert check._verify_streamed(check._FileData(path, "x"), "x", [], [], False, check._Options()) is None
    report = verify_pdf(path, [NAME], (), use_ocr=False, engines=("pdfium",))
    assert not report.clean
    assert any("not well-formed" in str(p) or "damaged" in str(p) for p in report.problems), report.problems


def test_what_the_walk_cannot_follow_is_checked_the_whole_file_way(tmp_path: Path) -> None:
    # Object streams (PDF 1.5 compression) are not walked: the whole-file check still finds the leak.
    import pikepdf

    source = tmp_path / "source.pdf"
    source.write_bytes(_file(_objects(PAGE, {7: b"<< /Note (" + NAME.encode() + b") >>"}, catalog=b" /X 7 0 R")))
    packed = tmp_path / "packed.pdf"
    with pikepdf.open(source) as pdf:
        pdf.save(packed, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    with pytest.raises(xref.Unsupported):
        xref.XrefIndex(packed)
    assert any(p.startswith("strings:") for p in _problems(packed))


@pytest.mark.parametrize(
    "make",
    [
        lambda: fx.text_pdf(["Nothing to see"], author=fx.NAME),
        lambda: fx.with_annotation(fx.text_pdf(["Nothing to see"])),
        lambda: fx.with_attachment(fx.text_pdf(["Nothing to see"])),
        lambda: fx.with_javascript(fx.text_pdf(["Nothing to see"])),
        lambda: fx.incremental_update(fx.text_pdf()),
        lambda: fx.box_over_text(),
    ],
    ids=["author", "annotation", "attachment", "javascript", "incremental", "box"],
)
def test_the_walk_reports_what_the_whole_file_check_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: object
) -> None:
    path = tmp_path / "case.pdf"
    path.write_bytes(make())  # type: ignore[operator]
    streamed = verify_pdf(path, [fx.NAME], (), use_ocr=False, engines=("pdfium",))
    monkeypatch.setattr(check, "_verify_streamed", lambda *args: None)
    whole = verify_pdf(path, [fx.NAME], (), use_ocr=False, engines=("pdfium",))
    assert set(whole.problems) <= set(streamed.problems)
    assert streamed.checks == whole.checks and streamed.clean == whole.clean


def test_page_text_is_read_a_range_of_pages_at_a_time_without_missing_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, walked: None
) -> None:
    monkeypatch.setattr(check._Pdfium, "REOPEN_EVERY", 2)  # pages 1-2, 3-4 and 5 are read through three views
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    for n in range(1, 6):
        c.drawString(72, 780, f"Line for page {n}" + (f" with {NAME}" if n in (3, 5) else ""))
        c.showPage()
    c.save()
    path = tmp_path / "five.pdf"
    path.write_bytes(buffer.getvalue())
    found = _problems(path)
    assert [p.split(":")[0] for p in found if "text layer" in p] == ["page 3", "page 5"]
