"""Independent check that a redacted PDF leaks nothing: ``python -m redaction verify OUT.pdf``.

Checks, all of which must pass for the file to be reported clean:

* **Readable**: not truncated, damaged, encrypted or empty, and pypdf, PDFium and qpdf agree on
  the page count. A file that cannot be read is never clean.
* **Forbidden strings** (``--forbidden``, one per line) are searched for in the text extracted by
  two independent engines (pypdf and PDFium), exactly, ignoring case, ignoring spaces and hyphens,
  and as digits only (for strings with at least six digits); in every decompressed stream
  (content, forms, fonts' ToUnicode maps, object streams), in every string object (metadata,
  annotations, bookmarks) and in the raw file, as UTF-8, PDFDocEncoding and UTF-16BE.
* **OCR**: when forbidden strings are given, every page that draws an image is rendered and read
  back with Tesseract, so a name left in the pixels (or a box that does not cover it) is caught.
  This costs one to two seconds a page; ``--no-ocr`` skips it (and says so in the verdict).
* **Structure**: exactly one revision (one ``%%EOF``, no ``/Prev``); no annotations, forms,
  attachments, JavaScript, open actions, bookmarks, thumbnails, PieceInfo, structure tree,
  optional-content layers, ActualText/Alt/TU; document information and XMP only from an allow-list.
* **Boxes over live text**: an opaque filled shape (or small image) drawn after text it covers
  fails the page, whether or not forbidden strings are given.
* **Must keep** (``--must-keep``, one per line): each string is still findable in the text layer,
  ignoring case and spacing, so over-redaction is caught too.

Exit status: 0 clean, 1 not clean or unreadable, 2 when a strings file cannot be read.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import warnings
from array import array
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pikepdf
import pypdf
import pypdfium2 as pdfium

from redaction.pdf import ocr, xref
from redaction.pdf.errors import PdfReadProblem, PdfSource, check_envelope, open_pike, read_source, source_name
from redaction.pdf.text import covering_boxes
from redaction.verify import walk
from redaction.verify.forms import Needle, SearchableText, find_in_bytes
from redaction.verify.structure import (
    PAGE_FORBIDDEN,
    PREV_CONTEXT,
    PREV_POINTER,
    catalog_findings,
    catalog_problems,
    metadata_problems,
    object_findings,
    object_problems,
    page_problems,
    revision_findings,
    revision_problems,
)

OCR_DPI = 200
ENGINES = ("pypdf", "pdfium")
ENGINE_NAMES = {"pypdf": "pypdf", "pdfium": "PDFium"}


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class VerifyReport:
    name: str
    pages: int = 0
    readable: bool = False
    problems: list[Problem] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.readable and not self.problems

    def add(self, where: str, what: str) -> None:
        problem = Problem(where, what)
        if problem not in self.problems:
            self.problems.append(problem)


def verify_pdf(
    src: PdfSource,
    forbidden: Iterable[str] = (),
    must_keep: Iterable[str] = (),
    *,
    name: str | None = None,
    use_ocr: bool = True,
    engines: Sequence[str] = ENGINES,
    ocr_pages: Collection[int] | None = None,
    must_keep_pages: Collection[int] | None = None,
) -> VerifyReport:
    """Check a PDF; the report is clean only if every check ran and passed.

    For a caller that knows the file (the disclosure bundle, which it assembled itself):

    * ``engines``: the text extractors to search, of ``ENGINES``. PDFium alone is several times faster than pypdf
      on long files and keeps memory flat; the raw-stream search still reads every content stream independently.
    * ``ocr_pages``: 1-based pages whose images are read back by OCR (``None``: every page that draws an image),
      e.g. only the pages that were scans, when the others are images this pipeline burned itself.
    * ``must_keep_pages``: 1-based pages where must-keep strings count (``None``: all), so text the caller printed
      on every page (a footer naming the person) cannot satisfy the check.
    """
    label = source_name(src, name)
    report = VerifyReport(label)
    needles = [Needle(s) for s in forbidden if s.strip()]
    keep = [s for s in must_keep if s.strip()]
    unknown = set(engines) - set(ENGINES)
    if unknown or not engines:
        raise ValueError(f"engines must be some of {', '.join(ENGINES)}")
    options = _Options(
        tuple(engines),
        None if ocr_pages is None else frozenset(ocr_pages),
        None if must_keep_pages is None else frozenset(must_keep_pages),
    )
    try:
        data: bytes | _FileData
        if isinstance(src, bytes) or "pypdf" in options.engines:
            data = read_source(src, label)
            check_envelope(data, label)
            pike = open_pike(data, label)
        else:
            # A file on disk checked without pypdf is never read into memory whole: its objects are walked a batch
            # at a time (redaction.verify.walk), PDFium reads it from disk and the raw-bytes search goes through it
            # in chunks, so memory does not grow with its size. A file the walk cannot check exactly is checked by
            # qpdf over the whole file instead.
            data = _FileData(Path(src), label)
            streamed = _verify_streamed(data, label, needles, keep, use_ocr, options)
            if streamed is not None:
                return streamed
            pike = data.open_pike()
    except PdfReadProblem as exc:
        report.add("file", exc.problem)
        return report
    # The check may read the file afresh part way through; nothing else may hold the first instance, or what qpdf
    # holds for it could not be freed.
    opened = [pike]
    del pike
    try:
        _verify_open(data, opened, report, needles, keep, use_ocr, options)
    except Exception as exc:  # noqa: BLE001 - an unexpected failure must read as "not clean", never crash
        report.readable = False
        report.add("file", f"the check could not be completed ({type(exc).__name__}: {exc})")
    finally:
        opened[0].close()
    return report


@dataclass(frozen=True)
class _Options:
    engines: tuple[str, ...] = ENGINES
    ocr_pages: frozenset[int] | None = None
    must_keep_pages: frozenset[int] | None = None


class _FileData:
    """A PDF on disk, read a chunk at a time for the checks that search its raw bytes."""

    CHUNK = 1024 * 1024  # small: a chunk, its carried-over tail and its lower-cased copy are all in memory at once

    def __init__(self, path: Path, label: str) -> None:
        self.path, self.label = path, label
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                head = handle.read(1024)
                handle.seek(max(size - 2048, 0))
                tail = handle.read()
        except FileNotFoundError:
            raise PdfReadProblem(label, "the file does not exist") from None
        except OSError as exc:
            raise PdfReadProblem(label, f"the file could not be opened ({exc.strerror or exc})") from None
        check_envelope(head + (b"\n" if size > 1024 else b"") + tail if size > 1024 else head, label)

    def open_pike(self) -> pikepdf.Pdf:
        try:
            return pikepdf.open(self.path)
        except pikepdf.PasswordError:
            raise PdfReadProblem(self.label, "the file is password-protected (encrypted)") from None
        except pikepdf.PdfError as exc:
            raise PdfReadProblem(self.label, f"the file is damaged and cannot be read ({exc})") from None

    def chunks(self, overlap: int) -> Iterator[bytes]:
        """The file in chunks, each starting with the last ``overlap`` bytes of the one before."""
        carry = b""
        with self.path.open("rb") as handle:
            while block := handle.read(self.CHUNK):
                yield carry + block
                carry = block[-overlap:] if overlap else b""

    def revision_markers(self) -> tuple[int, bool]:
        eofs, prev = 0, False
        overlap = 2 * PREV_CONTEXT
        carry = b""  # the last bytes read so far, searched again with what follows them
        with self.path.open("rb") as handle:
            block = handle.read(self.CHUNK)
            while block:
                following = handle.read(self.CHUNK)
                chunk = carry + block
                # A marker wholly inside the carried-over bytes was counted in the chunk before.
                eofs += chunk.count(b"%%EOF") - carry.count(b"%%EOF")
                for match in PREV_POINTER.finditer(chunk):
                    # Too near the end to see whether "0 R" follows: the next chunk repeats these bytes and decides.
                    undecided = bool(following) and match.end() > len(chunk) - PREV_CONTEXT
                    if not undecided or match.start() < len(chunk) - overlap:
                        prev = True
                carry = chunk[-overlap:]
                block = following
        return eofs, prev


def _verify_open(
    data: bytes | _FileData,
    opened: list[pikepdf.Pdf],  # one instance, which this may replace
    report: VerifyReport,
    needles: Sequence[Needle],
    keep: Sequence[str],
    use_ocr: bool,
    options: _Options = _Options(),  # noqa: B008 - frozen, so one shared default is safe
) -> None:
    pike = opened[0]
    for warning in pike.get_warnings():
        report.add("file", f"the file is damaged ({warning})")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        if len(pike.pages) == 0:
            report.add("file", "the file has no pages")
            return
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False) if isinstance(data, bytes) else None
        if (reader is not None and reader.is_encrypted) or pike.is_encrypted:
            report.add("file", "the file is encrypted")
            return
        doc = _Pdfium(data if isinstance(data, bytes) else str(data.path))
        try:
            counts = {len(doc), len(pike.pages)} | ({len(reader.pages)} if reader is not None else set())
            if counts == {0}:
                report.add("file", "the file has no pages")
                return
            if len(counts) != 1:
                report.add("file", f"the readers disagree on the number of pages ({sorted(counts)})")
                return
            report.pages = len(doc)
            report.readable = True
            _check_structure(data, pike, report)
            if isinstance(data, _FileData):
                # qpdf keeps every object the structure check resolved (all of them) until the file is closed:
                # reading the file afresh lets the checks that follow reuse that memory instead of adding to it.
                pike.close()
                opened[0] = pike = data.open_pike()
            use_pypdf = reader is not None and "pypdf" in options.engines
            kept = _check_pages(reader if use_pypdf else None, doc, report, needles, keep, options)
            _check_raw(data, pike, report, needles)
            if needles and use_ocr:
                draws = [_draws_images(page) for page in pike.pages]
                _check_ocr(doc, draws, report, needles, options.ocr_pages)
            elif needles:
                report.checks.append("OCR skipped (--no-ocr)")
        finally:
            doc.close()
    for wanted in keep:
        if wanted not in kept:
            report.add("text", f'"{wanted}" must be kept but cannot be found in the text (over-redaction?)')


class _Pdfium:
    """PDFium's view of the file, page by page. PDFium keeps every page it has parsed until the document is closed,
    so the document is reopened every ``REOPEN_EVERY`` pages: memory then stays the same however long the file."""

    REOPEN_EVERY = 500

    def __init__(self, source: bytes | str) -> None:
        self.source = source
        self.doc = pdfium.PdfDocument(source)
        self.served = 0

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, index: int) -> pdfium.PdfPage:
        if self.served >= self.REOPEN_EVERY:
            self.doc.close()
            self.doc = pdfium.PdfDocument(self.source)
            self.served = 0
        self.served += 1
        return self.doc[index]

    def close(self) -> None:
        self.doc.close()


class _PdfiumRanges(_Pdfium):
    """PDFium's view of a walked file, ``REOPEN_EVERY`` pages at a time, each range read through
    :class:`walk.PageRange` so PDFium never walks past the pages before it."""

    def __init__(self, index: xref.XrefIndex, pages: array[int]) -> None:  # noqa: D107 - no base call: opened lazily
        self.index, self.pages = index, pages
        self.start: int | None = None
        self.doc: pdfium.PdfDocument | None = None

    def __len__(self) -> int:
        return len(self.pages)

    def __getitem__(self, index: int) -> pdfium.PdfPage:
        start = index - index % self.REOPEN_EVERY
        if start != self.start or self.doc is None:
            self.close()
            view = walk.PageRange(self.index, self.pages[start : start + self.REOPEN_EVERY])
            self.doc, self.start = pdfium.PdfDocument(view, autoclose=True), start
        return self.doc[index - start]

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc = None


def _verify_streamed(
    data: _FileData,
    label: str,
    needles: Sequence[Needle],
    keep: Sequence[str],
    use_ocr: bool,
    options: _Options,
) -> VerifyReport | None:
    """The check of a file on disk by the batched object walk, or ``None`` when the walk cannot check it exactly
    (``xref.Unsupported``, or anything unexpected): the caller then checks it over the whole file, which reports the
    problem in its own words."""
    doc: _Pdfium | None = None
    try:
        index = xref.XrefIndex(data.path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = _Pdfium(str(data.path))
            return _check_streamed(data, index, doc, VerifyReport(label), needles, keep, use_ocr, options)
    except Exception:  # noqa: BLE001 - the whole-file check decides, and says why
        return None
    finally:
        if doc is not None:
            doc.close()


def _check_streamed(
    data: _FileData,
    index: xref.XrefIndex,
    doc: _Pdfium,
    report: VerifyReport,
    needles: Sequence[Needle],
    keep: Sequence[str],
    use_ocr: bool,
    options: _Options,
) -> VerifyReport | None:
    """The walk, then the page text and raw-bytes checks; ``None`` when PDFium and the walk count different pages."""
    with index.open() as handle:
        document, metadata, trailer_strings = _walk_document(data, index, handle, report)
        if len(doc) != len(document.pages) or not document.pages:
            return None  # the whole-file check says how the readers disagree
        found = _walk_objects(index, handle, document, needles, trailer_strings)
    doc.close()  # PDFium's view of the whole file served only to count its pages
    ranges = _PdfiumRanges(index, document.pages)
    try:
        return _report_streamed(data, ranges, report, found, metadata, document, needles, keep, use_ocr, options)
    finally:
        ranges.close()


def _report_streamed(
    data: _FileData,
    doc: _Pdfium,
    report: VerifyReport,
    found: _Found,
    metadata: list[str],
    document: walk.PageTree,
    needles: Sequence[Needle],
    keep: Sequence[str],
    use_ocr: bool,
    options: _Options,
) -> VerifyReport:
    # Reported in the order the whole-file check reports them.
    for what in sorted(found.structure):
        report.add("objects", what)
    for what in metadata:
        report.add("metadata", what)
    report.checks.append("structure")
    report.pages = len(doc)
    report.readable = True
    kept = _check_pages(None, doc, report, needles, keep, options)
    if needles:
        _check_raw_chunks(data, report, needles)
        for where, what in found.streams:
            report.add(where, what)
        for needle in needles:
            if needle in found.strings:
                report.add("strings", _IN_STRINGS.format(needle.original))
        report.checks.append("raw streams and strings")
        if use_ocr:
            _check_ocr(doc, list(map(bool, document.draws_images)), report, needles, options.ocr_pages)
        else:
            report.checks.append("OCR skipped (--no-ocr)")
    for wanted in keep:
        if wanted not in kept:
            report.add("text", f'"{wanted}" must be kept but cannot be found in the text (over-redaction?)')
    return report


def _walk_document(
    data: _FileData, index: xref.XrefIndex, handle: BinaryIO, report: VerifyReport
) -> tuple[walk.PageTree, list[str], list[str]]:
    """The checks of the file as a whole (revisions, catalog, pages), its page tree, what its metadata must not
    carry (reported after the objects, as the whole-file check does) and the strings of its trailer."""
    eofs, prev = data.revision_markers()
    for what in revision_findings(eofs, prev or index.has_prev, False):
        report.add("file", what)
    located = []
    for number, generation in [index.root] + ([index.info] if index.info else []):
        newest = index.newest(number)
        if newest is None or newest[0] != generation:
            raise xref.Unsupported("the catalog or document information is missing")
        located.append((number, generation, newest[1]))
    batch = xref.Batch(index, handle, located, document=True)
    try:
        pdf = batch.pdf
        root = pdf.get_object(index.root)
        for what in catalog_findings(root):
            report.add("document", what)
        tree = walk.page_tree(index, handle, root, PAGE_FORBIDDEN)
        for number, what in tree.problems:
            report.add(f"page {number}", what)
        metadata = list(metadata_problems(pdf))
        trailer_strings: list[str] = []
        _collect_strings(batch.trailer(), trailer_strings, 0)
        batch.check_warnings()
    finally:
        batch.close()
    return tree, metadata, trailer_strings


_IN_STRINGS = '"{}" is in a string object (metadata, annotation or bookmark)'


@dataclass
class _Found:
    structure: set[str] = field(default_factory=set)
    streams: list[tuple[str, str]] = field(default_factory=list)
    strings: set[Needle] = field(default_factory=set)


def _walk_objects(
    index: xref.XrefIndex,
    handle: BinaryIO,
    tree: walk.PageTree,
    needles: Sequence[Needle],
    trailer_strings: list[str],
) -> _Found:
    """Every object of every revision, a batch at a time: what ``check_pdf_syntax``, ``object_problems`` and the
    stream and string search of the whole-file check do, with only one batch in memory. Anything qpdf warns about
    or fails on ends the walk (``xref.Unsupported``): the whole-file check then reports it in its own words."""
    found = _Found()
    longest = max((len(n.original) for n in needles), default=0)
    carry = "\n".join(trailer_strings)  # the strings searched last: a name split over two strings is still found
    streams_found: list[tuple[str, str]] = found.streams
    for batch in xref.batches(index, handle):
        strings = [carry]
        try:
            for number, obj in batch.objects():
                decoded = None
                if isinstance(obj, pikepdf.Stream):
                    if obj.get("/Subtype") == "/Image":
                        obj.read_bytes(pikepdf.StreamDecodeLevel.all)  # decoded, as check_pdf_syntax does
                    else:
                        decoded = bytes(obj.read_bytes())
                        if tree.is_contents(number):
                            pikepdf.parse_content_stream(obj, "BX")  # only the parse: no instructions kept
                        _search_blob(
                            f"stream {number}",
                            decoded,
                            needles,
                            lambda where, what: streams_found.append((where, what)),
                        )
                elif tree.is_contents(number):
                    raise xref.Unsupported("a page's contents are not a stream")
                object_findings(obj, decoded, found.structure)
                _collect_strings(obj, strings, 0)
            batch.check_warnings()
        finally:
            batch.close()
        if needles:
            text = "\n".join(strings)
            searched = SearchableText(text)
            found.strings.update(needle for needle in needles if searched.find(needle))
            carry = text[-(8 * longest + 256) :]
    return found


def _check_structure(data: bytes | _FileData, pike: pikepdf.Pdf, report: VerifyReport) -> None:
    for problem in pike.check_pdf_syntax():
        report.add("file", f"the file is not well-formed ({problem})")
    markers = data.revision_markers() if isinstance(data, _FileData) else None
    for what in revision_problems(data if isinstance(data, bytes) else b"", pike, markers):
        report.add("file", what)
    for what in catalog_problems(pike):
        report.add("document", what)
    for number, what in page_problems(pike):
        report.add(f"page {number}", what)
    for what in object_problems(pike):
        report.add("objects", what)
    for what in metadata_problems(pike):
        report.add("metadata", what)
    report.checks.append("structure")


def _check_pages(
    reader: pypdf.PdfReader | None,
    doc: _Pdfium,
    report: VerifyReport,
    needles: Sequence[Needle],
    keep: Sequence[str],
    options: _Options = _Options(),  # noqa: B008 - frozen, so one shared default is safe
) -> set[str]:
    kept: set[str] = set()
    for index in range(report.pages):
        where = f"page {index + 1}"
        texts: list[tuple[str, SearchableText]] = []
        if reader is not None:
            try:
                texts.append(("pypdf", SearchableText(reader.pages[index].extract_text() or "")))
            except Exception as exc:  # noqa: BLE001 - an extractor failing means the page was not checked
                report.add(where, f"pypdf could not read the text ({type(exc).__name__})")
        page = doc[index]
        try:
            textpage = page.get_textpage()
            texts.append(("PDFium", SearchableText(textpage.get_text_range())))
            for box in covering_boxes(page):
                under = " ".join(textpage.get_text_bounded(*box).split())
                if under:
                    report.add(where, f'text lies under a box drawn over it, not removed ("{under[:60]}")')
            textpage.close()
        finally:
            page.close()
        for engine, text in texts:
            for needle in needles:
                form = text.find(needle)
                if form:
                    report.add(where, f'"{needle.original}" can be read in the text layer ({engine}, {form})')
            if options.must_keep_pages is None or index + 1 in options.must_keep_pages:
                kept.update(wanted for wanted in keep if text.contains(wanted))
    report.checks.append(f"text ({' and '.join(ENGINE_NAMES[e] for e in options.engines)})")
    return kept


def _check_raw(data: bytes | _FileData, pike: pikepdf.Pdf, report: VerifyReport, needles: Sequence[Needle]) -> None:
    if not needles:
        return
    # One stream at a time, each searched as soon as it is decompressed: holding every decompressed stream of a
    # long file at once made memory grow with the page count.
    if isinstance(data, bytes):
        _search_blob("the raw file", data, needles, report.add)
    else:
        _check_raw_chunks(data, report, needles)
    strings: list[str] = []
    for obj in pike.objects:
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == "/Image":
                continue
            try:
                blob = bytes(obj.read_bytes())
            except pikepdf.PdfError:
                blob = bytes(obj.read_raw_bytes())
            _search_blob(f"stream {obj.objgen[0]}", blob, needles, report.add)
        _collect_strings(obj, strings, 0)
    _collect_strings(pike.trailer, strings, 0)
    text = SearchableText("\n".join(strings))
    for needle in needles:
        form = text.find(needle)
        if form:
            report.add("strings", _IN_STRINGS.format(needle.original))
    report.checks.append("raw streams and strings")


def _check_raw_chunks(data: _FileData, report: VerifyReport, needles: Sequence[Needle]) -> None:
    longest = max((len(encoded) for n in needles for _form, encoded in n.byte_forms), default=1)
    for chunk in data.chunks(longest):
        _search_blob("the raw file", chunk, needles, report.add)


def _search_blob(where: str, blob: bytes, needles: Sequence[Needle], add: Callable[[str, str], None]) -> None:
    lowered = blob.lower()
    for needle in needles:
        form = find_in_bytes(needle, blob, lowered)
        if form:
            add(where, f'"{needle.original}" is present in the bytes ({form})')


def _collect_strings(obj: pikepdf.Object, out: list[str], depth: int) -> None:
    if depth > 32:
        return
    if isinstance(obj, pikepdf.String):
        out.append(str(obj))
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in map(str, obj.keys()):  # noqa: SIM118 - pikepdf keys() is typed as strings
            child = obj.get(key)
            if isinstance(child, pikepdf.Object) and not child.is_indirect:
                _collect_strings(child, out, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for child in obj:
            if isinstance(child, pikepdf.Object) and not child.is_indirect:
                _collect_strings(child, out, depth + 1)


def _check_ocr(
    doc: _Pdfium,
    draws_images: Sequence[bool],
    report: VerifyReport,
    needles: Sequence[Needle],
    only: frozenset[int] | None = None,
) -> None:
    """``draws_images``: for each page, whether it draws XObjects (what is read back)."""
    pages = [index for index, draws in enumerate(draws_images) if (only is None or index + 1 in only) and draws]
    if not pages:
        report.checks.append("OCR of 0 image page(s)")
        return
    if not ocr.tesseract_available():
        report.add("file", "Tesseract is not installed, so image pages could not be OCR-checked (use --no-ocr)")
        return
    # Tesseract runs as a separate program, so threads can keep every core busy reading pages
    # while this thread renders the next ones (PDFium itself must stay on one thread). At most
    # two pages per worker are in flight, so memory does not grow with the document.
    workers = max(os.cpu_count() or 1, 1)
    in_flight: deque[tuple[int, Future[str]]] = deque()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index in pages:
            rendered = doc[index]
            try:
                image = rendered.render(scale=OCR_DPI / 72, grayscale=True).to_pil().convert("L")
            finally:
                rendered.close()
            in_flight.append((index, pool.submit(ocr.ocr_text, image, dpi=OCR_DPI)))
            if len(in_flight) >= 2 * workers:
                _ocr_result(*in_flight.popleft(), report, needles)
        while in_flight:
            _ocr_result(*in_flight.popleft(), report, needles)
    report.checks.append(f"OCR of {len(pages)} image page(s)")


def _ocr_result(index: int, future: Future[str], report: VerifyReport, needles: Sequence[Needle]) -> None:
    text = SearchableText(future.result())
    for needle in needles:
        form = text.find(needle)
        if form and form != "digits only":
            report.add(f"page {index + 1}", f'"{needle.original}" can be read back from the page image by OCR')


def _draws_images(page: pikepdf.Page) -> bool:
    resources = page.obj.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        return False
    xobjects = resources.get("/XObject")
    return isinstance(xobjects, pikepdf.Dictionary) and len(xobjects.keys()) > 0


def read_strings(path: str | None) -> list[str]:
    if not path:
        return []
    return [line.strip() for line in Path(path).read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def format_report(report: VerifyReport) -> str:
    if report.clean:
        return f"{report.name}: CLEAN ({report.pages} pages; checked {', '.join(report.checks)})"
    lines = [f"{report.name}: NOT CLEAN ({len(report.problems)} problem(s))"]
    lines.extend(f"  - {problem}" for problem in report.problems)
    if not report.readable:
        lines.append("  The file could not be fully read, so it cannot be confirmed as clean.")
    return "\n".join(lines)


def run_cli(args: argparse.Namespace) -> int:
    try:
        forbidden = read_strings(args.forbidden)
        must_keep = read_strings(args.must_keep)
    except OSError as exc:
        print(f"verify: cannot read a strings file: {exc}", file=sys.stderr)
        return 2
    report = verify_pdf(args.pdf, forbidden, must_keep, use_ocr=not getattr(args, "no_ocr", False))
    print(format_report(report))
    return 0 if report.clean else 1
