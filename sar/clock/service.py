"""Recording clock events and keeping each case's stored clock in step with its full history.

Services flush and audit; the request (or the CLI command) commits. Every refusal raises :class:`EventRefused`
with a message written for the officer, usually the pure clock's own error message.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from flask import current_app
from sqlalchemy import String, Table, bindparam, insert, select, type_coerce, update

from sar import audit, deadlines
from sar.audit import Author
from sar.auth.models import User
from sar.calendar import council_date, long_date, today
from sar.cases import status as case_status
from sar.cases.models import Case, CaseRight, CaseStatus, EvidenceItem, EvidenceKind, Right
from sar.cases.queries import case_batches
from sar.clock.history import (
    AUDITED_FIELDS,
    SAME_DAY_ORDER,
    STORED_FIELDS,
    Derived,
    EventFact,
    EvidenceFact,
    derive,
    outcome,
)
from sar.clock.models import CaseClock, ClockEvent, EventKind
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db

_RECEIPT_KINDS = {
    EventKind.ID_RECEIVED: (EventKind.ID_REQUESTED, "proof of identity"),
    EventKind.AUTHORITY_RECEIVED: (EventKind.AUTHORITY_REQUESTED, "evidence of authority"),
    EventKind.FEE_PAID: (EventKind.FEE_REQUESTED, "a fee"),
}
MAX_NOTE = 2000
# Facts with one home elsewhere: the clock reads them from there (older cases may still hold such events, which
# keep counting), but they are never recorded here again.
_RECORDED_ELSEWHERE = {
    **dict.fromkeys(
        (EventKind.ID_REQUESTED, EventKind.ID_RECEIVED),
        "Record proof of identity in the case's evidence section: the clock reads the dates from there.",
    ),
    **dict.fromkeys(
        (EventKind.AUTHORITY_REQUESTED, EventKind.AUTHORITY_RECEIVED),
        "Record evidence of authority in the case's evidence section: the clock reads the dates from there.",
    ),
    **dict.fromkeys(
        (EventKind.CASE_CLOSED, EventKind.CASE_REOPENED),
        "Close or reopen the case by recording its outcome on the case page: the clock reads the date from there.",
    ),
}


class EventRefused(DomainError):
    """The event cannot be recorded; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "event_date") -> None:
        super().__init__(message, field)


def event_sort_key(event: ClockEvent) -> tuple[date, int, int]:
    return event.event_date, SAME_DAY_ORDER[event.kind], event.id or 0


def events_for(case: Case, *, include_void: bool = False) -> list[ClockEvent]:
    query = select(ClockEvent).where(ClockEvent.case_id == case.id)
    if not include_void:
        query = query.where(ClockEvent.voided_at.is_(None))
    return sorted(db.session.scalars(query), key=event_sort_key)


def _facts(events: Iterable[ClockEvent]) -> list[EventFact]:
    return [EventFact(e.kind, e.event_date, e.notice_date) for e in events]


_EVIDENCE_KINDS = {
    EvidenceKind.IDENTITY: "id",
    EvidenceKind.AUTHORITY: "authority",
    EvidenceKind.PARENTAL_RESPONSIBILITY: "authority",  # a parent's authority to act for the child
}


def _evidence_fact(kind: EvidenceKind, requested: date | None, received: date | None) -> EvidenceFact:
    return EvidenceFact(_EVIDENCE_KINDS.get(kind, ""), requested, received)


def evidence_of(case: Case) -> list[EvidenceFact]:
    """Identity and authority evidence recorded by intake, which moves the start like clock events do."""
    # Queried rather than read from case.evidence, which may not include an item intake has only just added.
    rows = db.session.execute(
        select(EvidenceItem.kind, EvidenceItem.requested_on, EvidenceItem.received_on).where(
            EvidenceItem.case_id == case.id
        )
    )
    return [_evidence_fact(kind, requested, received) for kind, requested, received in rows]


def _intake_closed_on(case: Case) -> date | None:
    if case.is_closed and case.closed_at is not None:
        return council_date(case.closed_at)
    return None


def derive_case(case: Case, events: Iterable[ClockEvent]) -> Derived:
    return derive(
        case.received_on,
        _facts(events),
        access_request=case.is_access_request,
        evidence=evidence_of(case),
        closed_on=_intake_closed_on(case),
    )


def _settings() -> tuple[str, int]:
    return current_app.config["BANK_HOLIDAY_REGION"], int(current_app.config["INTERNAL_TARGET_DAYS"])


# ---------------------------------------------------------------------------------------------- recalculation


def recalculate(case: Case, reason: str, *, by: Author) -> CaseClock | None:
    """Rebuild the stored clock from the case's full, non-void history; audit it whenever the dates change.

    Returns None only when even the receipt date is unusable (then there is nothing to store).
    """
    region, target_days = _settings()
    derived = derive_case(case, events_for(case))
    try:
        result = outcome(derived, region=region, target_days=target_days)
        values, problem = result.values, result.problem
    except deadlines.DeadlineError as error:
        # A history that became impossible (e.g. intake moved the receipt date after the ID date) keeps the clock
        # from the receipt date alone and says why, rather than silently dropping the case off the dashboard.
        try:
            fallback = outcome(Derived(received=case.received_on), region=region, target_days=target_days)
        except deadlines.DeadlineError:
            current_app.logger.warning("case %s: clock cannot be calculated: %s", case.id, error)
            return None
        values = fallback.values | {"problem": f"The clock ignores the recorded events: {error}"[:500]}
        problem = values["problem"]
    clock = db.session.get(CaseClock, case.id)
    before = None if clock is None else {name: getattr(clock, name) for name in AUDITED_FIELDS}
    if clock is None:
        clock = CaseClock(case_id=case.id)
        db.session.add(clock)
    for name in STORED_FIELDS:
        setattr(clock, name, values[name])
    clock.last_recalculated_at = utcnow()
    clock.last_reason = reason[:200]
    after = {name: values[name] for name in AUDITED_FIELDS}
    db.session.flush()
    if before != after:
        old_due = before["due_date"] if before else None
        summary = (
            f"Due date {'set to' if old_due is None else f'changed from {old_due:%d %b %Y} to'} "
            f"{values['due_date']:%d %b %Y}: {reason}"
            if old_due != values["due_date"]
            else f"Clock recalculated ({reason}); due date unchanged at {values['due_date']:%d %b %Y}"
        )
        if problem:
            summary += f". {problem}"
        audit.record_on(
            case,
            "clock.recalculated",
            summary[:2000],
            before=audit.jsonable(before) if before else None,
            after=audit.jsonable(after | {"reason": reason}),
            by=by,
        )
    return clock


def on_case_changed(sender: Case, **extra: Any) -> None:
    """Receiver for intake's ``case_changed`` signal: same transaction, so the new due date commits with it."""
    recalculate(sender, str(extra.get("reason") or "case details changed"), by=extra["by"])


@dataclass(frozen=True)
class BulkResult:
    cases: int
    changed: int
    problems: int


def recalculate_all(reason: str, *, by: Author, batch_size: int = 2000) -> BulkResult:
    """Recalculate every case (e.g. after the bank-holiday list or the internal target changed).

    Reads cases, rights, evidence, events and stored clocks as plain rows in case-id batches (five queries per
    batch, none per case, no ORM objects to track) and writes the changed clocks with one executemany UPDATE per
    batch. A case whose due date (or status, extension or closure) changed gets its own audit event with before
    and after; a change only to internal targets or notice deadlines (a configuration change, which moves every
    case alike) is recorded once, in the run's summary event, rather than as tens of thousands of identical ones.
    """
    region, target_days = _settings()
    total = changed = problems = audited = 0
    for batch in _batches(batch_size):
        updates: list[dict[str, Any]] = []
        inserts: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        for case in batch.cases:
            total += 1
            derived = derive(
                case.received_on,
                batch.events.get(case.id, []),
                access_request=Right.ACCESS in batch.rights.get(case.id, ()),
                evidence=batch.evidence.get(case.id, ()),
                closed_on=council_date(case.closed_at) if case.status is CaseStatus.CLOSED and case.closed_at else None,
            )
            try:
                values = outcome(derived, region=region, target_days=target_days).values
            except deadlines.DeadlineError:
                problems += 1
                recalculate(db.session.get_one(Case, case.id), reason, by=by)  # the slow path records the problem
                continue
            stored = batch.clocks.get(case.id)
            computed = fingerprint(values)
            if stored == computed:
                continue
            changed += 1
            row = {"case_id": case.id, "last_recalculated_at": utcnow(), "last_reason": reason[:200], **values}
            (inserts if stored is None else updates).append(row)
            old = None if stored is None else dict(zip(STORED_FIELDS, stored, strict=True))
            if old is None or any(old[name] != computed[_INDEX[name]] for name in _BULK_AUDITED):
                before = None if old is None else {name: old[name] for name in AUDITED_FIELDS}
                audits.append(
                    {
                        "action": "clock.recalculated",
                        "object_type": "case",
                        "object_id": case.id,
                        "case_id": case.id,
                        "summary": f"Due date {values['due_date']:%d %b %Y} after recalculating every case: {reason}"[
                            :2000
                        ],
                        "before": before,
                        "after": {name: values[name] for name in AUDITED_FIELDS} | {"reason": reason},
                    }
                )
        # Core statements on the session's connection: the ORM's bulk paths cost several times more per row.
        if inserts:
            db.session.connection().execute(insert(_CLOCKS), inserts)
        if updates:
            rows = [{"b_case_id": row.pop("case_id"), **row} for row in updates]
            db.session.connection().execute(_UPDATE_CLOCK, rows)
        audited += audit.record_many(audits, by=by)
        db.session.flush()
    audit.record(
        "clock.recalculated_all",
        object_type="case_clocks",
        summary=f"Every case's clock recalculated ({reason}): {total} cases, {changed} changed, "
        f"{audited} with a new due date, status or closure (each audited), {problems} with problems"[:2000],
        after={"reason": reason, "cases": total, "changed": changed, "audited": audited, "problems": problems},
        by=by,
    )
    return BulkResult(total, changed, problems)


_KINDS = {kind.value: kind for kind in EventKind}
_CLOCKS = cast(Table, CaseClock.__table__)
_UPDATE_CLOCK = (
    update(_CLOCKS)
    .where(_CLOCKS.c.case_id == bindparam("b_case_id"))
    .values({name: bindparam(name) for name in (*STORED_FIELDS, "last_recalculated_at", "last_reason")})
)
_INDEX = {name: index for index, name in enumerate(STORED_FIELDS)}
_BULK_AUDITED = ("due_date", "status", "extended", "closed_on")


@dataclass
class _Batch:
    cases: list[Any]
    rights: dict[int, set[Right]]
    events: dict[int, list[EventFact]]
    evidence: dict[int, list[EvidenceFact]]
    clocks: dict[int, tuple[Any, ...]]  # case id -> fingerprint() of the stored row


def _comparable(value: Any) -> Any:
    """Stored and freshly computed values in one form (ISO dates, enum values, 0/1), whatever the database."""
    if value is None or type(value) is int or type(value) is str:
        return value
    if type(value) is bool:
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def fingerprint(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(_comparable(values[name]) for name in STORED_FIELDS)


def _batches(batch_size: int) -> Iterator[_Batch]:
    # Core execution on the session's connection, and type_coerce(..., String) on the big reads: SQLAlchemy's ORM
    # row handling and per-value type processing (a regular expression per date on SQLite) cost more than the
    # clock itself at 500,000 events; date.fromisoformat and dict lookups are far cheaper.
    connection = db.session.connection()
    parse: Callable[[Any], date] = date.fromisoformat if connection.dialect.name == "sqlite" else _same
    for cases in case_batches(connection.execute, Case.received_on, Case.status, Case.closed_at, size=batch_size):
        low, high = cases[0].id, cases[-1].id
        rights: dict[int, set[Right]] = {}
        for case_id, right in connection.execute(
            select(CaseRight.case_id, CaseRight.right).where(CaseRight.case_id.between(low, high))
        ):
            rights.setdefault(case_id, set()).add(right)
        events: dict[int, list[EventFact]] = {}
        for case_id, kind, on, notice in connection.execute(
            select(
                ClockEvent.case_id,
                type_coerce(ClockEvent.kind, String),
                type_coerce(ClockEvent.event_date, String),
                type_coerce(ClockEvent.notice_date, String),
            )
            .where(ClockEvent.case_id.between(low, high), ClockEvent.voided_at.is_(None))
            .order_by(ClockEvent.case_id, ClockEvent.id)  # derive() sorts by date, keeping this order within a day
        ).all():
            events.setdefault(case_id, []).append(
                EventFact(_KINDS[kind], parse(on), parse(notice) if notice is not None else None)
            )
        evidence: dict[int, list[EvidenceFact]] = {}
        for case_id, kind, requested, received in connection.execute(
            select(EvidenceItem.case_id, EvidenceItem.kind, EvidenceItem.requested_on, EvidenceItem.received_on).where(
                EvidenceItem.case_id.between(low, high)
            )
        ):
            evidence.setdefault(case_id, []).append(_evidence_fact(kind, requested, received))
        columns = [type_coerce(getattr(CaseClock, name), String) for name in STORED_FIELDS]
        clocks = {
            row[0]: tuple(_comparable(v) for v in row[1:])
            for row in connection.execute(
                select(CaseClock.case_id, *columns).where(CaseClock.case_id.between(low, high))
            )
        }
        yield _Batch(list(cases), rights, events, evidence, clocks)


def _same(value: Any) -> Any:
    return value


# ---------------------------------------------------------------------------------------------- recording


_label = long_date


def _check_event_date(case: Case, kind: EventKind, on: date, now: date) -> None:
    if on > now:
        raise EventRefused(f"The date cannot be in the future: {_label(on)} is after today ({_label(now)}).")
    if on < case.received_on:
        raise EventRefused(
            f"The date ({_label(on)}) is before the request was received on {_label(case.received_on)}. "
            "Nothing that moves the clock can happen before the request arrives; check the date."
        )


def _check_pause_allowed(case: Case, kind: EventKind) -> None:
    if kind not in (EventKind.CLARIFICATION_ASKED, EventKind.CLARIFICATION_ANSWERED):
        return
    try:
        deadlines.check_pause_allowed(case.is_access_request)
    except deadlines.PauseNotAllowed as refused:
        raise EventRefused(str(refused), field="kind") from refused


def _check_sequence(case: Case, kind: EventKind, on: date, derived: Derived, events: list[ClockEvent]) -> None:
    _check_pause_allowed(case, kind)
    if kind is EventKind.CLARIFICATION_ASKED and derived.open_pause is not None:
        raise EventRefused(
            f"The clock is already paused: clarification was asked for on {_label(derived.open_pause)}. "
            "Record the answer before asking again.",
            field="kind",
        )
    if kind is EventKind.CLARIFICATION_ANSWERED:
        if derived.open_pause is None:
            raise EventRefused(
                "There is no open request for clarification to answer. Record the question first.", field="kind"
            )
        if on < derived.open_pause:
            raise EventRefused(
                f"The clarification cannot be answered ({_label(on)}) before it was asked "
                f"({_label(derived.open_pause)}). Check the two dates."
            )
    if kind in _RECEIPT_KINDS:
        asked_kind, what = _RECEIPT_KINDS[kind]
        asked = [e.event_date for e in events if e.kind is asked_kind]
        if asked and on < min(asked):
            raise EventRefused(
                f"{what.capitalize()} cannot be received ({_label(on)}) before it was asked for "
                f"({_label(min(asked))}). Check the dates."
            )
    if kind is EventKind.CASE_CLOSED and derived.closed_on is not None:
        raise EventRefused(f"The case is already closed (on {_label(derived.closed_on)}).", field="kind")
    if kind is EventKind.CASE_REOPENED:
        if derived.closed_on is None:
            raise EventRefused("The case is not closed, so it cannot be reopened.", field="kind")
        if on < derived.closed_on:
            raise EventRefused(f"A case cannot be reopened before it was closed ({_label(derived.closed_on)}).")


def _check_extension(case: Case, derived: Derived, reasons: str, notice_date: date | None, now: date) -> None:
    try:
        deadlines.check_can_extend(derived.extension_notice is not None)
    except deadlines.AlreadyExtended as refused:
        raise EventRefused(str(refused), field="kind") from refused
    if not reasons.strip():
        raise EventRefused(
            "Enter the reasons for the extension (the complexity or number of the person's requests). "
            "The notice must state them.",
            field="reasons",
        )
    if notice_date is None:
        raise EventRefused("Enter the date the extension notice was sent to the requester.", field="notice_date")
    if notice_date > now:
        raise EventRefused(
            f"The notice date cannot be in the future ({_label(notice_date)}). Record the extension once the "
            "notice has been sent.",
            field="notice_date",
        )
    pauses = list(derived.pauses)
    if derived.open_pause is not None:
        pauses.append((derived.open_pause, now))  # an open pause so far also lengthens the notice window
    try:
        deadlines.check_extension_notice(
            notice_date,
            derived.received,
            id_received=derived.id_received,
            authority_received=derived.authority_received,
            fee_paid=derived.fee_paid,
            pauses=pauses,
        )
    except deadlines.DeadlineError as refused:
        raise EventRefused(str(refused), field="notice_date") from refused


def record_event(
    case: Case,
    kind: EventKind,
    on: date,
    *,
    note: str = "",
    reasons: str = "",
    notice_date: date | None = None,
    by: Author,
) -> ClockEvent:
    """Validate and record one event, then recalculate the case's clock from its whole history."""
    if kind in _RECORDED_ELSEWHERE:
        raise EventRefused(_RECORDED_ELSEWHERE[kind], field="kind")
    now = today()
    _check_event_date(case, kind, on, now)
    events = events_for(case)
    derived = derive_case(case, events)
    _check_sequence(case, kind, on, derived, events)
    if kind is EventKind.EXTENSION_DECIDED:
        _check_extension(case, derived, reasons, notice_date, now)
    else:
        reasons, notice_date = "", None
    event = ClockEvent(
        case_id=case.id,
        kind=kind,
        event_date=on,
        note=note.strip()[:MAX_NOTE],
        reasons=reasons.strip() or None,
        notice_date=notice_date,
        recorded_by_id=by.id if isinstance(by, User) else None,
        recorded_at=utcnow(),
    )
    # Trial run of the pure clock with the new event in place: any impossible combination (evidence before the
    # request, a pause before it...) is refused here with the clock's own message, before anything is written.
    region, target_days = _settings()
    trial = derive_case(case, [*events, event])
    try:
        outcome(trial, region=region, target_days=target_days)
    except deadlines.DeadlineError as refused:
        raise EventRefused(str(refused)) from refused
    db.session.add(event)
    db.session.flush()
    audit.record_on(
        event,
        "clock.event_recorded",
        f"{kind.label} on {_label(on)}" + (f" (notice sent {_label(notice_date)})" if notice_date else ""),
        after=audit.snapshot(event, ("kind", "event_date", "note", "reasons", "notice_date")),
        by=by,
    )
    recalculate(case, f"{kind.label} on {_label(on)}", by=by)
    case_status.refresh(case, reason=f"{kind.label.lower()} on {_label(on)}", by=by)
    return event


def void_event(case: Case, event: ClockEvent, reason: str, *, by: Author) -> ClockEvent:
    """Mark a mistaken event void (kept on the timeline, ignored by the clock) and recalculate."""
    if event.case_id != case.id:
        raise EventRefused("That event belongs to another case.", field="reason")
    if event.is_void:
        raise EventRefused("That event has already been marked as a mistake.", field="reason")
    if not reason.strip():
        raise EventRefused("Enter why the event is being marked as a mistake.", field="reason")
    event.voided_at = utcnow()
    event.voided_by_id = by.id if isinstance(by, User) else None
    event.void_reason = reason.strip()[:MAX_NOTE]
    db.session.flush()
    audit.record_on(
        event,
        "clock.event_voided",
        f"{event.kind.label} on {_label(event.event_date)} marked as a mistake: {reason.strip()}"[:2000],
        before={"voided": False},
        after={"voided": True, "reason": reason.strip()},
        by=by,
    )
    recalculate(case, f"{event.kind.label} on {_label(event.event_date)} marked as a mistake", by=by)
    case_status.refresh(case, reason=f"{event.kind.label.lower()} marked as a mistake", by=by)
    return event
