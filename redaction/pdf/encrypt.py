"""Password encryption of a long PDF on disk (AES-256, the PDF 2.0 security handler, revision 6), object by object.

Why the library writes the encrypted file itself (measured on the bundle benchmark, docs/benchmarks.md): qpdf
(pikepdf's ``save(encryption=...)``) keeps every object it resolved until the file is closed, which added 11 MB at
2,000 pages and 97 MB at 10,000. Here the file is read a batch of objects at a time (:mod:`redaction.pdf.xref`) and
each object is written out encrypted as soon as it is read, so what is held is one batch and an offset per object.

qpdf still does the part where a mistake would weaken the protection: the key derivation. A one-page PDF is saved by
qpdf encrypted with the password (a fresh random file key each time) and reopened with it; its ``/Encrypt``
dictionary (the password hashes and wrapped keys ``/U /UE /O /OE /Perms``), its ``/ID`` and the 32-byte file key are
taken from it. With revision 6 (``/AESV3``) every string and every stream's stored (still filtered) data is
encrypted with that key directly, AES-256-CBC with a random 16-byte IV in front and PKCS#7 padding; the
``/Encrypt`` dictionary and the ``/ID`` strings are not encrypted. The output has a classic cross-reference table.

The document information (``/Info``) and the catalog's XMP metadata are left out, as the encrypted copy leaves the
organisation without them. A file the reader cannot walk (object or cross-reference streams, incremental updates,
anything qpdf warns about or cannot read in a batch, a stream already carrying a ``/Crypt`` filter) is encrypted by
qpdf over the whole file instead: same result, more memory.
"""

from __future__ import annotations

import io
import os
import re
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pikepdf
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from redaction.pdf.xref import BATCH_BYTES, BATCH_OBJECTS, Batch, Unsupported, XrefIndex

_KEY_BYTES = 32
_BLOCK = 16
# A string in qpdf's unparsed form: a literal "(" or a hex string "<0a..>" / "<>" (a dictionary opens with "<<").
_HAS_STRING = re.compile(rb"\(|<[0-9A-Fa-f>]")
_WRITE_BUFFER = 1024 * 1024


def encrypt_pdf(source: Path, dest: Path, password: str) -> None:
    """Write ``source`` to ``dest`` encrypted with ``password`` as both the user and the owner password (AES-256,
    revision 6, qpdf's default permissions), without its document information or XMP metadata."""
    try:
        _encrypt_streamed(source, dest, password)
    except (Unsupported, pikepdf.PdfError):
        # qpdf over the whole file repairs what it can, and otherwise says what is wrong in its own words.
        dest.unlink(missing_ok=True)
        encrypt_whole(source, dest, password)


def encrypt_whole(source: Path, dest: Path, password: str) -> None:
    """The same encryption by qpdf over the whole file: for any file, in memory that grows with it."""
    with pikepdf.open(source) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        pdf.save(
            dest,
            encryption=pikepdf.Encryption(owner=password, user=password, R=6, aes=True),
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )


class _Security:
    """What qpdf derived for the password: the file key, and what the encrypted file's trailer names."""

    def __init__(self, password: str) -> None:
        tiny = pikepdf.new()
        tiny.add_blank_page()
        saved = io.BytesIO()
        tiny.save(saved, encryption=pikepdf.Encryption(owner=password, user=password, R=6, aes=True))
        with pikepdf.open(io.BytesIO(saved.getvalue()), password=password) as pdf:
            info = pdf.encryption
            if info.R != 6 or info.V != 5 or len(info.encryption_key) != _KEY_BYTES:
                raise Unsupported("qpdf did not derive an AES-256 revision 6 key")
            self.key = bytes(info.encryption_key)
            self.dictionary = pdf.trailer["/Encrypt"].unparse(resolved=True)
            self.ids = pdf.trailer["/ID"].unparse(resolved=True)
            self.version = pdf.pdf_version
            extensions = pdf.Root.get("/Extensions")
            self.extensions = extensions.unparse(resolved=True) if extensions is not None else None

    def seal(self, data: bytes) -> bytes:
        iv = os.urandom(_BLOCK)
        pad = _BLOCK - len(data) % _BLOCK
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
        return iv + encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()


def _encrypt_streamed(source: Path, dest: Path, password: str) -> None:
    index = XrefIndex(source)
    if index.has_prev:
        # Only the newest version of each object is written, and a later revision's free entries are not read.
        raise Unsupported("an incremental update")
    security = _Security(password)
    left_out = {index.info[0]} if index.info is not None else set()
    with index.open() as handle:
        root = Batch(index, handle, [(index.root[0], index.root[1], _newest(index, index.root[0]))])
        try:
            _number, catalog = next(root.objects())
            metadata = catalog.get("/Metadata")
            if metadata is not None and metadata.is_indirect:
                left_out.add(metadata.objgen[0])
        finally:
            root.close()
        encrypt_number = max(index.object_count, index.highest + 1)
        offsets = array("q", bytes(8 * (encrypt_number + 1)))
        generations = array("H", bytes(2 * (encrypt_number + 1)))
        with dest.open("wb", buffering=_WRITE_BUFFER) as out:
            version = max(_version(_header(handle)), _version(security.version))
            out.write(b"%%PDF-%d.%d\n%%\xbf\xf7\xa2\xfe\n" % version)
            for batch in _batches(index, handle, left_out):
                try:
                    for number, obj in batch.objects():
                        generation = obj.objgen[1]
                        offsets[number], generations[number] = out.tell(), generation
                        if number == index.root[0]:
                            _scrub_catalog(obj, security)
                        out.write(b"%d %d obj\n" % (number, generation))
                        out.write(_encrypted(obj, security))
                        out.write(b"\nendobj\n")
                    batch.check_warnings()
                finally:
                    batch.close()
            offsets[encrypt_number] = out.tell()
            out.write(b"%d 0 obj\n%s\nendobj\n" % (encrypt_number, security.dictionary))
            xref = _write_xref(out, offsets, generations)
            out.write(
                b"trailer\n<< /Size %d /Root %d %d R /Encrypt %d 0 R /ID %s >>\nstartxref\n%d\n%%%%EOF\n"
                % (encrypt_number + 1, index.root[0], index.root[1], encrypt_number, security.ids, xref)
            )


def _newest(index: XrefIndex, number: int) -> int:
    newest = index.newest(number)
    if newest is None:
        raise Unsupported("an object the trailer names is not in the file")
    return newest[1]


def _batches(index: XrefIndex, handle: BinaryIO, left_out: set[int]) -> Iterator[Batch]:
    """The newest version of every object but those left out, a batch at a time (closed by the caller)."""
    wanted: list[tuple[int, int, int]] = []
    held = 0
    for number in range(1, index.highest + 1):
        newest = index.newest(number)
        if newest is None or number in left_out:
            continue
        start, end = index.extent(newest[1])
        wanted.append((number, newest[0], newest[1]))
        held += end - start
        if len(wanted) >= BATCH_OBJECTS or held >= BATCH_BYTES:
            yield Batch(index, handle, wanted, every_reference=True)
            wanted, held = [], 0
    if wanted:
        yield Batch(index, handle, wanted, every_reference=True)


def _header(handle: BinaryIO) -> str:
    handle.seek(0)
    found = re.match(rb"%PDF-(\d+\.\d+)", handle.read(16))
    if found is None:
        raise Unsupported("no PDF header")
    return found.group(1).decode()


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)


def _scrub_catalog(catalog: pikepdf.Object, security: _Security) -> None:
    """No XMP metadata; and the extension level revision 6 needs in a PDF 1.7 file (as qpdf writes it)."""
    if "/Metadata" in catalog:
        del catalog["/Metadata"]
    if security.extensions is not None and "/Extensions" not in catalog:
        catalog["/Extensions"] = pikepdf.Object.parse(security.extensions)


def _encrypted(obj: pikepdf.Object, security: _Security) -> bytes:
    """The object's bytes (between "obj" and "endobj") with its strings and stream data encrypted."""
    if isinstance(obj, pikepdf.Stream):
        dictionary = obj.stream_dict
        filters = dictionary.get("/Filter")
        if filters is not None and b"/Crypt" in filters.unparse(resolved=True):
            raise Unsupported("a stream with its own crypt filter")
        data = security.seal(obj.read_raw_bytes())
        _seal_strings(dictionary, security)
        dictionary["/Length"] = len(data)
        return dictionary.unparse(resolved=True) + b"\nstream\n" + data + b"\nendstream"
    if isinstance(obj, pikepdf.String):
        return pikepdf.String(security.seal(bytes(obj))).unparse()
    unparsed = obj.unparse(resolved=True)
    if not _HAS_STRING.search(unparsed):
        return unparsed
    _seal_strings(obj, security)
    return obj.unparse(resolved=True)


def _seal_strings(container: pikepdf.Object, security: _Security) -> None:
    """Encrypt, in place, every string held directly in a dictionary or array (and the dictionaries and arrays in
    it); an indirect object it names is encrypted as an object of its own."""
    places = list(container.keys()) if isinstance(container, pikepdf.Dictionary) else range(len(container))
    for place in places:
        value = container[place]
        if not isinstance(value, pikepdf.String | pikepdf.Dictionary | pikepdf.Array) or value.is_indirect:
            continue  # numbers, names and the like, or an object encrypted as one of its own
        if isinstance(value, pikepdf.String):
            container[place] = pikepdf.String(security.seal(bytes(value)))
        else:
            _seal_strings(value, security)


def _write_xref(out: BinaryIO, offsets: array[int], generations: array[int]) -> int:
    """A classic cross-reference table for every number up to the /Encrypt dictionary's; returns where it starts."""
    at = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets))
    for number in range(1, len(offsets)):
        if offsets[number]:
            out.write(b"%010d %05d n \n" % (offsets[number], generations[number]))
        else:
            out.write(b"0000000000 65535 f \n")
    return at
