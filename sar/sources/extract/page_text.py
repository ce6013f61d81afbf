"""Page text with word boxes for a PDF page, through the redaction library.

The redaction library owns how text is read off a PDF page (it is what the bundle redacts with),
so gathering calls it from the one function below (INTERFACES item 7): when the library's public
page-text API changes, only :func:`read_page` changes.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from redaction.pdf_layout import extract_text
from sar.sources.extract.model import PageText

Word = tuple[int, int, float, float, float, float]


def read_page(page: pdfium.PdfPage, number: int) -> PageText:
    """The text of one page and a box per word (points, origin top-left), as the redaction library reads it."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        layout = extract_text(textpage, number - 1)
    finally:
        textpage.close()
    words: list[Word] = []
    text = layout.text
    start: int | None = None
    for i in range(len(text) + 1):
        boundary = i == len(text) or text[i].isspace()
        if boundary and start is not None:
            boxes = [b for b in layout.boxes[start:i] if b is not None]
            if boxes:
                left = min(b[0] for b in boxes)
                bottom = min(b[1] for b in boxes)
                right = max(b[2] for b in boxes)
                top = max(b[3] for b in boxes)
                words.append((start, i, left, height - top, right, height - bottom))
            start = None
        elif not boundary and start is None:
            start = i
    return PageText(number, float(width), float(height), text, words, ocr=False)
