"""True redaction of PDFs by render-and-burn.

A page that carries a redaction, or any text a reader cannot see (invisible OCR layers, text in
render mode 3 or 7, ActualText/Alt, optional-content layers), is rendered at ``dpi``, solid boxes
labelled with their reason code are burned into the pixels, and the page is rebuilt as an image
with an invisible text layer holding only the words left visible. Rebuilding pages with hidden
text, even with nothing to redact, is deliberate: such text need not line up with what is shown,
so the only way to be sure a removed name does not survive in it is to replace the layer with one
we wrote from what the detector saw. A page with text under a box someone drew over it (a fake
redaction in the input) is rebuilt too, leaving that text out of the layer, and so is a page
whose objects do not parse cleanly (:mod:`redaction.pdf.damage`), so that every file written
passes :func:`redaction.verify_pdf`. Every other page is copied with only its drawing content
and resources; see :mod:`redaction.pdf.sanitise` for what is stripped and how the file is written.

Offsets in :class:`Span` and in :class:`~redaction.model.Finding` are offsets into the page
text returned by :func:`page_texts` (PDFium's text, or Tesseract OCR of a page with no text).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pikepdf
import pypdfium2 as pdfium
from PIL import Image

from redaction.detect.detector import CaseKnowledge, Detector
from redaction.detect.register import Register, load_register
from redaction.model import Area, Finding, PageItem, Rect, Span
from redaction.pdf import ocr
from redaction.pdf.burn import (
    DEFAULT_DPI,
    Burn,
    PageGeometry,
    burn,
    encode,
    release_memory,
    remaining_words,
    render,
    text_layer,
)
from redaction.pdf.damage import damaged_pages
from redaction.pdf.decisions import ReviewerDecisions
from redaction.pdf.errors import OpenedPdf, PdfReadProblem, PdfSource, open_pdf, source_name
from redaction.pdf.sanitise import Assembler
from redaction.pdf.text import PageText, covering_boxes, extract_text, page_has_hidden_text

__all__ = [
    "Area",
    "OcrUnavailable",
    "BoxRecord",
    "PdfReadProblem",
    "RedactionReport",
    "Span",
    "page_texts",
    "redact_pdf",
    "redact_pdf_file",
    "redact_pdf_with_register",
    "sanitise",
]

OcrMode = Literal["auto", "never"]
OcrUnavailable = ocr.OcrUnavailable


Redactions = Mapping[int, Sequence[PageItem]]  # 0-based page index -> what to remove there
PageDetector = Callable[[PageText], Sequence[PageItem]]


@dataclass(frozen=True)
class BoxRecord:
    """One burned box for the redaction log: page (0-based), rectangle in page space, reason, and
    the span of page text it removed (``None`` for a drawn area)."""

    page: int
    rect: Rect
    reason: str
    start: int | None = None
    end: int | None = None
    text: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "page": self.page + 1,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason,
            "rect": [round(v, 2) for v in self.rect],
        }


@dataclass
class RedactionReport:
    name: str
    pages: int = 0
    rasterised: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    unread_pages: list[int] = field(default_factory=list)
    boxes: list[BoxRecord] = field(default_factory=list)
    unplaced: list[tuple[int, Finding | Span]] = field(default_factory=list)  # not found on the page: review these
    warnings: list[str] = field(default_factory=list)


def page_texts(
    src: PdfSource, *, name: str | None = None, ocr_mode: OcrMode = "auto", dpi: int = DEFAULT_DPI
) -> Iterator[PageText]:
    """The text of each page as the redactor sees it; give the detector this text."""
    with _open_prepared(src, name) as opened:
        for index in range(opened.page_count):
            page = opened.pdfium[index]
            try:
                text, _image, _geometry = _read_page(page, index, ocr_mode, dpi, need_ocr=True)
            finally:
                page.close()
            yield text


def redact_pdf(
    src: PdfSource,
    redactions: Redactions,
    *,
    name: str | None = None,
    title: str | None = None,
    dpi: int = DEFAULT_DPI,
    ocr_mode: OcrMode = "auto",
) -> bytes:
    """Redacted and sanitised copy of ``src`` as bytes; see :func:`redact_pdf_file` for large files."""
    buffer = io.BytesIO()
    redact_pdf_file(src, buffer, redactions, name=name, title=title, dpi=dpi, ocr_mode=ocr_mode)
    return buffer.getvalue()


def sanitise(
    src: PdfSource, dest: str | Path | BinaryIO | None = None, *, name: str | None = None, title: str | None = None
) -> bytes | RedactionReport:
    """Copy with nothing removed from what is shown but everything hidden stripped."""
    if dest is None:
        return redact_pdf(src, {}, name=name, title=title)
    return redact_pdf_file(src, dest, {}, name=name, title=title)


def redact_pdf_with_register(
    src: PdfSource,
    dest: str | Path | BinaryIO,
    register: Register | str | Path | dict[str, Any],
    *,
    decisions: ReviewerDecisions | None = None,
    name: str | None = None,
    title: str | None = None,
    dpi: int = DEFAULT_DPI,
    ocr_mode: OcrMode = "auto",
    case: CaseKnowledge | None = None,
) -> RedactionReport:
    """Detect with the case register page by page and burn every ``redact`` and ``review`` finding.

    ``register`` is a path, a dict or a register from :func:`redaction.detect.register.load_register`;
    ``decisions`` (see :mod:`redaction.pdf.decisions`) override the detector finding by finding.
    ``case`` is what the whole case says about people off the register; without it, the PDF is
    its own case, gathered from its text-layer pages before any page is detected (scanned pages
    are read by OCR once, when they are redacted), so no page's answer depends on page order.
    """
    loaded = register if not isinstance(register, str | Path | dict) else load_register(register)
    detector = Detector(loaded)
    if case is None:
        case = detector.case_knowledge(page.text for page in page_texts(src, name=name, ocr_mode="never"))
    known = case

    def detect(text: PageText) -> Sequence[PageItem]:
        findings = detector.detect(text.text, known)
        if decisions is None:
            return [f for f in findings if f.action != "keep"]
        return decisions.for_page(text.index, findings)

    return redact_pdf_file(src, dest, {}, name=name, title=title, dpi=dpi, ocr_mode=ocr_mode, detect=detect)


def redact_pdf_file(
    src: PdfSource,
    dest: str | Path | BinaryIO,
    redactions: Redactions,
    *,
    name: str | None = None,
    title: str | None = None,
    dpi: int = DEFAULT_DPI,
    ocr_mode: OcrMode = "auto",
    detect: PageDetector | None = None,
) -> RedactionReport:
    """Write a redacted, sanitised copy of ``src`` to ``dest``, one page at a time.

    ``redactions`` maps 0-based page numbers to spans, areas or findings (``keep`` findings are
    ignored; ``redact`` and ``review`` are burned). ``detect``, if given, is asked for more
    findings on every page. Raises :class:`PdfReadProblem` for a file that cannot be read.
    """
    label = source_name(src, name)
    report = RedactionReport(label)
    with _open_prepared(src, label) as opened:
        report.pages = opened.page_count
        report.warnings.extend(opened.warnings)
        # Checked for every page before any page is rendered: interleaving qpdf's small, long-lived
        # allocations with PDFium's large render buffers fragments the heap so memory grows with
        # the page count.
        hidden = [page_has_hidden_text(page) for page in opened.pike.pages]
        damaged = damaged_pages(opened.pike)
        for index in sorted(damaged):
            report.warnings.append(
                f"page {index + 1}: part of the page (often a faxed image) is damaged, so the page was rebuilt "
                "from how it looks"
            )
        assembler = Assembler(opened.pike, dest)
        try:
            for index in range(opened.page_count):
                items = redactions.get(index, ())
                rebuild = hidden[index] or index in damaged
                _redact_page(opened, assembler, index, items, rebuild, report, dpi, ocr_mode, detect)
            assembler.finish(title=title)
        finally:
            assembler.close()
    return report


def _redact_page(
    opened: OpenedPdf,
    assembler: Assembler,
    index: int,
    items: Sequence[PageItem],
    rebuild: bool,
    report: RedactionReport,
    dpi: int,
    ocr_mode: OcrMode,
    detect: PageDetector | None,
) -> None:
    page = opened.pdfium[index]
    try:
        # Text under a box someone drew over it is hidden from the reader but not removed: the
        # page is rebuilt, the box stays as drawn and that text is left out of the text layer.
        covers = covering_boxes(page)
        if covers:
            report.warnings.append(f"page {index + 1}: text hidden under a drawn box was removed from the text layer")
        if not items and not rebuild and not covers and detect is None:
            assembler.copy_page(index)
            return
        try:
            text, image, geometry = _read_page(page, index, ocr_mode, dpi, need_ocr=detect is not None or bool(items))
        except ocr.OcrUnavailable:
            raise PdfReadProblem(
                opened.name,
                f"page {index + 1} is a scanned image with no text, and OCR (Tesseract) is not installed "
                "to read it, so it cannot be checked for names",
            ) from None
        if text.source == "ocr":
            report.ocr_pages.append(index)
        elif text.source == "none" and _has_images(opened.pike.pages[index]):
            report.unread_pages.append(index)
            report.warnings.append(f"page {index + 1}: no text could be read from this image; check it by eye")
        all_items = list(items) + (list(detect(text)) if detect else [])
        unplaced: list[Finding | Span] = []
        records = _resolve(all_items, text, unplaced)
        for item in unplaced:
            described = f'"{item.text}"' if isinstance(item, Finding) else f"characters {item.start}-{item.end}"
            report.unplaced.append((index, item))
            report.warnings.append(f"page {index + 1}: {described} could not be found on the page, so was not redacted")
        burns = [Burn(r.rect, r.reason) for r in records]
        removed = [(r.start, r.end) for r in records if r.start is not None and r.end is not None]
        if not burns and not rebuild and not covers:
            assembler.copy_page(index)
            return
        if image is None or geometry is None:
            geometry = PageGeometry(page, dpi)
            image = render(page, geometry)
        burn(image, geometry, burns)
        words = remaining_words(text, removed, [b.rect for b in burns] + covers)
        assembler.add_burned(encode(image), geometry, text_layer(words, geometry))
        report.rasterised.append(index)
        report.boxes.extend(records)
    finally:
        page.close()
        release_memory()


def _read_page(
    page: pdfium.PdfPage, index: int, ocr_mode: OcrMode, dpi: int, *, need_ocr: bool
) -> tuple[PageText, Image.Image | None, PageGeometry | None]:
    size = page.get_size()
    textpage = page.get_textpage()
    try:
        text = extract_text(textpage, index, size)
    finally:
        textpage.close()
    if text.source != "none" or ocr_mode == "never" or not need_ocr:
        return text, None, None
    geometry = PageGeometry(page, dpi)
    image = render(page, geometry)
    words = ocr.ocr_words(image, dpi=geometry.dpi)
    return ocr.page_text_from_words(words, index, geometry.to_page, size), image, geometry


def _resolve(items: Sequence[PageItem], text: PageText, unplaced: list[Finding | Span]) -> list[BoxRecord]:
    records: list[BoxRecord] = []
    for item in items:
        if isinstance(item, Area):
            records.append(BoxRecord(text.index, (item.left, item.bottom, item.right, item.top), item.reason))
            continue
        if isinstance(item, Finding):
            if item.action == "keep":
                continue
            reason = item.reason or "TP"
        else:
            reason = item.reason
        located = _locate(item, text)
        if located is None:
            unplaced.append(item)
            continue
        start, end = located
        span_text = text.text[start:end]
        rects = text.boxes_for(start, end)
        if not rects and span_text.strip():
            # The characters have no position on the page (zero-size or unusual fonts), so there
            # is nothing to burn; say so rather than pretend the text was covered.
            unplaced.append(item)
            continue
        records.extend(BoxRecord(text.index, rect, reason, start, end, span_text) for rect in rects)
    return records


def _locate(item: Finding | Span, text: PageText) -> tuple[int, int] | None:
    """Where a span lies in the page text; a finding whose offsets came from a slightly different
    extraction is found again by its text, at the occurrence nearest its offsets."""
    start, end = max(item.start, 0), min(item.end, len(text.text))
    if not isinstance(item, Finding) or text.text[start:end] == item.text:
        return (start, end) if start < end else None
    if not item.text:
        return None
    occurrences = []
    at = text.text.find(item.text)
    while at >= 0:
        occurrences.append(at)
        at = text.text.find(item.text, at + 1)
    if not occurrences:
        return None
    best = min(occurrences, key=lambda pos: abs(pos - item.start))
    return best, best + len(item.text)


def _has_images(page: pikepdf.Page) -> bool:
    resources = page.obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    return isinstance(xobjects, pikepdf.Dictionary) and len(xobjects.keys()) > 0


class _Prepared:
    def __init__(self, src: PdfSource, name: str | None) -> None:
        self.opened = open_pdf(src, name)
        if _has_annotations(self.opened.pike):
            # Filled-in form fields and printed stamps are part of what the page shows; folding
            # them into the page content lets the detector read them and the burner cover them.
            # Everything not printed (comments, links, hidden fields) is dropped by the sanitiser.
            flattened = _flatten(self.opened)
            label = self.opened.name
            self.opened.close()
            self.opened = open_pdf(flattened, label)

    def __enter__(self) -> OpenedPdf:
        return self.opened

    def __exit__(self, *_exc: object) -> None:
        self.opened.close()


def _open_prepared(src: PdfSource, name: str | None) -> _Prepared:
    return _Prepared(src, name)


def _has_annotations(pdf: pikepdf.Pdf) -> bool:
    return any("/Annots" in page.obj for page in pdf.pages)


def _flatten(opened: OpenedPdf) -> bytes:
    pdf = opened.pike
    if "/AcroForm" in pdf.Root:
        try:
            pdf.generate_appearance_streams()
        except pikepdf.PdfError as exc:
            opened.warnings.append(f"form field appearances could not be generated: {exc}")
    pdf.flatten_annotations("print")
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()
