"""Copying pages with nothing to redact: what a reader sees survives, what is hidden does not."""

from __future__ import annotations

import io

import pdf_fixtures as fx
import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from redaction import Span, page_texts, redact_pdf, redact_pdf_file, verify_pdf


def test_actual_text_hiding_a_name_is_seen_by_the_detector_and_removed() -> None:
    pdf = pikepdf.open(io.BytesIO(fx.text_pdf(["K. S. visited the office", "Another line"])))
    page = pdf.pages[0].obj
    page.Contents.write(b"/Span << /ActualText (Kayla Smith) >> BDC\n" + page.Contents.read_bytes() + b"\nEMC")
    buffer = io.BytesIO()
    pdf.save(buffer)
    data = buffer.getvalue()

    text = next(iter(page_texts(data))).text
    assert fx.NAME in text  # PDFium reads the replacement text, so the detector finds the name
    out = io.BytesIO()
    report = redact_pdf_file(data, out, {0: [Span(s, e) for s, e in fx.spans_of(text, fx.NAME)]})
    assert report.rasterised == [0]
    result = verify_pdf(out.getvalue(), [fx.NAME], use_ocr=False)
    assert result.clean, result.problems


def test_pages_with_hidden_text_are_rebuilt_even_with_nothing_to_redact() -> None:
    out = io.BytesIO()
    report = redact_pdf_file(fx.hidden_ocr_layer(), out, {})
    assert report.rasterised == [0]
    result = verify_pdf(out.getvalue(), (), [fx.KEEP], use_ocr=False)
    assert result.clean, result.problems


def test_filled_form_field_is_flattened_so_its_value_can_be_redacted() -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.drawString(72, 800, "Referral form")
    c.acroForm.textfield(name="referrer", value=fx.NAME, x=72, y=700, width=200, height=20)
    c.showPage()
    c.save()
    data = buffer.getvalue()

    text = next(iter(page_texts(data))).text
    assert fx.NAME in text  # the detector gets to see the field's value
    out = redact_pdf(data, {0: [Span(s, e) for s, e in fx.spans_of(text, fx.NAME)]})
    result = verify_pdf(out, [fx.NAME], ["Referral form"], use_ocr=False)
    assert result.clean, result.problems


def test_shared_forms_and_fonts_survive_copying() -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.beginForm("header")
    c.drawString(72, 820, "Council header")
    c.endForm()
    for number in range(3):
        c.doForm("header")
        c.drawString(72, 700, f"Body text page {number}")
        c.showPage()
    c.save()

    out = redact_pdf(buffer.getvalue(), {})
    result = verify_pdf(out, (), ["Council header", "Body text page 2"], use_ocr=False)
    assert result.clean, result.problems
    copied = pikepdf.open(io.BytesIO(out))
    forms = {page.Resources.XObject["/FormXob.header"].objgen for page in copied.pages}
    assert len(forms) == 1  # written once, shared by every page


def test_a_file_protected_only_against_editing_is_read_and_written_unprotected() -> None:
    pdf = pikepdf.open(io.BytesIO(fx.text_pdf()))
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=pikepdf.Encryption(user="", owner="owner-secret"))
    out = redact_pdf(buffer.getvalue(), {})
    result = verify_pdf(out, (), [fx.NAME], use_ocr=False)
    assert result.clean, result.problems


def test_links_to_other_pages_do_not_drag_a_redacted_page_back_in() -> None:
    source = fx.text_pdf(pages=2)
    pdf = pikepdf.open(io.BytesIO(source))
    # A resource that points at another page: following it would copy page 2 unredacted.
    pdf.pages[0].obj.Resources.Properties = pikepdf.Dictionary(Ref=pikepdf.Dictionary(Pg=pdf.pages[1].obj))
    buffer = io.BytesIO()
    pdf.save(buffer)
    data = buffer.getvalue()
    texts = list(page_texts(data))
    out = redact_pdf(data, {1: [Span(s, e) for s, e in fx.spans_of(texts[1].text, fx.NAME)]})
    result = verify_pdf(out, (), (), use_ocr=False)
    assert result.clean, result.problems
    assert out.count(b"(On Monday Kayla Smith") == 0
    assert len(pikepdf.open(io.BytesIO(out)).pages) == 2


def test_a_fake_redaction_in_the_input_is_made_real_even_with_nothing_else_to_redact() -> None:
    out = io.BytesIO()
    report = redact_pdf_file(fx.box_over_text(), out, {})
    assert report.rasterised == [0]
    assert "hidden under a drawn box" in report.warnings[0]
    result = verify_pdf(out.getvalue(), [fx.NAME], ["attended the meeting"], use_ocr=False)
    assert result.clean, result.problems
