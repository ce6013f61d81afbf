"""The declarative base every model shares, and small column helpers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator, event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session

# Deterministic constraint names, so Alembic migrations name the same constraint the same way on
# SQLite and PostgreSQL and can drop it later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are stored in UTC and always come back time-zone aware.

    SQLite has no time-zone type and returns naive values; without this a comparison between a
    stored time and ``datetime.now(UTC)`` would fail on SQLite but pass on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be time-zone aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def string_enum(cls: type[enum.Enum], length: int = 40) -> Enum:
    """An enum stored as its plain string value, not a native PostgreSQL enum type, so adding a
    member needs no type migration and the stored values read the same in SQL as in code."""
    return Enum(cls, native_enum=False, length=length, values_callable=lambda members: [m.value for m in members])


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime()}


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def add_unless_taken(session: Session | scoped_session[Any], row: Base, refusal: Exception) -> None:
    """Add and flush a row whose unique value (an email address, a name) was checked as free, raising ``refusal``
    if it was taken after all: in a savepoint, so that losing a race with a simultaneous request for the same value
    (a double-clicked submit) becomes a clear message instead of a failed transaction."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as clash:
        raise refusal from clash


# --- SQLite as a multi-user database --------------------------------------------------------------------------

SQLITE_BUSY_TIMEOUT_MS = 30_000
_sqlite_tuning_installed = False


def install_sqlite_tuning() -> None:
    """Make SQLite serve several workers at once: WAL (readers never wait for the writer) and a
    busy timeout (a writer waits its turn instead of failing at once).

    Appends to the audit chain are serialised by :func:`begin_immediate`: the driver opens a
    transaction only at the first write, so two requests could both read the end of the chain
    and then both append the same next id.
    """
    global _sqlite_tuning_installed
    if _sqlite_tuning_installed:
        return
    event.listen(Engine, "connect", _sqlite_on_connect)
    _sqlite_tuning_installed = True


def _is_sqlite_driver(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.split(".")[0] in ("sqlite3", "_sqlite3")


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    if not _is_sqlite_driver(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a power cut loses at most the last commits
    cursor.close()


def begin_immediate(connection: Connection) -> None:
    """On SQLite, make sure this transaction holds the database's write lock from now on.

    The sqlite3 driver sends ``BEGIN`` only before the first INSERT/UPDATE/DELETE, and that
    statement takes the write lock; until then reads run outside any transaction. So if no
    transaction is open yet, open one with ``BEGIN IMMEDIATE`` (waiting, up to the busy timeout,
    for whoever holds the lock); if one is open, the lock is already held. Either way nobody else
    can commit until we do, so what we read next is the latest state. PostgreSQL needs nothing.
    """
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
