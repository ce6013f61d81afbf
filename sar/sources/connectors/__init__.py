"""Connectors: one small interface, many sources. A source yields the files it holds about a subject.

Each configured ``Connector`` row names a kind (below) and its settings; ``source_for`` builds the source.
Sources know nothing of cases, tasks or the database of this service: they receive the subject's identifiers
and a date range and yield files, which the gathering app ingests exactly like uploads (sar.sources.runs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


class ConnectorError(RuntimeError):
    """The source cannot be searched; the message is for the administrator and the IG officer."""


@dataclass(frozen=True)
class Subject:
    full_name: str
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None
    nhs_number: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.full_name, *self.aliases) if n and len(n) > 2)


@dataclass(frozen=True)
class FoundFile:
    name: str
    content: bytes
    details: dict[str, str] = field(default_factory=dict)


class Source(Protocol):
    def test_connection(self) -> str:
        """A short description of what was reached; raises ConnectorError when it cannot be."""

    def find(self, subject: Subject) -> Iterator[FoundFile]:
        """Every file this source holds about the subject."""


KINDS = {
    "database": "Case system database (SQL queries)",
    "file_share": "File share (folder of documents)",
    "email_export": "Email export (folder of .eml, .mbox, Outlook .msg and .pst files)",
}


def source_for(kind: str, settings: dict[str, Any]) -> Source:
    if kind == "database":
        from sar.sources.connectors.database import DatabaseSource

        return DatabaseSource.from_settings(settings)
    if kind == "file_share":
        from sar.sources.connectors.file_share import FileShareSource

        return FileShareSource.from_settings(settings)
    if kind == "email_export":
        from sar.sources.connectors.email_export import EmailExportSource

        return EmailExportSource.from_settings(settings)
    raise ConnectorError(f"Unknown kind of connector {kind!r}")
