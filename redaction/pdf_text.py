"""Plain text of a PDF, page by page, for detection from the command line.

Pages are joined with a form feed so offsets stay unambiguous. A page without a text layer is
read by OCR when Tesseract is available (through ``redaction.ocr``); otherwise it is reported as
unread, never silently treated as empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium

_OCR_DPI = 300


class PdfTextError(Exception):
    """The PDF cannot be read at all (encrypted, corrupt, truncated, no pages)."""


@dataclass(slots=True)
class PdfText:
    text: str
    pages: list[tuple[int, int]]  # each page's (start, end) offsets in ``text``
    warnings: list[str] = field(default_factory=list)


def _ocr_page(page: pdfium.PdfPage) -> str | None:
    try:
        from redaction import ocr
    except ImportError:
        return None
    try:
        if not ocr.tesseract_available():
            return None
        image = page.render(scale=_OCR_DPI / 72).to_pil()
        return str(ocr.ocr_text(image, dpi=_OCR_DPI))
    except Exception:  # noqa: BLE001 - OCR failure is reported as an unread page, not a crash
        return None


def extract_pdf_text(path: str) -> PdfText:
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise PdfTextError("the PDF is encrypted (password required)") from exc
        raise PdfTextError(f"the PDF cannot be opened: {message}") from exc
    try:
        n = len(doc)
        if n == 0:
            raise PdfTextError("the PDF has no pages")
        parts: list[str] = []
        pages: list[tuple[int, int]] = []
        warnings: list[str] = []
        pos = 0
        for i in range(n):
            page = doc[i]
            textpage = page.get_textpage()
            try:
                page_text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            finally:
                textpage.close()
            if not page_text.strip():
                ocr_text = _ocr_page(page)
                if ocr_text and ocr_text.strip():
                    page_text = ocr_text
                    warnings.append(f"page {i + 1} has no text layer; read by OCR")
                else:
                    warnings.append(f"page {i + 1} has no text layer and could not be read")
            page.close()
            if i:
                parts.append("\f")
                pos += 1
            parts.append(page_text)
            pages.append((pos, pos + len(page_text)))
            pos += len(page_text)
        return PdfText("".join(parts), pages, warnings)
    finally:
        doc.close()
