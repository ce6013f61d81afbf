"""What a file is, from its content: never from its name.

``puremagic`` (MIT) recognises the signatures of images and the general file families. Two
families share one signature and need a look inside to tell apart, which no signature library
does: OLE compound files (Outlook ``.msg``, legacy Word/Excel/PowerPoint, and *encrypted* modern
Office files, which are OLE wrappers around the encrypted package) and ZIP files (Word/Excel/
PowerPoint 2007+, OpenDocument, or a plain archive). Those are decided here from the directory
of streams or members (``olefile``, BSD; the standard ``zipfile``). Mail and mailboxes are text,
so they are recognised by their header lines.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile
import puremagic

_HEAD = 64 * 1024


@dataclass(frozen=True)
class Sniffed:
    media_type: str
    kind: str  # "pdf" | "image" | "office" | "email" | "mailbox" | "archive" | "html" | "text" | "unknown"
    encrypted: bool = False


_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "office"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "office"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "office"),
}
_OLE_OFFICE = {
    "worddocument": "application/msword",
    "workbook": "application/vnd.ms-excel",
    "book": "application/vnd.ms-excel",
    "powerpoint document": "application/vnd.ms-powerpoint",
}
_IMAGES = {"image/tiff", "image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp"}
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]", re.MULTILINE)
_MAIL_HEADERS = re.compile(rb"^(from|to|subject|date|message-id|received|mime-version|return-path):", re.I | re.M)
_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


def sniff(path: Path) -> Sniffed:
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if b"%PDF-" in head[:1024]:
        return Sniffed("application/pdf", "pdf")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole(path)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip(path)
    if head.startswith(b"!BDN"):
        return Sniffed("application/vnd.ms-outlook-pst", "mailbox")
    if head.startswith(b"{\\rtf"):
        return Sniffed("application/rtf", "office")
    magic = _puremagic_type(path)
    if magic in _IMAGES:
        return Sniffed(magic, "image")
    return _text_family(head, magic)


def _puremagic_type(path: Path) -> str:
    try:
        matches = puremagic.magic_file(str(path))
    except (puremagic.PureError, ValueError, OSError):
        return ""
    for match in matches:
        if match.mime_type:
            return str(match.mime_type)
    return ""


def _ole(path: Path) -> Sniffed:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except OSError:
        return Sniffed("application/x-ole-storage", "unknown")
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        return Sniffed("application/x-ole-storage", "office", encrypted=True)
    if "__properties_version1.0" in streams or any(s.startswith("__substg1.0_") for s in streams):
        return Sniffed("application/vnd.ms-outlook", "email")
    for stream, media_type in _OLE_OFFICE.items():
        if stream in streams:
            return Sniffed(media_type, "office")
    return Sniffed("application/x-ole-storage", "unknown")


def _zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    encrypted = b"encryption-data" in _member_head(archive, "META-INF/manifest.xml")
                    return Sniffed(declared, "office", encrypted=encrypted)
            if "[Content_Types].xml" in names:
                for prefix, (media_type, kind) in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return Sniffed(media_type, kind)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        # Damaged central directory: still an archive, and the archive reader explains the damage.
        pass
    return Sniffed("application/zip", "archive")


def _member_head(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        with archive.open(name) as member:
            return member.read(256 * 1024)
    except KeyError:
        return b""


def _text_family(head: bytes, magic: str) -> Sniffed:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Sniffed(magic or "application/octet-stream", "unknown")
    if head.startswith(b"From ") and _MAIL_HEADERS.search(head[:4096]):
        return Sniffed("application/mbox", "mailbox")
    top = head.lstrip(b"\xef\xbb\xbf")[:4096]
    if _looks_like_mail(top):
        return Sniffed("message/rfc822", "email")
    if _HTML.match(top.lstrip(b"\xef\xbb\xbf")) or b"<html" in top[:1024].lower():
        return Sniffed("text/html", "html")
    return Sniffed("text/plain", "text")


def _looks_like_mail(top: bytes) -> bool:
    """A message starts with header lines and names at least two of the usual headers."""
    block = top.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if not _HEADER_LINE.match(block):
        return False
    return len({m.group(1).lower() for m in _MAIL_HEADERS.finditer(block)}) >= 2
