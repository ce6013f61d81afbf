"""An email export folder: .eml files and .mbox mailboxes (the standard library reads both), filtered by the
subject's identifiers in the headers or the body. Each matching message is handed on as an .eml file.

Outlook .msg and .pst files need the extraction library's readers (python-oxmsg, libpff); until those land they
are reported, not silently skipped.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from sar.sources.connectors import ConnectorError, FoundFile, Subject
from sar.sources.connectors.matching import pattern_for


def _text_of(message: Message) -> str:
    parts = [f"{k}: {v}" for k, v in message.items() if k.lower() in ("from", "to", "cc", "subject")]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
    return "\n".join(parts)


class EmailExportSource:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.unreadable: list[str] = []

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> EmailExportSource:
        root = str(settings.get("path") or "")
        if not root:
            raise ConnectorError("The connector has no folder (path)")
        return cls(Path(root))

    def test_connection(self) -> str:
        if not self.root.is_dir():
            raise ConnectorError(f"The folder {self.root} cannot be found or is not a folder")
        kinds: dict[str, int] = {}
        for path in self.root.rglob("*"):
            if path.is_file():
                kinds[path.suffix.lower() or "(none)"] = kinds.get(path.suffix.lower() or "(none)", 0) + 1
        return f"Folder {self.root} reached: " + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "empty")

    def _messages(self) -> Iterator[tuple[str, Message]]:
        if not self.root.is_dir():
            raise ConnectorError(f"The folder {self.root} cannot be found or is not a folder")
        parser = BytesParser(policy=policy.default)
        for path in sorted(self.root.rglob("*")):
            if not path.is_file():
                continue
            suffix = path.suffix.lower()
            if suffix == ".eml":
                yield path.name, parser.parsebytes(path.read_bytes())
            elif suffix == ".mbox":
                box = mailbox.mbox(str(path), create=False)
                try:
                    for number, message in enumerate(box):
                        yield f"{path.stem}-{number + 1}.eml", parser.parsebytes(message.as_bytes())
                finally:
                    box.close()
            elif suffix in (".msg", ".pst"):
                self.unreadable.append(str(path.relative_to(self.root)))

    def find(self, subject: Subject) -> Iterator[FoundFile]:
        pattern = pattern_for(subject)
        for name, message in self._messages():
            if subject.date_from or subject.date_to:
                try:
                    sent = parsedate_to_datetime(str(message["Date"])).date()
                except (TypeError, ValueError):
                    sent = None
                if sent is not None and (
                    (subject.date_from and sent < subject.date_from) or (subject.date_to and sent > subject.date_to)
                ):
                    continue
            if pattern.search(_text_of(message)):
                data = message.as_bytes() if isinstance(message, EmailMessage) else bytes(message)
                yield FoundFile(name, data, {"subject": str(message.get("Subject", ""))})
