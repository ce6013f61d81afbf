"""The release check's object walk for a long file on disk, in memory that does not grow with the page count.

Why the library reads cross-reference tables itself (measured on the bundle benchmark, docs/benchmarks.md): qpdf
opening a 10,000-page file holds its cross-reference table and a placeholder for each of its ~35,000 objects
(+49 MB), and ``check_pdf_syntax`` keeps every object it resolved until the file is closed (+70 MB more); neither can
be given back short of closing the file, so a check through one qpdf instance grew by about 15 kB a page. Here the
file's own cross-reference tables are read into arrays (about 10 bytes an object) and the objects are handed to qpdf
a batch at a time: each batch is copied byte for byte, under its own object numbers, into a small PDF of its own,
which qpdf opens, checks and closes. Every object is still parsed by qpdf, every stream decoded by qpdf (images at
the level ``check_pdf_syntax`` decodes them) and every page's content stream parsed by qpdf.

A small PDF holds what the checks read through an object's references as well (a stream's ``/Length`` and filters,
an action's ``/S``, a page's ``/Resources`` and ``/XObject`` dictionary: :data:`_RESOLVE_KEYS`), and an empty
dictionary for any other object a key names, since qpdf reads a key it cannot resolve as absent and the checks look
for keys. A page tree node's kids and a page's contents are read from the object's bytes, by number.

PDFium, for the page text, reads the file through :class:`PageRange`, a view whose page tree holds only the pages in
hand: it keeps every page dictionary it walked past to find a page, which grew by about 2 kB a page.

The walk handles only what it can check exactly as the whole-file path does, and raises :class:`Unsupported`
otherwise; the caller then checks the file the whole-file way (qpdf over the whole file), which is as strict, reports
the problem in its own words and uses more memory. That happens for: cross-reference streams or object streams (PDF
1.5 compression; incremental updates written by pypdf), an encrypted or linearized file, a cross-reference entry that
does not point at its object (a damaged table, which qpdf would repair with a warning), a page tree that is not a
plain tree of dictionaries, a page without a MediaBox, and any warning or error qpdf raises on an object, a stream's
decoding or a page's content stream. An incremental update with classic tables is walked: every revision's objects
are checked, including the versions a later revision replaced (the whole-file check sees only the newest).
"""

from __future__ import annotations

import io
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import pikepdf

# Objects per small PDF, and the raw bytes one may hold: enough that opening each costs little, few enough that what
# qpdf holds for one stays small (a burned page image is about 17 kB).
BATCH_OBJECTS = 400
BATCH_BYTES = 4 * 1024 * 1024
_PAD_PER_OBJECT = 24  # bytes of small PDF per object number: qpdf needed about 14 (measured with qpdf 12.4)
_CLOSURE_DEPTH = 2
_MAX_TREE_DEPTH = 64

_REF = re.compile(rb"(\d+)\s+(\d+)\s+R\b")
# What the small PDF must hold for the checks to read an object as they would in the whole file. The values of these
# keys are read, so the objects they refer to come along (two levels: a page's /Resources and its /XObject
# dictionary), as do the references in a stream's filter arrays. Any other key whose value is a reference gets an
# empty dictionary in its place: qpdf reads a key whose value it cannot resolve as absent, and the checks look for
# keys, but what they name is checked when its own batch comes (a page tree node's kids are the whole file).
_RESOLVE_KEYS = frozenset(
    {
        b"Length",
        b"Filter",
        b"DecodeParms",
        b"DP",
        b"S",
        b"Type",
        b"Subtype",
        b"MediaBox",
        b"Annots",
        b"Resources",
        b"XObject",
        b"Metadata",
        b"Names",
    }
)
_KEY_REF = re.compile(rb"/([^\s/<>\[\]()]+)\s*(\d+)\s+(\d+)\s+R\b")
_FILTER_ARRAY = re.compile(rb"/(?:Filter|DecodeParms|DP)\s*(\[[^\]]*\])")
_METADATA = re.compile(rb"/Metadata\s+(\d+\s+\d+\s+R)\b")
_KIDS = re.compile(rb"/Kids\b\s*(\[[^\]]*\]|\d+\s+\d+\s+R\b)")
_CONTENTS = re.compile(rb"/Contents\b\s*(\[[^\]]*\]|\d+\s+\d+\s+R\b)")
_OBJ_HEADER = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_XREF_TOKEN = re.compile(rb"\d+|[nf]\b|trailer\b|\S+")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
_TRAILER_REF = re.compile(rb"/(Root|Info)\s+(\d+)\s+(\d+)\s+R\b")
_TRAILER_PREV = re.compile(rb"/Prev\s+(\d+)(?![\d.]|\s+\d+\s+R\b)")
_TRAILER_SIZE = re.compile(rb"/Size\s+(\d+)")


class Unsupported(Exception):  # noqa: N818 - a reason to take the other path, not an error
    """The file is one the walk does not check exactly: check it the whole-file way."""


@dataclass
class Section:
    """One cross-reference section: the objects in use, and the trailer that follows it."""

    numbers: array[int] = field(default_factory=lambda: array("I"))
    generations: array[int] = field(default_factory=lambda: array("H"))
    offsets: array[int] = field(default_factory=lambda: array("q"))
    trailer: bytes = b""


class XrefIndex:
    """Every revision's cross-reference section, newest first, and where each object's bytes end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.sections: list[Section] = []
        with path.open("rb") as handle:
            handle.seek(max(self.size - 1024, 0))
            found = _STARTXREF.findall(handle.read())
            if not found:
                raise Unsupported("no startxref")
            self.startxref = int(found[-1])
            offset: int | None = self.startxref
            seen: set[int] = set()
            while offset is not None:
                if offset in seen or len(seen) > 64:
                    raise Unsupported("cross-reference sections loop")
                seen.add(offset)
                section = _read_section(handle, offset, self.size)
                self.sections.append(section)
                prev = _TRAILER_PREV.search(section.trailer)
                offset = int(prev.group(1)) if prev else None
        latest = self.sections[0].trailer
        if re.search(rb"/(Encrypt|XRefStm)\b", latest):
            raise Unsupported("encrypted or hybrid file")
        size = _TRAILER_SIZE.search(latest)
        self.object_count = int(size.group(1)) if size else 0
        refs = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in _TRAILER_REF.finditer(latest)}
        if b"Root" not in refs:
            raise Unsupported("no /Root in the trailer")
        self.root = refs[b"Root"]
        self.info = refs.get(b"Info")
        self.has_prev = len(self.sections) > 1
        self.trailer = latest
        # Where each object's bytes end: the next object, cross-reference section or the end of the file.
        starts = array("q")
        for section in reversed(self.sections):
            starts.extend(section.offsets)
        starts.extend(sorted(seen))
        starts.append(self.size)
        # A file written front to back (as the library's writer does) is in order already; sorting makes a list.
        if any(a > b for a, b in zip(starts, islice(starts, 1, None), strict=False)):
            starts = array("q", sorted(starts))
        self._starts = starts
        with path.open("rb") as handle:
            handle.seek(starts[0])
            if b"/Linearized" in _dictionary_part(handle.read(1024)):
                raise Unsupported("a linearized file")
        # The newest offset of each object number (0: none), for resolving references: two arrays, not a dict,
        # which would cost about 150 bytes an object.
        highest = max((max(s.numbers) for s in self.sections if s.numbers), default=0)
        self.highest = highest
        self._newest_at = array("q", bytes(8 * (highest + 1)))
        self._newest_generation = array("H", bytes(2 * (highest + 1)))
        for section in reversed(self.sections):
            for number, generation, at in zip(section.numbers, section.generations, section.offsets, strict=True):
                self._newest_at[number] = at
                self._newest_generation[number] = generation

    def extent(self, offset: int) -> tuple[int, int]:
        end = self._starts[bisect_right(self._starts, offset)] if offset < self.size else self.size
        return offset, end

    def newest(self, number: int) -> tuple[int, int] | None:
        """The generation and offset of the newest version of object ``number``."""
        if number >= len(self._newest_at) or not self._newest_at[number]:
            return None
        return self._newest_generation[number], self._newest_at[number]

    def open(self) -> BinaryIO:
        return self.path.open("rb")


def _read_section(handle: BinaryIO, offset: int, size: int) -> Section:
    handle.seek(offset)
    if handle.read(4) != b"xref":
        raise Unsupported("cross-reference stream, or a table not where startxref says")
    section = Section()
    tokens = _tokens(handle)
    for word in tokens:
        if word.startswith(b"trailer"):
            break
        if not word.isdigit():
            raise Unsupported("malformed cross-reference table")
        first, count = int(word), int(next(tokens, b"0"))
        for number in range(first, first + count):
            at, generation, kind = next(tokens, b"x"), next(tokens, b"x"), next(tokens, b"x")
            if not (at.isdigit() and generation.isdigit()) or kind not in (b"n", b"f"):
                raise Unsupported("malformed cross-reference entry")
            if kind == b"n":
                if not 0 < int(at) < size:
                    raise Unsupported("cross-reference entry outside the file")
                section.numbers.append(number)
                section.generations.append(int(generation))
                section.offsets.append(int(at))
    else:
        raise Unsupported("cross-reference table cut short")
    # The trailer dictionary runs to "startxref".
    handle.seek(offset + _find_after(handle, offset, b"trailer"))
    tail = handle.read(64 * 1024)
    end = tail.find(b"startxref")
    if end < 0:
        raise Unsupported("no startxref after the trailer")
    section.trailer = tail[:end]
    return section


def _tokens(handle: BinaryIO) -> Iterator[bytes]:
    """Whitespace-separated words from the handle's position on, read in blocks."""
    carry = b""
    while block := handle.read(64 * 1024):
        parts = (carry + block).split()
        carry = b"" if block[-1:].isspace() or not parts else parts.pop()
        yield from parts
    if carry:
        yield carry


def _find_after(handle: BinaryIO, offset: int, word: bytes) -> int:
    """Distance from ``offset`` to ``word`` (read in blocks, so a long table is never held whole)."""
    handle.seek(offset)
    carry, read = b"", 0
    while block := handle.read(1024 * 1024):
        data = carry + block
        at = data.find(word)
        if at >= 0:
            return read - len(carry) + at + len(word)
        carry = data[-len(word) :]
        read += len(block)
    raise Unsupported(f"no {word.decode()}")


class Batch:
    """A few objects of the file, opened by qpdf as a PDF of their own (under their own numbers)."""

    def __init__(
        self, index: XrefIndex, handle: BinaryIO, wanted: list[tuple[int, int, int]], *, document: bool = False
    ) -> None:
        """``wanted``: (number, generation, offset) of the objects to check; what they refer to comes along.
        ``document``: ``wanted`` holds the file's catalog (and document information): the small PDF's trailer and
        catalog then name the file's document information and XMP metadata, so qpdf reads those as the file's."""
        self.wanted = wanted
        bodies: dict[int, bytes] = {}
        for number, generation, at in wanted:
            bodies[number] = _read_object(index, handle, number, generation, at)
        # Kids and contents are only named (by number), read from the bytes: they are checked in their own batches.
        self._heads = {number: _dictionary_part(body) for number, body in bodies.items()}
        stubs: dict[int, int] = {}
        level = list(bodies.values())
        for _depth in range(_CLOSURE_DEPTH):
            found: list[bytes] = []
            for body in level:
                for number, generation, resolve in _references_in(body):
                    newest = index.newest(number)
                    if number in bodies or newest is None or newest[0] != generation:
                        continue
                    if resolve:
                        bodies[number] = _read_object(index, handle, number, *newest)
                        found.append(bodies[number])
                        stubs.pop(number, None)
                    else:
                        stubs[number] = generation
            level = found
        for number, generation in stubs.items():
            bodies[number] = b"%d %d obj\n<< >>\nendobj" % (number, generation)
        self.dummy = max(index.object_count, max(bodies) + 1)
        own = (index.root, index.info) if document else None
        self.pdf = pikepdf.open(io.BytesIO(_small_pdf(bodies, self.dummy, index.trailer, own)))
        if self.pdf.get_warnings():
            raise Unsupported("qpdf warned about an object")

    def named(self, number: int, key: re.Pattern[bytes]) -> array[int] | None:
        """The objects that ``key`` of the wanted object ``number`` refers to, read from its bytes."""
        return _references(self._heads[number], key)

    def objects(self) -> Iterator[tuple[int, pikepdf.Object]]:
        for number, generation, _at in self.wanted:
            yield number, self.pdf.get_object((number, generation))

    def trailer(self) -> pikepdf.Object:
        """The file's trailer dictionary, as an object of this small PDF (its references resolve here)."""
        return self.pdf.get_object((self.dummy + 2, 0))

    def check_warnings(self) -> None:
        if self.pdf.get_warnings():
            raise Unsupported("qpdf warned about an object")

    def close(self) -> None:
        self.pdf.close()


def _read_object(index: XrefIndex, handle: BinaryIO, number: int, generation: int, at: int) -> bytes:
    start, end = index.extent(at)
    handle.seek(start)
    body = handle.read(end - start)
    header = _OBJ_HEADER.match(body)
    if header is None or (int(header.group(1)), int(header.group(2))) != (number, generation):
        raise Unsupported("a cross-reference entry does not point at its object")
    return body


def _references_in(body: bytes) -> Iterator[tuple[int, int, bool]]:
    """The references a key's value holds: number, generation and whether the checks read what it names."""
    head = _dictionary_part(body)
    for match in _KEY_REF.finditer(head):
        yield int(match.group(2)), int(match.group(3)), match.group(1) in _RESOLVE_KEYS
    for value in _FILTER_ARRAY.finditer(head):
        for match in _REF.finditer(value.group(1)):
            yield int(match.group(1)), int(match.group(2)), True


def _references(body: bytes, key: re.Pattern[bytes]) -> array[int] | None:
    """The objects a key names (a reference or an array of references), or ``None`` without the key; a value that
    is anything else is not walked."""
    values = key.findall(_dictionary_part(body))
    if not values:
        return None
    if len(values) > 1 or _REF.sub(b"", values[0]).strip(b"[] \t\r\n\f\x00"):
        raise Unsupported("a page tree or page names its kids or contents in a way the walk does not follow")
    return array("I", (int(match.group(1)) for match in _REF.finditer(values[0])))


def _dictionary_part(body: bytes) -> bytes:
    """An object's bytes before its stream data, where the references that matter are."""
    at = body.find(b"stream")
    return body if at < 0 else body[:at]


def _small_pdf(
    bodies: dict[int, bytes],
    dummy: int,
    trailer: bytes,
    own: tuple[tuple[int, int], tuple[int, int] | None] | None = None,
) -> bytes:
    """A PDF holding ``bodies`` under their own numbers; a catalog and an empty page tree make it one qpdf opens,
    and the file's trailer dictionary is an object of it, so its strings and references can be read too."""
    out = io.BytesIO()
    # qpdf takes a cross-reference table naming objects numbered far beyond what the file's length could hold for
    # damaged (and then cannot find the catalog): the small PDF is padded to the length the numbers imply.
    out.write(b"%PDF-1.7\n%" + b" " * (_PAD_PER_OBJECT * (dummy + 3)) + b"\n")
    offsets: dict[int, int] = {}
    for number, body in sorted(bodies.items()):
        offsets[number] = out.tell()
        out.write(body)
        out.write(b"\n")
    metadata = b""
    if own is not None:
        # The stand-in catalog names the file's XMP metadata, so qpdf reads it as the file's (the file's own
        # catalog cannot be the small PDF's: its page tree's kids are not in it, and qpdf would say so).
        found = _METADATA.findall(_dictionary_part(bodies[own[0][0]]))
        if len(found) > 1 or (b"/Metadata" in _dictionary_part(bodies[own[0][0]]) and not found):
            raise Unsupported("the catalog's metadata is not a reference")
        metadata = b" /Metadata %s" % found[0] if found else b""
    extras = (
        b"<< /Type /Catalog /Pages %d 0 R%s >>" % (dummy + 1, metadata),
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        _trailer_dictionary(trailer),
    )
    for number, body in enumerate(extras, start=dummy):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")
    numbers = sorted(offsets)
    run_start = 0
    for position, number in enumerate(numbers):
        if position + 1 == len(numbers) or numbers[position + 1] != number + 1:
            run = numbers[run_start : position + 1]
            out.write(b"%d %d\n" % (run[0], len(run)))
            for each in run:
                generation = _OBJ_HEADER.match(bodies[each]).group(2) if each in bodies else b"0"  # type: ignore[union-attr]
                out.write(b"%010d %05d n \n" % (offsets[each], int(generation)))
            run_start = position + 1
    info = b" /Info %d %d R" % own[1] if own is not None and own[1] is not None else b""
    out.write(b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (dummy + 3, dummy, info, xref))
    return out.getvalue()


def _trailer_dictionary(trailer: bytes) -> bytes:
    start, end = trailer.find(b"<<"), trailer.rfind(b">>")
    if start < 0 or end < start:
        raise Unsupported("the trailer is not a dictionary")
    return trailer[start : end + 2]


def batches(index: XrefIndex, handle: BinaryIO) -> Iterator[Batch]:
    """Every object of every revision, a batch at a time (the caller closes each before the next is made)."""
    for section in index.sections:
        wanted: list[tuple[int, int, int]] = []
        held = 0
        for number, generation, at in zip(section.numbers, section.generations, section.offsets, strict=True):
            start, end = index.extent(at)
            wanted.append((number, generation, at))
            held += end - start
            if len(wanted) >= BATCH_OBJECTS or held >= BATCH_BYTES:
                yield Batch(index, handle, wanted)
                wanted, held = [], 0
        if wanted:
            yield Batch(index, handle, wanted)


_SEEN, _CONTENT = 1, 2  # flags kept per object number while walking the page tree


@dataclass
class PageTree:
    """The pages in order (object numbers), which of them draw XObjects (what the OCR check reads back) and which
    objects are page contents (parsed as such when walked): a few bytes a page, in arrays."""

    pages: array[int] = field(default_factory=lambda: array("I"))
    draws_images: bytearray = field(default_factory=bytearray)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (page number, what)
    flags: bytearray = field(default_factory=bytearray)  # per object number

    def is_contents(self, number: int) -> bool:
        return number < len(self.flags) and bool(self.flags[number] & _CONTENT)


def page_tree(index: XrefIndex, handle: BinaryIO, root: pikepdf.Object, page_forbidden: dict[str, str]) -> PageTree:
    """Walk the page tree a level at a time, in batches; only the tree's shape (a few numbers a page) is kept."""
    top = root.get("/Pages")
    if not isinstance(top, pikepdf.Dictionary) or not top.is_indirect:
        raise Unsupported("no indirect page tree root")
    tree = PageTree(flags=bytearray(index.highest + 1))
    kids_of: dict[int, array[int]] = {}
    images = bytearray(index.highest + 1)  # per page object: it draws XObjects
    findings: dict[int, list[str]] = {}  # per page object, only those with any
    level, boxed = array("I", [top.objgen[0]]), bytearray(1)  # node numbers; a MediaBox is inherited
    for _depth in range(_MAX_TREE_DEPTH):
        if not level:
            break
        following, following_boxed = array("I"), bytearray()
        for start in range(0, len(level), BATCH_OBJECTS):
            wanted = []
            for number in level[start : start + BATCH_OBJECTS]:
                newest = index.newest(number)
                if newest is None or tree.flags[number] & _SEEN:
                    raise Unsupported("a page tree node is missing or appears twice")
                tree.flags[number] |= _SEEN
                wanted.append((number, newest[0], newest[1]))
            batch = Batch(index, handle, wanted)
            try:
                for at, (number, obj) in enumerate(batch.objects(), start=start):
                    kids = _visit(number, obj, bool(boxed[at]), batch, tree, images, findings, page_forbidden)
                    if kids is not None:
                        kids_of[number] = kids
                        following.extend(kids)
                        following_boxed.extend(b"\1" * len(kids) if boxed[at] or _has_box(obj) else bytes(len(kids)))
                batch.check_warnings()
            finally:
                batch.close()
        level, boxed = following, following_boxed
    else:
        raise Unsupported("the page tree is too deep")
    stack = [top.objgen[0]]
    while stack:
        number = stack.pop()
        if number in kids_of:
            stack.extend(reversed(kids_of.pop(number)))
            continue
        tree.pages.append(number)
        tree.draws_images.append(images[number])
        tree.problems.extend((len(tree.pages), what) for what in findings.get(number, ()))
    return tree


def _has_box(node: pikepdf.Object) -> bool:
    return isinstance(node.get("/MediaBox"), pikepdf.Array)


def _visit(
    number: int,
    obj: pikepdf.Object,
    inherited_box: bool,
    batch: Batch,
    tree: PageTree,
    images: bytearray,
    findings: dict[int, list[str]],
    page_forbidden: dict[str, str],
) -> array[int] | None:
    """A page tree node's kids, or ``None`` for a page (what it must not carry goes in ``findings``)."""
    if not isinstance(obj, pikepdf.Dictionary):
        raise Unsupported("a page tree node is not a dictionary")
    kind = obj.get("/Type")
    if kind == "/Pages":
        kids = batch.named(number, _KIDS)
        if kids is None:
            raise Unsupported("a page tree node has no /Kids")
        return kids
    if kind != "/Page" or not (inherited_box or _has_box(obj)) or "/Kids" in obj:
        raise Unsupported("a page that qpdf would repair")
    problems = []
    for key, what in page_forbidden.items():
        value = obj.get(key)
        if value is None or (isinstance(value, pikepdf.Array) and len(value) == 0):
            continue
        problems.append(f"the page has {what} ({key})")
    if problems:
        findings[number] = problems
    for stream in batch.named(number, _CONTENTS) or ():
        if stream >= len(tree.flags):
            raise Unsupported("page contents that are not in the file")
        tree.flags[stream] |= _CONTENT
    resources = obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    images[number] = isinstance(xobjects, pikepdf.Dictionary) and len(xobjects.keys()) > 0
    return None


class PageRange(io.RawIOBase):
    """The file as PDFium should read it for a few of its pages: the file itself, then an update whose catalog's page
    tree holds only those pages (the file's own page objects, read where they are).

    PDFium finds a page by walking the page tree from the first page and keeps every page dictionary it walked past
    until the document is closed: reopening the whole file every few hundred pages still held every page before the
    one asked for (+23 MB at 10,000 pages, measured). Through this view it walks past at most the pages in range.
    """

    def __init__(self, index: XrefIndex, pages: array[int]) -> None:
        super().__init__()
        self._handle = index.path.open("rb")
        self._size = index.size
        catalog, tree = index.object_count, index.object_count + 1
        kids = b" ".join(b"%d %d R" % (number, (index.newest(number) or (0, 0))[0]) for number in pages)
        at = self._size
        update = b"\n%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (catalog, tree)
        tree_at = at + len(update)
        update += b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (tree, kids, len(pages))
        xref_at = at + len(update)
        update += b"xref\n0 1\n0000000000 65535 f \n%d 2\n%010d 00000 n \n%010d 00000 n \n" % (catalog, at + 1, tree_at)
        update += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            tree + 1,
            catalog,
            index.startxref,
            xref_at,
        )
        self._update = update
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size + len(self._update)}[whence]
        self._position = max(base + offset, 0)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        done = 0
        if self._position < self._size:
            self._handle.seek(self._position)
            done = self._handle.readinto(view[: min(len(view), self._size - self._position)]) or 0
        if done < len(view) and self._position + done >= self._size:
            start = self._position + done - self._size
            piece = self._update[start : start + len(view) - done]
            view[done : done + len(piece)] = piece
            done += len(piece)
        self._position += done
        return done

    def close(self) -> None:
        self._handle.close()
        super().close()
