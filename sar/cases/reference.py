"""Human-friendly case references: ``SAR-2026-00042`` (prefix, year of receipt, per-year sequence).

Uniqueness under concurrent creation comes from one counter row per year that is incremented by a
single ``UPDATE ... SET last_number = last_number + 1 ... RETURNING``. On PostgreSQL that UPDATE
takes the row lock (the same lock ``SELECT ... FOR UPDATE`` would), so a second transaction waits
and then sees the first one's number; on SQLite the UPDATE takes the database write lock, which
serialises writers in the same way. The year's row is created with ``INSERT ... ON CONFLICT DO
NOTHING`` so two first-of-the-year cases cannot both create it. ``cases.reference`` is unique as
a last line of defence.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sar.cases.models import CaseReferenceCounter


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:05d}"


def next_reference_number(session: Session, year: int) -> int:
    """Reserve the next number for ``year`` in the caller's transaction (released only by rollback)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(CaseReferenceCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=[CaseReferenceCounter.year])
    )
    number = session.execute(
        update(CaseReferenceCounter)
        .where(CaseReferenceCounter.year == year)
        .values(last_number=CaseReferenceCounter.last_number + 1)
        .returning(CaseReferenceCounter.last_number)
    ).scalar_one()
    return int(number)


def next_reference(session: Session, prefix: str, year: int) -> str:
    return format_reference(prefix, year, next_reference_number(session, year))
