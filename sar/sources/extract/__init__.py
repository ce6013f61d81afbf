"""Turning any gathered file into the document model: a working PDF, page text with word boxes, children.

This package is pure (no Flask, no database, no other stage of sar: import-linter checks it);
the gathering app calls :func:`extract` on each stored original and on each child it returns,
one level deeper each time (``depth``). Nothing here raises for a bad file: anything that cannot
be read comes back as an :class:`Extraction` with a :class:`Refusal` an officer can act on.

How each family is read (see the module of each):
- PDF (``pdf``): itself, text through the redaction library, pages without text OCR-ed;
- images and scans (``ocr``): Tesseract words and boxes, the images made into the working PDF;
- Word, Excel, PowerPoint, RTF, OpenDocument (``office``): LibreOffice headless to PDF;
- email, mbox, Outlook ``.msg`` and ``.pst`` (``mail``): typeset, attachments and messages as children;
- zip (``archive``): members as children, within limits; HTML and text (``text``): typeset.

Dependencies added for this package and their licences: ``puremagic`` 1.30 (MIT), ``olefile``
0.47 (BSD-2-Clause), ``python-oxmsg`` 0.0.2 (MIT), ``libpff-python`` 20260926 (LGPL-3.0-or-later),
``charset-normalizer`` (MIT), ``beautifulsoup4`` (MIT); already present: ``pypdfium2``
(Apache-2.0/BSD-3-Clause), ``reportlab`` (BSD), ``pillow`` (MIT-CMU), ``pytesseract`` (Apache-2.0).
Debian programs: ``tesseract-ocr`` (Apache-2.0), LibreOffice (MPL-2.0), ``fonts-dejavu-core``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from sar.sources.extract.model import Child, Extraction, Limits, PageText, Refusal, Refused
from sar.sources.extract.sniff import Sniffed, sniff
from sar.sources.extract.typeset import CHARS_PER_PAGE, typeset

__all__ = ["Child", "Extraction", "Limits", "PageText", "Refusal", "extract", "typeset_record"]

log = logging.getLogger(__name__)
_MB = 1024 * 1024


def extract(path: Path, *, original_name: str, workdir: Path, limits: Limits, depth: int = 0) -> Extraction:
    """Read one file into the document model. ``depth`` is how many containers it was found inside."""
    sniffed = Sniffed("application/octet-stream", "unknown")
    folder: Path | None = None
    try:
        size = path.stat().st_size
        if size == 0:
            raise Refused("empty", "This file is empty: it contains nothing to read.")
        # Sniffing reads only the start (and a zip's or Office file's directory), so even a refused file is named.
        sniffed = sniff(path)
        if size > limits.max_file_bytes:
            raise Refused(
                "too_large",
                f"This file is {size / _MB:,.1f} MB, larger than the {limits.max_file_bytes / _MB:,.0f} MB the system "
                "reads. A person needs to split it or deal with it by hand.",
            )
        if depth > limits.max_depth:
            raise Refused(
                "too_deep",
                f"This file was found {depth} levels deep inside other files (attachments or archives inside each "
                f"other), deeper than the {limits.max_depth} levels the system follows. A person needs to open it.",
            )
        if sniffed.encrypted:
            raise Refused(
                "encrypted",
                "This document is protected by a password, so it cannot be read. "
                "Ask whoever supplied it for a copy without the password.",
            )
        reader = _READERS.get(sniffed.kind)
        if reader is None:
            raise Refused(
                "unsupported",
                "The system cannot read this kind of file"
                + (f" ({sniffed.media_type})" if sniffed.media_type != "application/octet-stream" else "")
                + ". It is kept on the case: a person needs to open it and record what it holds.",
            )
        workdir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="extract-", dir=workdir))
        return reader(path, original_name, sniffed, folder, limits)
    except Refused as refused:
        _discard(folder)
        return _refused(sniffed, original_name, refused.refusal)
    except Exception:
        _discard(folder)
        # A reader tripping over a damaged file must not stop the batch: the file is kept, marked for a person.
        log.exception("extraction failed for %s (%s)", original_name, sniffed.media_type)
        return _refused(
            sniffed,
            original_name,
            Refusal(
                "corrupt",
                "This file could not be read; it may be damaged or not what its name says. "
                "It is kept on the case for a person to open.",
            ),
        )


def _discard(folder: Path | None) -> None:
    """A refused file leaves nothing half-made behind (children written before the refusal, partial PDFs)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _refused(sniffed: Sniffed, original_name: str, refusal: Refusal) -> Extraction:
    return Extraction(sniffed.media_type, sniffed.kind, original_name, None, {}, None, [], [], refusal)


def typeset_record(title: str, fields: list[tuple[str, str]], out: Path, *, subtitle: str = "") -> Path:
    """Typeset a database record (label/value pairs, long text wrapped) as a readable PDF."""
    return typeset(out, title=title, fields=fields, subtitle=subtitle)


# --- readers by kind ---------------------------------------------------------------------------------------------

Reader = Callable[[Path, str, Sniffed, Path, Limits], Extraction]


def _read_pdf(path: Path, name: str, sniffed: Sniffed, folder: Path, limits: Limits) -> Extraction:
    from sar.sources.extract import pdf

    doc = pdf.open_pdf(path)
    try:
        pages = pdf.read_pdf_pages(doc, limits)
        title, created, metadata = pdf.pdf_info(doc)
        children = pdf.pdf_attachments(doc, folder, limits)
    finally:
        doc.close()
    working = folder / "working.pdf"
    shutil.copyfile(path, working)
    return Extraction(sniffed.media_type, "pdf", title or name, created, metadata, working, pages, children)


def _pages_of(working: Path, limits: Limits) -> list[PageText]:
    from sar.sources.extract import pdf

    doc = pdf.open_pdf(working)
    try:
        return pdf.read_pdf_pages(doc, limits)
    finally:
        doc.close()


def _read_image(path: Path, name: str, sniffed: Sniffed, folder: Path, limits: Limits) -> Extraction:
    from PIL import Image, UnidentifiedImageError

    from sar.sources.extract.ocr import read_image

    working = folder / "working.pdf"
    try:
        pages, taken = read_image(path, working, limits)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Refused(
            "too_large",
            "This picture is too large (too many pixels) to read safely. A person needs to check it.",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, TypeError, ValueError, EOFError) as exc:
        # Pillow reports damage with any of these, depending on which part of the file is broken.
        raise Refused("corrupt", "This picture is damaged and cannot be opened. Ask for a fresh copy.") from exc
    return Extraction(sniffed.media_type, "image", name, taken, {}, working, pages, [])


def _read_office(path: Path, name: str, sniffed: Sniffed, folder: Path, limits: Limits) -> Extraction:
    from sar.sources.extract import office

    office.refuse_if_encrypted(path, sniffed.media_type)
    working = office.convert_to_pdf(path, folder / "working.pdf", timeout_s=limits.conversion_timeout_s)
    title, created, metadata = office.office_info(path, sniffed.media_type)
    return Extraction(
        sniffed.media_type, "office", title or name, created, metadata, working, _pages_of(working, limits), []
    )


def _read_email(path: Path, name: str, sniffed: Sniffed, folder: Path, limits: Limits) -> Extraction:
    from sar.sources.extract import mail

    page = mail.read_msg(path) if sniffed.media_type == "application/vnd.ms-outlook" else mail.read_eml(path)
    fields = list(page.fields)
    if page.attachments:
        fields.append(("Attachments", mail.attachment_list(page)))
    _check_length(page.body, limits)
    working = typeset(
        folder / "working.pdf",
        title=page.subject or "(no subject)",
        subtitle=page.kind_label,
        fields=fields,
        body=page.body,
    )
    children = mail.write_children(page, folder, limits)
    return Extraction(
        sniffed.media_type,
        "email",
        page.subject or name,
        page.date,
        page.metadata,
        working,
        _pages_of(working, limits),
        children,
    )


def _read_mailbox(path: Path, name: str, sniffed: Sniffed, folder: Path, limits: Limits) -> Extraction:
    from sar.sources.extract import mail

    if sniffed.media_type == "application/vnd.ms-outlook-pst":
        children = mail.read_pst(path, folder, limits)
    else:
        children = mail.read_mbox(path, folder, limits)
    return Extraction(sniffed.media_type, "mailbox", name, None, {}, None, [], children)


def _read_archive(path: Path, name: str, sniffed: Sniffed, folder: Path, limits: Limits) -> Extraction:
    from sar.sources.extract.archive import read_zip

    return Extraction(sniffed.media_type, "archive", name, None, {}, None, [], read_zip(path, folder, limits))


def _read_text(path: Path, name: str, sniffed: Sniffed, folder: Path, limits: Limits) -> Extraction:
    from sar.sources.extract.text import decode, html_to_text

    content = decode(path.read_bytes())
    title = name
    if sniffed.kind == "html":
        html_title, content = html_to_text(content)
        title = html_title or name
    _check_length(content, limits)
    if not content.strip():
        raise Refused("empty", "This file contains no text.")
    working = typeset(folder / "working.pdf", title=title, fields=[], body=content)
    return Extraction(sniffed.media_type, sniffed.kind, title, None, {}, working, _pages_of(working, limits), [])


def _check_length(text: str, limits: Limits) -> None:
    if len(text) > limits.max_pages * CHARS_PER_PAGE:
        raise Refused(
            "too_large",
            f"This text would fill more than the {limits.max_pages} pages the system reads at once. "
            "Split it into smaller files and add them again.",
        )


_READERS: dict[str, Reader] = {
    "pdf": _read_pdf,
    "image": _read_image,
    "office": _read_office,
    "email": _read_email,
    "mailbox": _read_mailbox,
    "archive": _read_archive,
    "html": _read_text,
    "text": _read_text,
}
