"""PDFs: a born-digital PDF is its own working PDF; pages without a text layer are OCR-ed.

Opened with ``pypdfium2`` (Apache-2.0/BSD, already the redaction library's reader) so that the
pages gathering reads are the pages the bundle later redacts. Files attached inside a PDF are
children, as BC Gov's DocReviewer extracts them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pypdfium2 as pdfium

from sar.sources.extract.model import Child, Limits, PageText, Refused
from sar.sources.extract.names import child_path
from sar.sources.extract.ocr import OCR_DPI, ocr_page
from sar.sources.extract.page_text import read_page

_MAX_OCR_PIXELS = 60_000_000
_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+\-])?(\d{2})?'?(\d{2})?")


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Refused(
                "encrypted",
                "This PDF is protected by a password, so it cannot be read. "
                "Ask whoever supplied it for a copy without the password.",
            ) from exc
        raise Refused(
            "corrupt", "This PDF is damaged and cannot be opened. Ask whoever supplied it for a fresh copy."
        ) from exc


def read_pdf_pages(doc: pdfium.PdfDocument, limits: Limits) -> list[PageText]:
    count = len(doc)
    if count == 0:
        raise Refused("empty", "This PDF has no pages.")
    if count > limits.max_pages:
        raise Refused(
            "too_large",
            f"This PDF has {count} pages, more than the {limits.max_pages} the system reads at once. "
            "Split it into smaller files and add them again.",
        )
    pages: list[PageText] = []
    for index in range(count):
        try:
            page = doc[index]
        except pdfium.PdfiumError as exc:
            raise Refused(
                "corrupt",
                f"Page {index + 1} of this PDF is damaged and cannot be read. Ask for a fresh copy.",
            ) from exc
        try:
            text = read_page(page, index + 1)
            if not text.text.strip() and _has_images(page):
                # A poster-sized page at 300 dpi would need gigabytes: the resolution drops to fit the pixel budget.
                dpi = min(float(OCR_DPI), 72.0 * (_MAX_OCR_PIXELS / max(text.width * text.height, 1.0)) ** 0.5)
                image = page.render(scale=dpi / 72).to_pil()
                text = ocr_page(image, number=index + 1, dpi=dpi, width=text.width, height=text.height, limits=limits)
            pages.append(text)
        finally:
            page.close()
    return pages


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def pdf_info(doc: pdfium.PdfDocument) -> tuple[str, datetime | None, dict[str, str]]:
    """Title, creation date and author from the document information, when present."""
    try:
        info = doc.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        info = {}
    metadata = {key.lower(): str(value) for key, value in info.items() if key in ("Title", "Author", "Subject")}
    created = parse_pdf_date(info.get("CreationDate", ""))
    return info.get("Title", "").strip(), created, metadata


def parse_pdf_date(value: str) -> datetime | None:
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_hour, tz_minute = match.groups()
    try:
        tz = UTC
        if sign in ("+", "-") and tz_hour:
            offset = timedelta(hours=int(tz_hour), minutes=int(tz_minute or 0))
            tz = timezone(offset if sign == "+" else -offset)
        return datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None


def pdf_attachments(doc: pdfium.PdfDocument, folder: Path, limits: Limits) -> list[Child]:
    count = doc.count_attachments()
    if count > limits.max_children:
        raise Refused(
            "too_many_items",
            f"This PDF carries {count} attached files, more than the {limits.max_children} the system takes "
            "from one file. A person needs to split it.",
        )
    children: list[Child] = []
    for index in range(count):
        attachment = doc.get_attachment(index)
        name = attachment.get_name() or f"attachment {index + 1}"
        try:
            data = bytes(attachment.get_data())
        except pdfium.PdfiumError:
            # Kept as an empty child so the damaged attachment is listed, not lost.
            data = b""
        path = child_path(folder, index, name)
        path.write_bytes(data)
        children.append(Child(name, path, "embedded file"))
    return children
