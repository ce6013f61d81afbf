"""A case system's database: any SQLAlchemy URL and configured, parameterised queries.

Each query is a SELECT written by the administrator with named parameters (``:full_name``, ``:date_of_birth``,
``:nhs_number``, ``:nhs_digits``, ``:date_from``, ``:date_to``); the subject's identifiers are always bound
as parameters, never formatted into the SQL. Each row becomes a document: its columns typeset as a readable
page (``typeset_record``), titled by the query and the row's date. Queries run in a transaction that is rolled
back, and a statement that is not a SELECT is refused before it reaches the database.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from sar.sources.connectors import ConnectorError, FoundFile, Subject
from sar.sources.extract import typeset_record

_PARAM = re.compile(r"(?<!:):([a-z_]+)\b")
_READ_ONLY = re.compile(r"^\s*(select|with)\b", re.IGNORECASE)
ALLOWED_PARAMETERS = {"full_name", "date_of_birth", "nhs_number", "nhs_digits", "date_from", "date_to"}


@dataclass(frozen=True)
class Query:
    title: str
    sql: str
    date_column: str = ""

    def parameters(self) -> set[str]:
        return set(_PARAM.findall(self.sql))


def _check(query: Query) -> None:
    if not _READ_ONLY.match(query.sql) or ";" in query.sql.strip().rstrip(";"):
        raise ConnectorError(f"Query {query.title!r} must be a single SELECT statement")
    unknown = query.parameters() - ALLOWED_PARAMETERS
    if unknown:
        raise ConnectorError(
            f"Query {query.title!r} uses unknown parameters {', '.join(sorted(unknown))}; "
            f"allowed: {', '.join(sorted(ALLOWED_PARAMETERS))}"
        )


def _label(column: str) -> str:
    return column.replace("_", " ").strip().capitalize()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d %B %Y %H:%M")
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


class DatabaseSource:
    def __init__(self, url: str, queries: list[Query]) -> None:
        self.url = url
        self.queries = queries

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> DatabaseSource:
        url = str(settings.get("url") or "")
        if not url:
            raise ConnectorError("The connector has no database address (url)")
        queries = [
            Query(str(q.get("title", "Record")), str(q.get("sql", "")), str(q.get("date_column", "")))
            for q in settings.get("queries") or []
        ]
        if not queries:
            raise ConnectorError("The connector has no queries")
        for query in queries:
            _check(query)
        return cls(url, queries)

    def _engine(self) -> sa.Engine:
        try:
            return sa.create_engine(self.url, pool_pre_ping=True)
        except (SQLAlchemyError, ValueError, ImportError) as error:
            raise ConnectorError(f"The database address is not usable: {error}") from error

    def test_connection(self) -> str:
        engine = self._engine()
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except SQLAlchemyError as error:
            raise ConnectorError(
                f"Cannot reach the database: {error.__class__.__name__}: {getattr(error, 'orig', None) or error}"
            ) from error
        finally:
            engine.dispose()
        return f"Connected to {engine.url.render_as_string(hide_password=True)}; {len(self.queries)} queries configured"

    def rows(self, subject: Subject) -> Iterator[tuple[Query, dict[str, Any]]]:
        values: dict[str, Any] = {
            "full_name": subject.full_name,
            "date_of_birth": subject.date_of_birth,
            "nhs_number": subject.nhs_number or "",
            "nhs_digits": re.sub(r"\D", "", subject.nhs_number or ""),
            "date_from": subject.date_from or date(1900, 1, 1),
            "date_to": subject.date_to or date(9999, 12, 31),
        }
        engine = self._engine()
        try:
            with engine.connect() as connection:
                transaction = connection.begin()
                try:
                    for query in self.queries:
                        params = {name: values[name] for name in query.parameters()}
                        result = connection.execute(sa.text(query.sql), params)
                        for row in result.mappings():
                            yield query, dict(row)
                finally:
                    transaction.rollback()
        except SQLAlchemyError as error:
            raise ConnectorError(
                f"A query failed: {error.__class__.__name__}: {getattr(error, 'orig', None) or error}"
            ) from error
        finally:
            engine.dispose()

    def find(self, subject: Subject) -> Iterator[FoundFile]:
        with tempfile.TemporaryDirectory(prefix="sar-db-") as scratch:
            for number, (query, row) in enumerate(self.rows(subject), start=1):
                when = _text(row.get(query.date_column)) if query.date_column else ""
                title = f"{query.title} – {when}" if when else query.title
                out = Path(scratch) / f"{number}.pdf"
                typeset_record(title, [(_label(k), _text(v)) for k, v in row.items()], out, subtitle=subject.full_name)
                slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80]
                yield FoundFile(f"{slug}.pdf", out.read_bytes(), {"query": query.title})
