"""The audit trail: append-only and hash-chained, written in the same transaction as the change.

Each event carries the hash of the one before it, so deleting, reordering or editing a row breaks
the chain at that point and ``flask --app sar verify-audit`` names it. The database refuses
UPDATE and DELETE on the table (triggers created by the migration), and ``prev_hash`` is unique
so two concurrent writers can never both extend the same link.

A hash chain alone can be rewritten by anyone who can write to the database: edit a row and
recompute every later hash, or delete the newest rows. So each event is also *sealed* with an
HMAC under ``AUDIT_HMAC_KEY``, a key that lives in configuration, outside the database; and
signed checkpoints of the chain's head are written outside the database (:mod:`sar.audit_anchor`),
so a truncated tail is caught too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias, cast

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String, Table, Text, event, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from sar.db import Base, begin_immediate, utcnow
from sar.extensions import db

if TYPE_CHECKING:
    from sar.auth.models import User

GENESIS_HASH = "0" * 64
# One constant key for PostgreSQL's transaction-scoped advisory lock that serialises appends.
_AUDIT_LOCK_KEY = 7_401_554_321


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # HMAC-SHA256 of ``hash`` under AUDIT_HMAC_KEY: only the holder of the key can make it.
    seal: Mapped[str | None] = mapped_column(String(64))

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "case_id": self.case_id,
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
            "ip_address": self.ip_address,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return _digest(self.payload())


def _digest(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sign(message: str) -> str:
    """HMAC-SHA256 under the audit key (configuration, never the database)."""
    key = str(current_app.config["AUDIT_HMAC_KEY"]).encode("utf-8")
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def seal_matches(event: AuditEvent) -> bool:
    return event.seal is not None and hmac.compare_digest(event.seal, sign(event.hash))


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("audit events are append-only")


def jsonable(value: Any) -> Any:
    """Make before/after snapshots storable as JSON: dates become ISO strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, str | int | float | bool):
        return value.value  # enums
    return value


@dataclass(frozen=True)
class SystemActor:
    """An author that is not a staff account: a job, a command, or someone not yet known (a sign-in attempt
    for an email address that has no account). Named, so the trail says which job or command acted."""

    name: str


SYSTEM = SystemActor("system")

# Who acted: always passed explicitly, never read from the request, so a service called from a job, a command
# or a test records the same author it would from a page.
Author: TypeAlias = "User | SystemActor"


def author_fields(by: Author) -> tuple[int | None, str]:
    """The (actor_id, actor_label) columns for an author."""
    if isinstance(by, SystemActor):
        return None, by.name
    return by.id, by.email


def _lock_chain() -> None:
    """Serialise appends: only one transaction at a time may read the end of the chain and extend it."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    else:
        begin_immediate(connection)


def record(
    action: str,
    *,
    object_type: str,
    object_id: object = None,
    case_id: int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    by: Author,
) -> AuditEvent:
    """Append one event to the chain in the current transaction (the caller commits)."""
    _lock_chain()
    actor_id, actor_label = author_fields(by)
    last = db.session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_id, prev_hash = (last[0], last[1]) if last else (0, GENESIS_HASH)
    audit_event = AuditEvent(
        id=prev_id + 1,
        occurred_at=utcnow(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        case_id=case_id,
        summary=summary,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        ip_address=request.remote_addr if has_request_context() else None,
        prev_hash=prev_hash,
    )
    audit_event.hash = audit_event.compute_hash()
    audit_event.seal = sign(audit_event.hash)
    db.session.add(audit_event)
    db.session.flush()
    return audit_event


class Audited(Protocol):
    """A row the trail can name: its kind (``audit_type``, a class attribute of the model) and its id. A row that
    belongs to a case carries ``case_id``; a case is its own case."""

    audit_type: ClassVar[str]

    @property
    def id(self) -> Any: ...


def record_on(
    subject: Audited,
    action: str,
    summary: str = "",
    *,
    by: Author,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """:func:`record` for an event about one row, filed under the row's case: most events are about one row, and
    spelling out its type, id and case at every call is where the wrong case id would creep in."""
    case_id = subject.id if subject.audit_type == "case" else getattr(subject, "case_id", None)
    return record(
        action,
        object_type=subject.audit_type,
        object_id=subject.id,
        case_id=case_id,
        summary=summary,
        before=before,
        after=after,
        by=by,
    )


def record_many(entries: list[dict[str, Any]], *, by: Author) -> int:
    """Append many events at once (e.g. recalculating every case's clock): one lock, one read of the end of the
    chain and one bulk INSERT, instead of a read and a flush per event. Each entry holds :func:`record`'s keyword
    arguments (``action``, ``object_type``, ``object_id``, ``case_id``, ``summary``, ``before``, ``after``).
    The chain is exactly what calling :func:`record` for each entry in turn would give."""
    if not entries:
        return 0
    _lock_chain()
    actor_id, actor_label = author_fields(by)
    db.session.flush()
    last = db.session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_id, prev_hash = (last[0], last[1]) if last else (0, GENESIS_HASH)
    ip_address = request.remote_addr if has_request_context() else None
    rows = []
    for entry in entries:
        prev_id += 1
        # The same fields as AuditEvent.payload(), built as a plain dict: creating tens of thousands of ORM
        # objects just to hash them costs more than the rest of the bulk recalculation.
        payload: dict[str, Any] = {
            "id": prev_id,
            "occurred_at": utcnow(),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": entry["action"],
            "object_type": entry["object_type"],
            "object_id": None if entry.get("object_id") is None else str(entry["object_id"]),
            "case_id": entry.get("case_id"),
            "summary": entry.get("summary", ""),
            "before": jsonable(entry["before"]) if entry.get("before") is not None else None,
            "after": jsonable(entry["after"]) if entry.get("after") is not None else None,
            "ip_address": ip_address,
            "prev_hash": prev_hash,
        }
        prev_hash = _digest(payload | {"occurred_at": payload["occurred_at"].isoformat()})
        rows.append(payload | {"hash": prev_hash, "seal": sign(prev_hash)})
    db.session.connection().execute(insert(cast(Table, AuditEvent.__table__)), rows)
    return len(rows)


@dataclass(frozen=True)
class CaseDirectory:
    """How the audit pages name cases and find one by its reference, without the platform importing intake:
    intake registers its directory when the app is built (sar.cases.init_app)."""

    references: Callable[[set[int]], dict[int, str]]
    find: Callable[[str], int | None]


def _ids_only(case_ids: set[int]) -> dict[int, str]:
    return {}


def _number_only(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def register_case_directory(app: Flask, directory: CaseDirectory) -> None:
    app.extensions["sar_case_directory"] = directory


def case_directory() -> CaseDirectory:
    """The registered directory; before intake registers one, cases are known by number only."""
    return cast(
        CaseDirectory, current_app.extensions.get("sar_case_directory") or CaseDirectory(_ids_only, _number_only)
    )


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    message: str


def iter_events(batch_size: int = 2000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch_size)
        ).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        db.session.expunge_all()


def verify_chain(*, limit: int = 1) -> tuple[int, ChainProblem | None]:
    """Walk the whole log; return how many events were checked and the first problem, if any."""
    checked, problems = verify_all(limit=limit)
    return checked, problems[0] if problems else None


def verify_all(*, limit: int = 20) -> tuple[int, list[ChainProblem]]:
    """Walk the whole log and compare it with the checkpoints kept outside the database.

    Reports (up to ``limit``) missing events, broken links, edited contents, events whose seal
    does not match (edited with every later hash recomputed, or inserted without the key) and a
    log that ends before, or differs from, a checkpoint (rows deleted from the end).
    Returns how many events were checked before the first problem, and the problems.
    """
    from sar import audit_anchor

    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    expected_id = 1
    intact = 0
    for audit_event in iter_events():
        found: list[str] = []
        if audit_event.id != expected_id:
            problems.append(ChainProblem(audit_event.id, f"event {expected_id} is missing (next is {audit_event.id})"))
        if audit_event.prev_hash != expected_prev:
            found.append("does not link to the event before it")
        if audit_event.compute_hash() != audit_event.hash:
            found.append("its contents were changed after it was written")
        elif not seal_matches(audit_event):
            found.append(
                "its seal does not match: it was changed and the chain's hashes recomputed, "
                "or it was written by someone without the audit key"
            )
        problems.extend(ChainProblem(audit_event.id, message) for message in found)
        if not problems:
            intact += 1
        expected_prev = audit_event.hash
        expected_id = audit_event.id + 1
        if len(problems) >= limit:
            return intact, problems[:limit]
    problems.extend(audit_anchor.compare_with_checkpoints())
    return intact, problems[:limit]


def snapshot(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """Before/after values of the named attributes, ready for :func:`record`."""
    return {name: jsonable(getattr(obj, name)) for name in fields}
