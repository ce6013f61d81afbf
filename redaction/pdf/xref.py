"""A long PDF on disk read object by object, in memory that does not grow with the page count.

Why the library reads cross-reference tables itself (measured on the bundle benchmark, docs/benchmarks.md): qpdf
opening a 10,000-page file holds its cross-reference table and a placeholder for each of its ~35,000 objects
(+49 MB), and keeps every object it resolved until the file is closed (+70 MB more for a check, +97 MB for an
encrypted save); neither can be given back short of closing the file. Here the file's own cross-reference tables are
read into arrays (about 10 bytes an object) and the objects are handed to qpdf a batch at a time: each batch is copied
byte for byte, under its own object numbers, into a small PDF of its own, which qpdf opens, reads and closes. The
release check (``redaction.verify.walk``) and the encryptor (``redaction.pdf.encrypt``) read a file this way.

A small PDF holds what the release check reads through an object's references as well (a stream's ``/Length`` and
filters, an action's ``/S``, a page's ``/Resources`` and ``/XObject`` dictionary: :data:`_RESOLVE_KEYS`), and an
empty dictionary for any other object a key names, since qpdf reads a key it cannot resolve as absent and the checks
look for keys.

The reader handles only classic cross-reference tables and raises :class:`Unsupported` otherwise (cross-reference
streams or object streams, an encrypted or linearized file, a cross-reference entry that does not point at its
object, any warning qpdf raises on a batch); the caller then takes the whole-file way through qpdf.
"""

from __future__ import annotations

import io
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
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
        self,
        index: XrefIndex,
        handle: BinaryIO,
        wanted: list[tuple[int, int, int]],
        *,
        document: bool = False,
        every_reference: bool = False,
    ) -> None:
        """``wanted``: (number, generation, offset) of the objects to check; what they refer to comes along.
        ``document``: ``wanted`` holds the file's catalog (and document information): the small PDF's trailer and
        catalog then name the file's document information and XMP metadata, so qpdf reads those as the file's.
        ``every_reference``: every reference the wanted objects hold, wherever it is (in an array too), names an
        object of the small PDF (an empty dictionary if nothing else), for a caller that writes them back: qpdf turns
        a reference it cannot resolve into null once it is read, and writes it back as null."""
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
        if every_reference:
            stubs.update(_unresolved(self._heads.values(), bodies))
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
            obj = self.pdf.get_object((number, generation))
            if not isinstance(obj, pikepdf.Object):
                # A damaged object: qpdf read it as null or as the lone number it starts with (pikepdf then hands
                # over Python's None or int). The whole-file way repairs it or says why.
                raise Unsupported(f"object {number} could not be read in a batch")
            yield number, obj

    def trailer(self) -> pikepdf.Object:
        """The file's trailer dictionary, as an object of this small PDF (its references resolve here)."""
        return self.pdf.get_object((self.dummy + 2, 0))

    def check_warnings(self) -> None:
        if self.pdf.get_warnings():
            raise Unsupported("qpdf warned about an object")

    def close(self) -> None:
        self.pdf.close()


def _unresolved(heads: Iterable[bytes], bodies: dict[int, bytes]) -> Iterator[tuple[int, int]]:
    """Every reference in ``heads`` to an object not in ``bodies``: number and generation."""
    for head in heads:
        for match in _REF.finditer(head):
            if int(match.group(1)) not in bodies:
                yield int(match.group(1)), int(match.group(2))


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
