"""A file share: a folder tree scanned for documents that mention the subject in their name or content.

Names, aliases, date of birth and NHS number are looked for (sar.sources.connectors.matching); the date range
applies to each file's modification time. Content is read through the extraction library, so whatever it can
read (PDF, scans, Office files, email, text) is searched.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sar.sources.connectors import ConnectorError, FoundFile, Subject
from sar.sources.connectors.folder import FolderSource
from sar.sources.connectors.matching import pattern_for
from sar.sources.extract import extract

MAX_FILES = 50_000


class FileShareSource(FolderSource):
    def test_connection(self) -> str:
        return f"Folder {self.root} reached: {sum(1 for _ in self.files())} files"

    def _files(self) -> Iterator[Path]:
        for number, path in enumerate(self.files()):
            if number >= MAX_FILES:
                raise ConnectorError(f"The folder holds more than {MAX_FILES} files: narrow it down")
            yield path

    def find(self, subject: Subject) -> Iterator[FoundFile]:
        pattern = pattern_for(subject)
        for path in self._files():
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
            if (subject.date_from and modified < subject.date_from) or (subject.date_to and modified > subject.date_to):
                continue
            relative = str(path.relative_to(self.root))
            if pattern.search(relative.replace("_", " ").replace("-", " ")) or self._content_mentions(path, pattern):
                yield FoundFile(path.name, path.read_bytes(), {"path": relative})

    def _content_mentions(self, path: Path, pattern: Any) -> bool:
        with tempfile.TemporaryDirectory(prefix="sar-share-") as scratch:
            result = extract(path, original_name=path.name, workdir=Path(scratch), limits=self.limits)
        return any(pattern.search(page.text) for page in result.pages)
