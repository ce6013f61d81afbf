"""An email export folder: .eml files, .mbox mailboxes, Outlook .msg messages and Outlook .pst data files (what
Microsoft 365 eDiscovery exports), filtered by the subject's identifiers in the headers or the body.

.eml and .mbox are read by the standard library. Outlook files go through the extraction library
(sar.sources.extract: python-oxmsg for .msg, libpff for .pst), the same reader ingest uses, so what is searched is
what the reviewer will see. A matching .msg is handed on as itself; a .pst yields each matching item as an .eml.
Ingest then reads each found message, and its attachments become child documents there.

A file the extraction library refuses (a .pst protected by a password, a damaged .msg) cannot be searched; it is
listed in ``unreadable`` with the reason, for the task's note, never silently skipped.
"""

from __future__ import annotations

import mailbox
import tempfile
from collections.abc import Iterator
from datetime import date
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from sar.sources.connectors import FoundFile, Subject
from sar.sources.connectors.folder import FolderSource
from sar.sources.connectors.matching import pattern_for
from sar.sources.extract import Extraction, Limits, extract

_PARSER = BytesParser(policy=policy.default)


def _text_of(message: Message) -> str:
    parts = [f"{k}: {v}" for k, v in message.items() if k.lower() in ("from", "to", "cc", "subject")]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
    return "\n".join(parts)


def _sent_on(message: Message) -> date | None:
    try:
        return parsedate_to_datetime(str(message["Date"])).date()
    except (TypeError, ValueError):
        return None


def _bytes_of(message: Message) -> bytes:
    return message.as_bytes() if isinstance(message, EmailMessage) else bytes(message)


class _Candidate:
    """One message found in the export, before the subject filter: its name, what to search, when it was sent."""

    def __init__(self, name: str, text: str, sent: date | None, content: bytes, subject: str) -> None:
        self.name, self.text, self.sent, self.content, self.subject = name, text, sent, content, subject

    @classmethod
    def of_message(cls, name: str, message: Message) -> _Candidate:
        return cls(name, _text_of(message), _sent_on(message), _bytes_of(message), str(message.get("Subject", "")))


class EmailExportSource(FolderSource):
    def __init__(self, root: Path, limits: Limits | None = None) -> None:
        super().__init__(root, limits)
        self.unreadable: list[str] = []

    def test_connection(self) -> str:
        kinds: dict[str, int] = {}
        for path in self.files():
            kinds[path.suffix.lower() or "(none)"] = kinds.get(path.suffix.lower() or "(none)", 0) + 1
        return f"Folder {self.root} reached: " + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "empty")

    def _candidates(self) -> Iterator[_Candidate]:
        for path in self.files():
            suffix = path.suffix.lower()
            if suffix == ".eml":
                yield _Candidate.of_message(path.name, _PARSER.parsebytes(path.read_bytes()))
            elif suffix == ".mbox":
                box = mailbox.mbox(str(path), create=False)
                try:
                    for number, message in enumerate(box):
                        yield _Candidate.of_message(f"{path.stem}-{number + 1}.eml", _PARSER.parsebytes(bytes(message)))
                finally:
                    box.close()
            elif suffix in (".msg", ".pst"):
                yield from self._outlook(path)

    def _outlook(self, path: Path) -> Iterator[_Candidate]:
        with tempfile.TemporaryDirectory(prefix="sar-mail-") as scratch:
            result = extract(path, original_name=path.name, workdir=Path(scratch), limits=self.limits)
            expected = "email" if path.suffix.lower() == ".msg" else "mailbox"
            if result.refusal is None and result.kind != expected:
                # Named .msg or .pst but something else inside: the type comes from the content, never the name.
                self.unreadable.append(f"{path.relative_to(self.root)} (not an Outlook file, whatever its name says)")
                return
            if result.refusal is not None:
                self.unreadable.append(f"{path.relative_to(self.root)} ({result.refusal.message})")
                return
            if expected == "email":  # a .msg: searched as the page the reviewer will see, handed on as itself
                yield self._msg_candidate(path, result)
                return
            # A .pst: each item comes back as an .eml child; they are read (and the folder removed) before yielding.
            items = [(child.name, _PARSER.parsebytes(child.path.read_bytes())) for child in result.children]
        for number, (name, message) in enumerate(items):
            yield _Candidate.of_message(f"{path.stem}-{number + 1} {name}"[:200] + ".eml", message)

    @staticmethod
    def _msg_candidate(path: Path, result: Extraction) -> _Candidate:
        sent = result.document_date.date() if result.document_date is not None else None
        text = "\n".join(page.text for page in result.pages)
        return _Candidate(path.name, text, sent, path.read_bytes(), result.metadata.get("subject", result.title))

    def find(self, subject: Subject) -> Iterator[FoundFile]:
        pattern = pattern_for(subject)
        for found in self._candidates():
            if found.sent is not None and (
                (subject.date_from and found.sent < subject.date_from)
                or (subject.date_to and found.sent > subject.date_to)
            ):
                continue
            if pattern.search(found.text):
                yield FoundFile(found.name, found.content, {"subject": found.subject})
