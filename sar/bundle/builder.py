"""Building one part of a bundle into a PDF file, page by page, never the whole bundle in memory.

Each document's working PDF is copied out of the store to a temporary file and redacted by the redaction library
(true redaction: render-and-burn, boxes labelled with the exemption code) into another temporary file; the pages the
bundle makes itself (cover letter, index, stand-ins for withheld pages, key) are typeset by reportlab into their own
files. Assembly then copies pages from those files into the bundle with the redaction library's streaming writer,
which puts each page in the file as soon as it is copied (with the furniture laid over it) and keeps only its offset,
and adds a bookmark per document at the end: memory does not grow with the number of pages. qpdf's own assembly
(pikepdf) kept a graph of every copied page until it saved, about 40 kB a page; pypdf, which the issue names for
assembly, copies every stream into memory as well: the benchmark (docs/benchmarks.md) is why neither does it here.

Nothing here reads the database: :mod:`sar.bundle.plan` read it already, and the service stores the result.
"""

from __future__ import annotations

import multiprocessing
import shutil
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from redaction import Area, PdfReadProblem, RedactionReport, redact_pdf_file
from redaction.pdf.writer import StreamingPdfWriter
from sar.bundle import pages
from sar.bundle.plan import Geometry, PlannedDocument, RedactionItem, to_pdf_space

Progress = Callable[[int, int, str], None]
Fetch = Callable[[str, Path], None]  # copy a stored file (by key) to a path

BUNDLE_TITLE = "Disclosure"
# The burned page resolution: the library's default. (At 150 dpi PDFium's render is resized with smoothing, the page
# no longer compresses to 1 bit and the bundle grows twentyfold: docs/benchmarks.md.)
DPI = 200
PARALLEL_FROM_PAGES = 100
# The furniture is typeset this many pages at a time (reportlab keeps a document's pages until it saves it).
FURNITURE_PAGES = 250


class BuildProblem(Exception):
    """The bundle could not be built; the message says which document and why, for the officer."""


@dataclass(frozen=True)
class PartSpec:
    reference: str
    disclosed_to: str
    disclosed_on: date
    part: int
    parts_total: int
    first_bundle_number: int  # running number of this part's first page
    first_index_number: int  # the index number of this part's first document
    documents: Sequence[PlannedDocument]
    key_rows: Sequence[pages.KeyRow]
    cover: Path | None  # the cover letter's PDF, when this part carries it
    earlier: Sequence[str] = ()  # what was disclosed before (repeat request, earlier parts)
    introduction: Sequence[str] = ()


@dataclass
class BuiltEntry:
    document_id: int
    number: int
    title: str
    day: date | None
    source: str
    first_page: int
    last_page: int
    pages: int
    pages_withheld: int
    redactions: int
    withheld_code: str | None


@dataclass
class BuiltPart:
    path: Path
    page_count: int
    entries: list[BuiltEntry] = field(default_factory=list)
    furniture: pages.Furniture | None = None
    document_pages: list[int] = field(default_factory=list)  # 1-based pages that are the documents' own pages
    scanned_pages: list[int] = field(default_factory=list)  # 1-based pages that came from scans
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Section:
    """A run of pages of one source file that goes into the bundle."""

    path: Path
    pages: list[int]  # 0-based pages of the source
    bookmark: str | None = None
    is_document: bool = False
    scanned: frozenset[int] = frozenset()  # 0-based pages of the source that were scans (read by OCR)


def _geometry(path: Path, indexes: Sequence[int]) -> dict[int, Geometry]:
    doc = pdfium.PdfDocument(str(path))
    try:
        found: dict[int, Geometry] = {}
        for index in indexes:
            page = doc[index]
            try:
                left, bottom, right, top = page.get_cropbox()
                found[index] = (left, bottom, right, top, page.get_rotation() % 360)
            finally:
                page.close()
        return found
    finally:
        doc.close()


def _redactions(document: PlannedDocument, source: Path) -> dict[int, list[RedactionItem]]:
    items: dict[int, list[RedactionItem]] = {index: list(found) for index, found in document.redactions.items()}
    if document.view_boxes:
        geometry = _geometry(source, [i for i in document.view_boxes if 0 <= i < document.page_count])
        for index, boxes in document.view_boxes.items():
            if index not in geometry:
                continue
            for box, code in boxes:
                left, bottom, right, top = to_pdf_space(box, geometry[index])
                items.setdefault(index, []).append(Area(left, bottom, right, top, code))
    return items


def redact_document(document: PlannedDocument, source: Path, dest: Path) -> RedactionReport:
    """The document's working PDF, truly redacted with the review's decisions."""
    try:
        report = redact_pdf_file(
            source,
            dest,
            _redactions(document, source),
            name=document.title,
            title=BUNDLE_TITLE,
            dpi=DPI,
            ocr_mode="never",
        )
    except PdfReadProblem as problem:
        raise BuildProblem(f"“{document.title}” could not be redacted: {problem.problem}") from problem
    if report.unplaced:
        page, item = report.unplaced[0]
        what = getattr(item, "text", None) or f"characters {item.start}–{item.end}"
        raise BuildProblem(
            f"“{document.title}”, page {page + 1}: a redaction ({what}) could not be found on the page, so it could "
            "not be burned. Re-run detection and review the page before building again."
        )
    return report


class _Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.counter = 0

    def path(self, stem: str) -> Path:
        self.counter += 1
        return self.root / f"{self.counter:05d}-{stem}.pdf"


def _redact_file(document: PlannedDocument, source: Path, dest: Path) -> None:
    """Redact in a worker process (or inline); the source copy goes as soon as it is read."""
    try:
        redact_document(document, source, dest)
    finally:
        source.unlink(missing_ok=True)


class _Redactions:
    """Documents redacted a few at a time, on every core: up to ``workers`` processes, each document's working copy
    fetched from the store just before its turn, so neither memory nor temporary disk grows with the bundle.

    Workers are spawned, not forked: a forked child would inherit (and on exit could close) the parent's database
    connections. With one worker everything runs in this process.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(workers, 1)
        self.pool: ProcessPoolExecutor | None = None
        if self.workers > 1:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, document: PlannedDocument, source: Path, dest: Path) -> Future[None]:
        if self.pool is not None:
            return self.pool.submit(_redact_file, document, source, dest)
        done: Future[None] = Future()
        try:
            _redact_file(document, source, dest)
            done.set_result(None)
        except BaseException as problem:  # noqa: BLE001 - handed to the caller through the future
            done.set_exception(problem)
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _start_document(
    document: PlannedDocument, work: _Workspace, fetch: Fetch, redactions: _Redactions
) -> tuple[Path, Future[None]] | None:
    if document.withheld_code:
        return None
    if not document.working_key:
        raise BuildProblem(f"“{document.title}” has no readable copy to put in the bundle.")
    source = work.path("source")
    fetch(document.working_key, source)
    redacted = work.path("redacted")
    return redacted, redactions.submit(document, source, redacted)


def _document_sections(
    document: PlannedDocument, number: int, work: _Workspace, redacted: Path | None
) -> tuple[list[_Section], int]:
    """Sections for one document (its redacted pages and stand-ins for withheld pages), and its redaction count."""
    label = f"{number}. {document.title}"
    if document.withheld_code or redacted is None:
        stand_in = work.path("withheld")
        code = document.withheld_code or ""
        pages.render_withheld(
            stand_in,
            title=label,
            pages=list(range(1, document.page_count + 1)),
            code=code,
            meaning=pages_meaning(code),
            whole=True,
        )
        return [_Section(stand_in, [0], label, is_document=False)], 0
    runs = {run[0][0]: run for run in document.withheld_runs}
    sections: list[_Section] = []
    current: _Section | None = None
    page = 1
    while page <= document.page_count:
        if page in runs:
            numbers, code = runs[page]
            stand_in = work.path("withheld")
            pages.render_withheld(
                stand_in, title=label, pages=numbers, code=code, meaning=pages_meaning(code), whole=False
            )
            sections.append(_Section(stand_in, [0], None, is_document=False))
            current = None
            page = numbers[-1] + 1
            continue
        if current is None:
            scanned = frozenset(p - 1 for p in document.scanned_pages)
            current = _Section(redacted, [], None, is_document=True, scanned=scanned)
            sections.append(current)
        current.pages.append(page - 1)
        page += 1
    if sections:
        sections[0].bookmark = label
    return sections, document.redaction_count


def pages_meaning(code: str) -> str:
    from sar.bundle.letters.exemptions import describe

    return describe(code)["meaning"]


def _count_pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _redact_all(
    spec: PartSpec, work: _Workspace, fetch: Fetch, report: Progress, workers: int
) -> list[tuple[PlannedDocument, int, list[_Section], int]]:
    total = len(spec.documents)
    done: list[tuple[PlannedDocument, int, list[_Section], int]] = []
    pending: deque[tuple[int, PlannedDocument, tuple[Path, Future[None]] | None]] = deque()
    # Starting worker processes costs a second or two: worth it only for a bundle of some size.
    small = sum(d.page_count for d in spec.documents) < PARALLEL_FROM_PAGES
    redactions = _Redactions(1 if small else workers)

    def finish_one() -> None:
        offset, document, started = pending.popleft()
        redacted = None
        if started is not None:
            redacted, future = started
            future.result()
        number = spec.first_index_number + offset
        parts, count = _document_sections(document, number, work, redacted)
        done.append((document, number, parts, count))
        report(len(done), total + 2, f"Redacted document {len(done)} of {total}: {document.title[:60]}")

    try:
        for offset, document in enumerate(spec.documents):
            pending.append((offset, document, _start_document(document, work, fetch, redactions)))
            if len(pending) > 2 * redactions.workers:
                finish_one()
        while pending:
            finish_one()
    finally:
        redactions.close()
    return done


def build_part(
    spec: PartSpec,
    out: Path,
    workdir: Path,
    fetch: Fetch,
    progress: Progress | None = None,
    *,
    workers: int = 1,
) -> BuiltPart:
    """Build one part into ``out`` (plain PDF, for the gate). ``workdir`` holds the temporary files; ``workers``
    processes redact documents side by side."""
    work = _Workspace(workdir)
    report = progress or (lambda done, total, message: None)
    total_docs = len(spec.documents)
    doc_sections = _redact_all(spec, work, fetch, report, workers)
    report(total_docs, total_docs + 2, "Typesetting the index and the key")
    cover_pages = _count_pages(spec.cover) if spec.cover else 0
    key_path = work.path("key")
    pages.render_key(key_path, spec.key_rows)
    key_pages = _count_pages(key_path)
    index_path = work.path("index")
    index_pages = 1
    entries: list[BuiltEntry] = []
    # The index lists page ranges that depend on how long the index itself is: typeset until it stops changing.
    for _attempt in range(5):
        entries = _entries(doc_sections, cover_pages + index_pages + 1)
        heading = "Index of documents" + (f" – part {spec.part} of {spec.parts_total}" if spec.parts_total > 1 else "")
        rows = [
            pages.IndexRow(e.number, e.title, e.day, e.source, e.first_page, e.last_page, _note(e)) for e in entries
        ]
        typeset = pages.render_index(
            index_path, rows, heading=heading, introduction=spec.introduction, earlier=spec.earlier
        )
        if typeset == index_pages:
            break
        index_pages = typeset
    sections: list[_Section] = []
    if spec.cover:
        sections.append(_Section(spec.cover, list(range(cover_pages)), "Letter"))
    sections.append(_Section(index_path, list(range(index_pages)), "Index of documents"))
    for _document, _number, doc_parts, _redactions in doc_sections:
        sections.extend(doc_parts)
    sections.append(_Section(key_path, list(range(key_pages)), "Key to the codes"))
    total = sum(len(s.pages) for s in sections)
    furniture = pages.Furniture(
        reference=spec.reference,
        disclosed_to=spec.disclosed_to,
        disclosed_on=spec.disclosed_on,
        total_pages=total,
        first_bundle_number=spec.first_bundle_number,
        part_label=f"Part {spec.part} of {spec.parts_total}" if spec.parts_total > 1 else "",
    )
    report(total_docs + 1, total_docs + 2, f"Putting {total} pages together")
    document_pages, scanned_pages = _assemble(sections, furniture, out, work)
    return BuiltPart(out, total, entries, furniture, document_pages, scanned_pages)


def _note(entry: BuiltEntry) -> str:
    if entry.withheld_code:
        return f"withheld, code {entry.withheld_code}"
    if entry.pages_withheld:
        return f"{entry.pages_withheld} page{'s' if entry.pages_withheld != 1 else ''} withheld"
    return ""


def _entries(doc_sections: list[tuple[PlannedDocument, int, list[_Section], int]], first: int) -> list[BuiltEntry]:
    entries = []
    page = first
    for document, number, sections, redactions in doc_sections:
        count = sum(len(s.pages) for s in sections)
        entries.append(
            BuiltEntry(
                document_id=document.document_id,
                number=number,
                title=document.title,
                day=document.day,
                source=document.source,
                first_page=page,
                last_page=page + count - 1,
                pages=count,
                pages_withheld=document.page_count if document.withheld_code else len(document.withheld_pages),
                redactions=redactions,
                withheld_code=document.withheld_code,
            )
        )
        page += count
    return entries


def _assemble(
    sections: list[_Section], furniture: pages.Furniture, out: Path, work: _Workspace
) -> tuple[list[int], list[int]]:
    """Copy every section's pages into ``out`` with the furniture on each and a bookmark per document.

    The library's streaming writer puts each page in the file as it is copied and keeps only its offset, so memory
    does not grow with the bundle: a source is open only while its pages are copied, and the furniture is typeset
    ``FURNITURE_PAGES`` pages at a time.
    """
    last_use = {section.path: at for at, section in enumerate(sections)}
    marks: list[tuple[str, int]] = []
    document_pages: list[int] = []
    scanned_pages: list[int] = []
    with out.open("wb") as handle, _Furniture(furniture, _sizes(sections), work) as overlays:
        writer = StreamingPdfWriter(handle)
        overlays.writer = writer
        for at, section in enumerate(sections):
            with pikepdf.open(section.path) as pdf:
                if section.bookmark:
                    marks.append((section.bookmark, writer.page_count))
                for index in section.pages:
                    number = writer.page_count + 1
                    over, over_pdf = overlays.page(number)
                    writer.copy_page(pdf.pages[index], source=pdf, overlay=over, overlay_source=over_pdf)
                    if section.is_document:
                        document_pages.append(number)
                    if index in section.scanned:
                        scanned_pages.append(number)
                writer.forget(pdf)
            if last_use[section.path] == at:
                section.path.unlink(missing_ok=True)
        # Nothing about who made the file or with what: a title (the word "Disclosure") and no XMP.
        writer.finish({"/Title": BUNDLE_TITLE}, outline=marks)
    return document_pages, scanned_pages


def _sizes(sections: list[_Section]) -> list[tuple[float, float]]:
    """Every page's size, in bundle order, reading one source at a time."""
    sizes: list[tuple[float, float]] = []
    for section in sections:
        with pikepdf.open(section.path) as pdf:
            sizes.extend(_size(pdf.pages[index]) for index in section.pages)
    return sizes


class _Furniture:
    """The furniture for each page in turn, typeset ``FURNITURE_PAGES`` pages at a time into a file that is open
    only while its pages are laid over the bundle's."""

    def __init__(self, furniture: pages.Furniture, sizes: list[tuple[float, float]], work: _Workspace) -> None:
        self.furniture = furniture
        self.sizes = sizes
        self.work = work
        self.writer: StreamingPdfWriter | None = None
        self.current: tuple[int, Path, pikepdf.Pdf] | None = None  # first page it covers, its file, the open file

    def page(self, number: int) -> tuple[pikepdf.Page, pikepdf.Pdf]:
        if self.current is None or number >= self.current[0] + FURNITURE_PAGES:
            self.close()
            path = self.work.path("furniture")
            sizes = self.sizes[number - 1 : number - 1 + FURNITURE_PAGES]
            pages.render_furniture(path, self.furniture, sizes, number)
            self.current = (number, path, pikepdf.open(path))
        first, _path, pdf = self.current
        return pdf.pages[number - first], pdf

    def close(self) -> None:
        if self.current is not None:
            _first, path, pdf = self.current
            if self.writer is not None:
                self.writer.forget(pdf)
            pdf.close()
            path.unlink(missing_ok=True)
            self.current = None

    def __enter__(self) -> _Furniture:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _size(page: pikepdf.Page) -> tuple[float, float]:
    box = page.mediabox
    return (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))


def cleanup(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
