"""Redacting PDFs: what is removed is gone everywhere, what is kept stays readable and searchable."""

from __future__ import annotations

import io

import pdf_fixtures as fx
import pikepdf
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from redaction import (
    Area,
    Finding,
    PdfReadProblem,
    Span,
    page_texts,
    redact_pdf,
    redact_pdf_file,
    sanitise,
    tesseract_available,
    verify_pdf,
)

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="Tesseract is not installed")


def name_spans(data: bytes, needle: str = fx.NAME) -> dict[int, list[Span]]:
    return {t.index: [Span(s, e, "TP") for s, e in fx.spans_of(t.text, needle)] for t in page_texts(data)}


def test_redacted_name_is_gone_and_the_rest_stays_searchable() -> None:
    source = fx.text_pdf(pages=3)
    out = redact_pdf(source, name_spans(source))

    report = verify_pdf(out, [fx.NAME], [fx.KEEP, "attended the meeting"], use_ocr=False)
    assert report.clean, report.problems
    assert report.pages == 3
    text = pdfium.PdfDocument(out)[0].get_textpage().get_text_range()
    assert "visited." in text and fx.NAME not in text


def test_box_is_solid_black_and_labelled_with_its_reason() -> None:
    source = fx.text_pdf()
    texts = list(page_texts(source))
    start, end = fx.spans_of(texts[0].text, fx.NAME)[0]
    finding = Finding(start, end, fx.NAME, "person", "third_party", "redact", "TP", "P1")
    out = redact_pdf(source, {0: [finding]})
    image = pdfium.PdfDocument(out)[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    left, bottom, right, top = texts[0].boxes_for(start, end)[0]
    k = 200 / 72
    height = image.height
    region = image.crop(
        (int(left * k) + 2, int(height - top * k) + 2, int(right * k) - 2, int(height - bottom * k) - 2)
    )
    histogram = region.histogram()
    assert histogram[0] > 0.6 * sum(histogram)  # mostly solid black
    assert sum(histogram[200:]) > 0  # with a white reason label on it


def test_keep_findings_are_left_visible() -> None:
    source = fx.text_pdf()
    start, end = fx.spans_of(next(iter(page_texts(source))).text, fx.NAME)[0]
    keep = Finding(start, end, fx.NAME, "person", "subject", "keep", None, "S")
    out = redact_pdf(source, {0: [keep]})
    assert verify_pdf(out, (), [fx.NAME], use_ocr=False).clean


def test_area_redaction_removes_text_under_the_box() -> None:
    source = fx.text_pdf()
    box = next(iter(page_texts(source))).boxes_for(*fx.spans_of(next(iter(page_texts(source))).text, fx.NAME)[0])[0]
    out = redact_pdf(source, {0: [Area(box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1, "SW-SH")]})
    assert verify_pdf(out, [fx.NAME], [fx.KEEP], use_ocr=False).clean


def test_hidden_ocr_layer_is_rebuilt_without_the_redacted_name() -> None:
    source = fx.hidden_ocr_layer()
    out = redact_pdf(source, name_spans(source))
    report = verify_pdf(out, [fx.NAME], [fx.KEEP], use_ocr=False)
    assert report.clean, report.problems


def test_pages_with_nothing_to_redact_are_copied_but_sanitised() -> None:
    source = fx.with_javascript(fx.with_attachment(fx.with_annotation(fx.text_pdf(["Nothing to see"], author=fx.NAME))))
    source = fx.with_xmp(source)
    out = sanitise(source)
    assert isinstance(out, bytes)
    report = verify_pdf(out, [fx.NAME], ["Nothing to see"], use_ocr=False)
    assert report.clean, report.problems
    pdf = pikepdf.open(io.BytesIO(out))
    assert "/XObject" not in pdf.pages[0].obj.Resources  # copied as vector text, not rasterised
    assert out.count(b"%%EOF") == 1


def test_output_is_the_same_size_page_for_page_and_keeps_rotation_visible() -> None:
    source = fx.text_pdf(pages=2)
    pdf = pikepdf.open(io.BytesIO(source))
    pdf.pages[1].Rotate = 90
    buffer = io.BytesIO()
    pdf.save(buffer)
    rotated = buffer.getvalue()
    out = redact_pdf(rotated, name_spans(rotated))
    sizes = [tuple(round(v) for v in page.get_size()) for page in pdfium.PdfDocument(out)]
    assert sizes == [(595, 842), (842, 595)]
    assert verify_pdf(out, [fx.NAME], [fx.KEEP], use_ocr=False).clean


def test_report_logs_every_box_with_page_offsets_and_reason(tmp_path: object) -> None:
    source = fx.text_pdf(pages=2)
    out = io.BytesIO()
    report = redact_pdf_file(source, out, name_spans(source))
    assert report.rasterised == [0, 1]
    assert [(b.page, b.text, b.reason) for b in report.boxes] == [(0, fx.NAME, "TP"), (1, fx.NAME, "TP")]


@needs_tesseract
def test_scanned_page_is_read_by_ocr_and_the_burned_name_cannot_be_read_back() -> None:
    source = fx.scanned_page()
    texts = list(page_texts(source))
    assert texts[0].source == "ocr"
    spans = fx.spans_of(texts[0].text, fx.NAME)
    assert spans, texts[0].text
    out = redact_pdf(source, {0: [Span(s, e) for s, e in spans]})
    report = verify_pdf(out, [fx.NAME], ["today"])
    assert report.clean, report.problems
    assert "OCR of 1 image page(s)" in report.checks


@needs_tesseract
def test_verify_ocr_catches_a_name_left_in_the_pixels() -> None:
    report = verify_pdf(fx.scanned_page(), [fx.NAME])
    assert not report.clean
    assert "read back from the page image by OCR" in str(report.problems)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (fx.encrypted(fx.text_pdf()), "password-protected"),
        (b"%PDF-1.7\n1 0 obj nonsense\n%%EOF\n", "damaged"),
        (fx.text_pdf()[: len(fx.text_pdf()) // 2], "truncated"),
        (fx.zero_pages(), "no pages"),
    ],
    ids=["encrypted", "corrupt", "truncated", "zero-pages"],
)
def test_unreadable_input_raises_a_plain_error_naming_the_file(data: bytes, expected: str) -> None:
    with pytest.raises(PdfReadProblem) as raised:
        redact_pdf(data, {}, name="case-42.pdf")
    assert str(raised.value).startswith("case-42.pdf: ")
    assert expected in raised.value.problem


def test_huge_page_counts_are_refused_before_any_work() -> None:
    from redaction.pdf.errors import open_pdf

    with pytest.raises(PdfReadProblem, match="more than the limit"):
        open_pdf(fx.text_pdf(pages=3), "big.pdf", max_pages=2)


def test_a_batch_carries_on_after_a_bad_file() -> None:
    results: dict[str, object] = {}
    for label, data in [("bad.pdf", b"%PDF-1.4 junk %%EOF"), ("good.pdf", fx.text_pdf())]:
        try:
            results[label] = len(redact_pdf(data, {}, name=label)) > 0
        except PdfReadProblem as exc:
            results[label] = exc.problem
    assert results["good.pdf"] is True
    assert "damaged" in str(results["bad.pdf"])


def test_findings_with_shifted_offsets_are_found_again_by_their_text() -> None:
    source = fx.text_pdf()
    start, end = fx.spans_of(next(iter(page_texts(source))).text, fx.NAME)[0]
    shifted = Finding(start + 2, end + 2, fx.NAME, "person", "third_party", "redact", "TP", "P1")
    missing = Finding(0, 5, "Zebedee", "person", "third_party", "redact", "TP", None)
    out = io.BytesIO()
    report = redact_pdf_file(source, out, {0: [shifted, missing]})
    assert verify_pdf(out.getvalue(), [fx.NAME], [fx.KEEP], use_ocr=False).clean
    assert report.unplaced == [(0, missing)]
    assert '"Zebedee" could not be found on the page' in report.warnings[0]


def test_oversized_pages_are_rendered_at_a_lower_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.pdf.burn as burn

    monkeypatch.setattr(burn, "MAX_PIXELS", 1_000_000)
    source = fx.text_pdf()
    out = redact_pdf(source, name_spans(source))
    pdf = pikepdf.open(io.BytesIO(out))
    page = pdf.pages[0]
    assert int(page.Resources.XObject.Im0.Width) * int(page.Resources.XObject.Im0.Height) <= 1_000_000
    assert [round(float(v)) for v in page.MediaBox] == [0, 0, 595, 842]
    assert verify_pdf(out, [fx.NAME], [fx.KEEP], use_ocr=False).clean


def test_a_scan_without_ocr_available_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import redaction.pdf.ocr as ocr_module

    monkeypatch.setattr(ocr_module, "tesseract_available", lambda: False)
    with pytest.raises(PdfReadProblem, match=r"^scan\.pdf: page 1 is a scanned image with no text"):
        redact_pdf_file(fx.scanned_page(), io.BytesIO(), {}, name="scan.pdf", detect=lambda text: [])


@needs_tesseract
def test_an_image_with_no_readable_text_is_flagged_for_checking_by_eye() -> None:
    blank = fx.scanned_page(text="")
    report = redact_pdf_file(blank, io.BytesIO(), {}, detect=lambda text: [])
    assert report.unread_pages == [0]
    assert "check it by eye" in report.warnings[0]


def test_colour_is_kept_where_the_page_has_colour_and_text_pages_stay_one_bit() -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for colour in ((0.9, 0.1, 0.1), None):
        c.setFont("Helvetica", 12)
        c.drawString(72, 760, fx.LINE)
        if colour:
            c.setFillColorRGB(*colour)
            c.rect(72, 600, 100, 40, fill=1, stroke=0)  # a red RAG rating
        c.showPage()
    c.save()
    source = buffer.getvalue()
    pdf = pikepdf.open(io.BytesIO(redact_pdf(source, name_spans(source))))
    images = [page.Resources.XObject.Im0 for page in pdf.pages]
    assert [str(i.ColorSpace) for i in images] == ["/DeviceRGB", "/DeviceGray"]
    assert int(images[1].BitsPerComponent) == 1
