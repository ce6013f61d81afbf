"""A redacted page of plain text stays a crisp one-bit image at any resolution the caller asks for.

At some resolutions PDFium's render comes back a pixel off the page's size; stretching it by a pixel with smoothing
greyed every edge, and the page went out as a blurred JPEG twenty times the size.
"""

from __future__ import annotations

import io

import pdf_fixtures as fx
import pikepdf
import pytest

from redaction import Span, page_texts, redact_pdf


@pytest.mark.parametrize("dpi", [96, 150, 200, 300])
def test_a_burned_text_page_is_a_one_bit_image(dpi: int) -> None:
    # A full page of text: every glyph edge a blur would grey counts against the one-bit test.
    source = fx.text_pdf([fx.LINE] * 40)
    spans = {t.index: [Span(s, e, "TP") for s, e in fx.spans_of(t.text, fx.NAME)] for t in page_texts(source)}
    out = redact_pdf(source, spans, dpi=dpi)
    with pikepdf.open(io.BytesIO(out)) as pdf:
        images = list(pdf.pages[0].get_images().values())
        assert images, "the redacted page is rebuilt from an image of itself"
        for image in images:
            assert (image.get("/Filter"), int(image.get("/BitsPerComponent"))) == ("/FlateDecode", 1)
