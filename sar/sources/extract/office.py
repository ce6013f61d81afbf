"""Word, Excel, PowerPoint, RTF and OpenDocument files: converted to PDF by LibreOffice headless.

Debian's ``libreoffice-writer-nogui``, ``-calc-nogui`` and ``-impress-nogui`` (MPL-2.0, run as a
separate program) make the PDF look as the document does, which is what the bundle must show.
LibreOffice is heavy and misbehaves when two copies share a profile, so:
- one conversion at a time per worker process (a lock), each in a fresh private profile folder
  (``-env:UserInstallation``) so workers on one machine never collide;
- a timeout, after which the whole process group is killed (LibreOffice forks ``soffice.bin``).
Encrypted files are recognised before conversion (headless LibreOffice cannot ask for a password
and would only say "could not be loaded").
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import olefile

from sar.sources.extract.model import Refused

_LOCK = threading.Lock()
_CREATED = re.compile(rb"<(?:dcterms:created|meta:creation-date)[^>]*>([^<]+)<")
_TITLE = re.compile(rb"<dc:title[^>]*>([^<]+)<")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(source: Path, out: Path, *, timeout_s: float) -> Path:
    program = soffice()
    if program is None:
        raise Refused(
            "conversion_failed",
            "This office document cannot be converted because LibreOffice is not installed on the server. "
            "Ask the system administrator to install it, then add the file again.",
        )
    with _LOCK, tempfile.TemporaryDirectory(prefix="sar-lo-") as scratch:
        folder = Path(scratch)
        # LibreOffice names its output after the input; a plain name avoids surprises with odd file names.
        staged = folder / "document"
        shutil.copyfile(source, staged)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            str(staged),
        ]
        env = {**os.environ, "HOME": str(folder), "SAL_USE_VCLPLUGIN": "svp"}
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
        try:
            _stdout, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise Refused(
                "timeout",
                f"Converting this document to PDF took longer than {timeout_s:.0f} seconds and was stopped. "
                "It may be very large or damaged; a person needs to open it.",
            ) from exc
        produced = folder / "out" / "document.pdf"
        if process.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
            # LibreOffice prints start-up warnings (Java) on every run; only its error lines help a person.
            errors = [line for line in stderr.decode("utf-8", "replace").splitlines() if "error" in line.lower()]
            detail = " ".join(errors).strip()[:300]
            raise Refused(
                "conversion_failed",
                "LibreOffice could not convert this document to PDF; it may be damaged or in an old or unusual "
                f"format. A person needs to open it.{' (' + detail + ')' if detail else ''}",
            )
        shutil.move(str(produced), out)
    return out


def refuse_if_encrypted(path: Path, media_type: str) -> None:
    """Legacy Word files flag encryption in their header; the other formats are caught by the sniffer."""
    if media_type == "application/msword" and _legacy_word_encrypted(path):
        raise encrypted_refusal()
    if media_type == "application/vnd.ms-excel" and _legacy_excel_encrypted(path):
        raise encrypted_refusal()


def encrypted_refusal() -> Refused:
    return Refused(
        "encrypted",
        "This document is protected by a password, so it cannot be read. "
        "Ask whoever supplied it for a copy without the password.",
    )


def _legacy_word_encrypted(path: Path) -> bool:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            header = ole.openstream("WordDocument").read(12)
    except OSError:
        return False
    # FIB base: bit 0 of the flags word at offset 0x0A is fEncrypted.
    return len(header) >= 12 and bool(int.from_bytes(header[10:12], "little") & 0x0100)


def _legacy_excel_encrypted(path: Path) -> bool:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            head = ole.openstream(stream).read(64 * 1024)
    except OSError:
        return False
    # BIFF records: a FILEPASS record (0x002F) in the workbook globals means the workbook is encrypted.
    pos = 0
    while pos + 4 <= len(head):
        kind = int.from_bytes(head[pos : pos + 2], "little")
        size = int.from_bytes(head[pos + 2 : pos + 4], "little")
        if kind == 0x002F:
            return True
        if kind == 0x000A:  # EOF of the globals substream
            return False
        pos += 4 + size
    return False


def office_info(path: Path, media_type: str) -> tuple[str, datetime | None, dict[str, str]]:
    """Title and creation date recorded by the author's program (not the conversion time)."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                member = "docProps/core.xml" if "docProps/core.xml" in names else "meta.xml"
                if member not in names:
                    return "", None, {}
                data = archive.read(member)[: 256 * 1024]
            title_match, created_match = _TITLE.search(data), _CREATED.search(data)
            title = title_match.group(1).decode("utf-8", "replace").strip() if title_match else ""
            created = _iso(created_match.group(1).decode("ascii", "replace")) if created_match else None
            return title, created, {"title": title} if title else {}
        if olefile.isOleFile(str(path)):
            with olefile.OleFileIO(str(path)) as ole:
                meta = ole.get_metadata()
            title = (meta.title or b"").decode("cp1252", "replace").strip()
            author = (meta.author or b"").decode("cp1252", "replace").strip()
            created = meta.create_time if isinstance(meta.create_time, datetime) else None
            info = {k: v for k, v in (("title", title), ("author", author)) if v}
            return title, created, info
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        pass
    return "", None, {}


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
