"""The document model every gathered file is turned into (INTERFACES item 9), and its limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may cost to read; the app builds one from its configuration."""

    max_file_bytes: int = 512 * MiB
    max_pages: int = 2_000
    max_children: int = 5_000
    max_depth: int = 6
    max_unpacked_bytes: int = 2_048 * MiB
    max_compression_ratio: float = 100.0
    conversion_timeout_s: float = 180.0
    ocr_timeout_s: float = 120.0


@dataclass
class PageText:
    """One page of the working PDF: its text and a box for every word (points, origin top-left)."""

    number: int
    width: float
    height: float
    text: str
    words: list[tuple[int, int, float, float, float, float]]
    ocr: bool


@dataclass
class Refusal:
    """Why an item cannot be read; kept on the case for a person to deal with."""

    code: str
    message: str


@dataclass
class Child:
    """A file found inside another one, written under the work folder, to be ingested in its turn."""

    name: str
    path: Path
    relation: str


@dataclass
class Extraction:
    media_type: str
    kind: str
    title: str
    document_date: datetime | None
    metadata: dict[str, str]
    working_pdf: Path | None
    pages: list[PageText] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    refusal: Refusal | None = None


class Refused(Exception):
    """Raised inside a reader to give up on a file with a reason an officer can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.refusal = Refusal(code, message)
