"""Turning a gathered file into a working PDF with page text and word boxes (INTERFACES item 9).

This is the gathering app's minimal stand-in, for born-digital PDF and plain text only: the
``gather-extract`` branch owns this package and replaces it with the full version (Office, email,
archives, OCR) with exactly this API. It imports no Flask, no SQLAlchemy and no other sar stage.

Word boxes come from pdfium's character boxes (pypdfium2), the same engine the redaction library
reads PDFs with, so a box found here is where the redaction library will burn it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium

__all__ = ["Child", "Extraction", "Limits", "PageText", "Refusal", "extract", "typeset_record"]


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 100 * 1024 * 1024
    max_pages: int = 2000
    max_children: int = 1000
    max_depth: int = 5
    max_unpacked_bytes: int = 1024 * 1024 * 1024
    max_compression_ratio: float = 100.0
    conversion_timeout_s: float = 120.0
    ocr_timeout_s: float = 120.0


@dataclass
class PageText:
    number: int
    width: float
    height: float
    text: str
    words: list[tuple[int, int, float, float, float, float]]
    ocr: bool = False


@dataclass
class Refusal:
    code: str
    message: str


@dataclass
class Child:
    name: str
    path: Path
    relation: str


@dataclass
class Extraction:
    media_type: str
    kind: str
    title: str
    document_date: datetime | None
    metadata: dict[str, str]
    working_pdf: Path | None
    pages: list[PageText]
    children: list[Child] = field(default_factory=list)
    refusal: Refusal | None = None


def _refused(media_type: str, kind: str, title: str, code: str, message: str) -> Extraction:
    return Extraction(media_type, kind, title, None, {}, None, [], [], Refusal(code, message))


def _sniff(head: bytes) -> str | None:
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # a multi-byte character cut at the end of the sample is fine
            return None
    return "text/plain"


def extract(path: Path, *, original_name: str, workdir: Path, limits: Limits) -> Extraction:
    """Read one file; never raises for a bad file: the reason is in ``refusal``."""
    title = original_name or path.name
    size = path.stat().st_size
    if size == 0:
        return _refused("application/octet-stream", "text", title, "empty", "The file is empty.")
    if size > limits.max_file_bytes:
        return _refused(
            "application/octet-stream", "text", title, "too_large",
            f"The file is {size / 1048576:.1f} MB, more than the {limits.max_file_bytes / 1048576:.0f} MB "
            "this service reads.",
        )  # fmt: skip
    with path.open("rb") as handle:
        head = handle.read(8192)
    media_type = _sniff(head)
    if media_type == "application/pdf":
        return _extract_pdf(path, title, limits)
    if media_type == "text/plain":
        text = path.read_bytes().decode("utf-8", errors="replace")
        if not text.strip():
            return _refused(media_type, "text", title, "empty", "The file has no text in it.")
        out = workdir / "text.pdf"
        typeset_record(title, [("", text)], out)
        result = _extract_pdf(out, title, limits)
        result.media_type, result.kind = media_type, "text"
        return result
    return _refused(
        "application/octet-stream", "text", title, "unsupported",
        "This kind of file cannot be read here yet. Open it in the program that made it and save it as a PDF.",
    )  # fmt: skip


def _pdf_date(raw: str) -> datetime | None:
    digits = raw[2:16] if raw.startswith("D:") else raw[:14]
    try:
        return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _extract_pdf(path: Path, title: str, limits: Limits) -> Extraction:
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            return _refused(
                "application/pdf", "pdf", title, "encrypted",
                "The PDF is protected by a password. Ask whoever sent it for an unprotected copy.",
            )  # fmt: skip
        return _refused(
            "application/pdf", "pdf", title, "corrupt",
            "The PDF is damaged and cannot be opened. Ask whoever sent it for a fresh copy.",
        )  # fmt: skip
    try:
        if len(document) == 0:
            return _refused("application/pdf", "pdf", title, "empty", "The PDF has no pages.")
        if len(document) > limits.max_pages:
            return _refused(
                "application/pdf", "pdf", title, "too_large",
                f"The PDF has {len(document)} pages, more than the {limits.max_pages} this service reads in one file.",
            )  # fmt: skip
        metadata = {k.lower(): str(v) for k, v in document.get_metadata_dict(skip_empty=True).items()}
        pages = [_page_text(document, index) for index in range(len(document))]
    finally:
        document.close()
    when = _pdf_date(metadata.get("creationdate", ""))
    return Extraction("application/pdf", "pdf", metadata.get("title") or title, when, metadata, path, pages, [], None)


def _page_text(document: pdfium.PdfDocument, index: int) -> PageText:
    page = document[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        raw = textpage.get_text_range(0, count) if count else ""
        chars: list[str] = []
        words: list[tuple[int, int, float, float, float, float]] = []
        start = -1
        box = [0.0, 0.0, 0.0, 0.0]
        for i, ch in enumerate(raw[:count]):
            if ch == "\r":
                continue  # pdfium writes line ends as \r\n; the text keeps \n only
            if ch.isspace():
                if start >= 0:
                    words.append((start, len(chars), *box))  # type: ignore[arg-type]
                    start = -1
                chars.append("\n" if ch == "\n" else " ")
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            x0, y0, x1, y1 = left, height - top, right, height - bottom
            if start < 0:
                start = len(chars)
                box = [x0, y0, x1, y1]
            else:
                box = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
            chars.append(ch)
        if start >= 0:
            words.append((start, len(chars), *box))  # type: ignore[arg-type]
    finally:
        textpage.close()
        page.close()
    return PageText(index + 1, float(width), float(height), "".join(chars), words, False)


def typeset_record(title: str, fields: list[tuple[str, str]], out: Path, *, subtitle: str = "") -> Path:
    """Typeset a database record (label/value pairs, long text wrapped) as a readable PDF."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    margin, leading = 56.0, 13.0
    pdf = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    pdf.setTitle(title)
    y = height - margin

    def line(text: str, font: str, size: float) -> None:
        nonlocal y
        if y < margin:
            pdf.showPage()
            y = height - margin
        pdf.setFont(font, size)
        pdf.drawString(margin, y, text)
        y -= leading if size <= 10 else size + 6

    line(_latin(title)[:90], "Helvetica-Bold", 14)
    if subtitle:
        line(_latin(subtitle)[:110], "Helvetica", 10)
    for label, value in fields:
        if label:
            line(_latin(label), "Helvetica-Bold", 10)
        for paragraph in value.splitlines() or [""]:
            for wrapped in textwrap.wrap(_latin(paragraph), 95) or [""]:
                line(wrapped, "Helvetica", 10)
    pdf.showPage()
    pdf.save()
    return out


def _latin(text: str) -> str:
    """The standard PDF fonts cover Windows-1252; anything else becomes '?', never a missing glyph."""
    return text.replace("\t", "    ").encode("cp1252", errors="replace").decode("cp1252")
