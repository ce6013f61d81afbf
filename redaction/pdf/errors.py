"""Opening PDFs safely: every way a file can be unreadable becomes one plain-English error.

Both the redactor and the verifier open files through here, so a file that cannot be read is
reported the same way everywhere and is never treated as clean or silently half-processed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pikepdf
import pypdfium2 as pdfium

PdfSource = bytes | str | Path

# A council case file is rarely more than a few thousand pages; far beyond that is more likely a
# malformed or hostile file, and would tie up the machine for hours.
MAX_PAGES = 20_000


class PdfReadProblem(Exception):
    """A PDF could not be read; the message names the file and says what to do about it."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def source_name(src: PdfSource, name: str | None = None) -> str:
    if name:
        return name
    if isinstance(src, bytes):
        return "the PDF"
    return Path(src).name


def read_source(src: PdfSource, name: str) -> bytes:
    if isinstance(src, bytes):
        return src
    try:
        return Path(src).read_bytes()
    except FileNotFoundError:
        raise PdfReadProblem(name, "the file does not exist") from None
    except OSError as exc:
        raise PdfReadProblem(name, f"the file could not be opened ({exc.strerror or exc})") from None


def check_envelope(data: bytes, name: str) -> None:
    """Reject files that are not PDFs at all or that stop part-way through."""
    if not data:
        raise PdfReadProblem(name, "the file is empty (0 bytes)")
    if b"%PDF-" not in data[:1024]:
        raise PdfReadProblem(name, "this is not a PDF file (it does not start with a PDF header)")
    # Repair tools happily reconstruct a truncated file from whatever is left, losing pages
    # without saying so; a missing end marker is the reliable sign that the copy was cut short.
    if b"%%EOF" not in data[-2048:]:
        raise PdfReadProblem(
            name, "the file is incomplete (truncated): it has no end marker; ask for the file to be sent again"
        )


@dataclass
class OpenedPdf:
    """The same bytes opened by qpdf (structure) and PDFium (text and rendering)."""

    name: str
    data: bytes
    pike: pikepdf.Pdf
    pdfium: pdfium.PdfDocument
    warnings: list[str]

    @property
    def page_count(self) -> int:
        return len(self.pdfium)

    def close(self) -> None:
        self.pdfium.close()
        self.pike.close()

    def __enter__(self) -> OpenedPdf:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_pike(data: bytes | BinaryIO, name: str) -> pikepdf.Pdf:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        return pikepdf.open(stream)
    except pikepdf.PasswordError:
        raise PdfReadProblem(
            name, "the file is password-protected (encrypted); ask the sender for an unprotected copy"
        ) from None
    except pikepdf.PdfError as exc:
        raise PdfReadProblem(name, f"the file is damaged and cannot be read ({_short(exc)})") from None


def open_pdf(src: PdfSource, name: str | None = None, *, max_pages: int = MAX_PAGES) -> OpenedPdf:
    """Open a PDF for redaction or checking, or raise :class:`PdfReadProblem`."""
    label = source_name(src, name)
    data = read_source(src, label)
    check_envelope(data, label)
    pike = open_pike(data, label)
    warnings = [str(w) for w in pike.get_warnings()]
    if len(pike.pages) == 0:
        pike.close()
        raise PdfReadProblem(label, "the file has no pages")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        pike.close()
        if "password" in str(exc).lower():
            raise PdfReadProblem(label, "the file is password-protected (encrypted)") from None
        raise PdfReadProblem(label, f"the file is damaged and cannot be read ({_short(exc)})") from None
    opened = OpenedPdf(label, data, pike, doc, warnings)
    problem = _page_count_problem(len(doc), len(pike.pages), max_pages)
    if problem:
        opened.close()
        raise PdfReadProblem(label, problem)
    return opened


def _page_count_problem(pdfium_pages: int, qpdf_pages: int, max_pages: int) -> str | None:
    if pdfium_pages == 0 or qpdf_pages == 0:
        return "the file has no pages"
    if pdfium_pages != qpdf_pages:
        return (
            f"the file is damaged: one reader finds {pdfium_pages} pages and another {qpdf_pages}, "
            "so it cannot be redacted reliably; ask for a fresh copy"
        )
    if pdfium_pages > max_pages:
        return f"the file has {pdfium_pages} pages, more than the limit of {max_pages}; split it into parts"
    return None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:200] if text else type(exc).__name__
