"""Turn a case's event history into the inputs of the pure clock, and the clock into the stored row.

Pure functions (no Flask, no session), so the per-case service and the bulk recalculation share exactly the same
rules, and the rules are cheap enough to run for 50,000 cases in a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sar import deadlines
from sar.clock.models import ClockStatus, EventKind


@dataclass(frozen=True, slots=True)
class EventFact:
    """The parts of a (non-void) clock event that matter to the clock, in the order they happened."""

    kind: EventKind
    on: date
    notice_date: date | None = None


@dataclass
class Derived:
    """What the history says: the pure clock's inputs plus the case's waiting/paused/closed state."""

    received: date
    id_received: date | None = None
    authority_received: date | None = None
    fee_paid: date | None = None
    pauses: list[tuple[date, date]] = field(default_factory=list)
    open_pause: date | None = None
    awaiting_id: bool = False
    awaiting_authority: bool = False
    awaiting_fee: bool = False
    extension_notice: date | None = None
    closed_on: date | None = None

    def inputs(
        self, *, extended: bool, region: str, target_days: int, pauses_until: date | None = None
    ) -> deadlines.ClockInputs:
        """The pure clock's inputs; ``pauses_until`` counts an open pause as running to that day."""
        pauses = list(self.pauses)
        if self.open_pause is not None and pauses_until is not None and pauses_until >= self.open_pause:
            pauses.append((self.open_pause, pauses_until))
        return deadlines.ClockInputs(
            received=self.received,
            id_received=self.id_received,
            authority_received=self.authority_received,
            fee_paid=self.fee_paid,
            pauses=tuple(pauses),
            extended=extended,
            region=region,
            target_days=target_days,
        )

    @property
    def status(self) -> ClockStatus:
        if self.closed_on is not None:
            return ClockStatus.CLOSED
        if self.open_pause is not None:
            return ClockStatus.PAUSED
        if self.awaiting_id:
            return ClockStatus.AWAITING_ID
        if self.awaiting_authority:
            return ClockStatus.AWAITING_AUTHORITY
        if self.awaiting_fee:
            return ClockStatus.AWAITING_FEE
        return ClockStatus.RUNNING


def _latest(current: date | None, new: date) -> date:
    return new if current is None or new > current else current


# Within one day, a request comes before its answer and a closure after everything else, whatever order the
# officer typed them in.
SAME_DAY_ORDER = {
    EventKind.ID_REQUESTED: 0,
    EventKind.AUTHORITY_REQUESTED: 0,
    EventKind.FEE_REQUESTED: 0,
    EventKind.CLARIFICATION_ASKED: 0,
    EventKind.ID_RECEIVED: 1,
    EventKind.AUTHORITY_RECEIVED: 1,
    EventKind.FEE_PAID: 1,
    EventKind.CLARIFICATION_ANSWERED: 1,
    EventKind.EXTENSION_DECIDED: 2,
    EventKind.CASE_CLOSED: 3,
    EventKind.CASE_REOPENED: 4,
}
_EVIDENCE_EVENTS = {
    "id": (EventKind.ID_REQUESTED, EventKind.ID_RECEIVED),
    "authority": (EventKind.AUTHORITY_REQUESTED, EventKind.AUTHORITY_RECEIVED),
}


@dataclass(frozen=True, slots=True)
class EvidenceFact:
    """One of intake's evidence records: "id" or "authority", asked for on ``requested``, arrived on ``received``."""

    kind: str
    requested: date | None
    received: date | None


def _apply_waiting(d: Derived, k: EventKind, on: date) -> bool:
    """ID, authority and fee: asking starts a wait, arrival ends it and may move the start. False if not one."""
    if k is EventKind.ID_REQUESTED:
        d.awaiting_id = True
    elif k is EventKind.ID_RECEIVED:
        d.id_received, d.awaiting_id = _latest(d.id_received, on), False
    elif k is EventKind.AUTHORITY_REQUESTED:
        d.awaiting_authority = True
    elif k is EventKind.AUTHORITY_RECEIVED:
        d.authority_received, d.awaiting_authority = _latest(d.authority_received, on), False
    elif k is EventKind.FEE_REQUESTED:
        d.awaiting_fee = True
    elif k is EventKind.FEE_PAID:
        d.fee_paid, d.awaiting_fee = _latest(d.fee_paid, on), False
    else:
        return False
    return True


def _apply_other(d: Derived, event: EventFact, *, access_request: bool, closure: list[date | None]) -> None:
    """Pauses (Art 15 only), the extension, and closing or reopening events."""
    k, on = event.kind, event.on
    if k is EventKind.CLARIFICATION_ASKED:
        if deadlines.pause_allowed(access_request) and d.open_pause is None:
            d.open_pause = on
    elif k is EventKind.CLARIFICATION_ANSWERED:
        if deadlines.pause_allowed(access_request) and d.open_pause is not None:
            d.pauses.append((d.open_pause, on))
            d.open_pause = None
    elif k is EventKind.EXTENSION_DECIDED:
        d.extension_notice = event.notice_date
    elif k is EventKind.CASE_CLOSED:
        closure.append(on)
    elif k is EventKind.CASE_REOPENED:
        closure.append(None)


def derive(
    received: date,
    events: Iterable[EventFact],
    *,
    access_request: bool,
    evidence: Iterable[EvidenceFact] = (),
    closed_on: date | None = None,
) -> Derived:
    """Replay the events (and intake's evidence dates, as if they were events) in date order.

    Evidence counts only if it was actually asked for (sar-rules 1.2: "only if ID was actually requested"); an
    item asked for and not yet received keeps the case waiting. ``closed_on`` is intake's closure date, used when no
    clock event closed it. Clarification events on a case with no access right are ignored: the pause is Art 15
    only (sar-rules 1.3).
    """
    d = Derived(received=received)
    facts = list(events)
    still_waiting: set[str] = set()
    for item in evidence:
        kinds = _EVIDENCE_EVENTS.get(item.kind)
        if kinds is None or item.requested is None:
            continue
        facts.append(EventFact(kinds[0], item.requested))
        if item.received is None:
            still_waiting.add(item.kind)
        else:
            facts.append(EventFact(kinds[1], item.received))
    facts.sort(key=lambda f: (f.on, SAME_DAY_ORDER[f.kind]))  # stable: same-day same-rank keep recorded order
    closure: list[date | None] = []  # what closing and reopening events said, in order
    for event in facts:
        if not _apply_waiting(d, event.kind, event.on):
            _apply_other(d, event, access_request=access_request, closure=closure)
    d.closed_on = closure[-1] if closure else closed_on
    d.awaiting_id = d.awaiting_id or "id" in still_waiting
    d.awaiting_authority = d.awaiting_authority or "authority" in still_waiting
    return d


@dataclass(frozen=True)
class Outcome:
    """The values to store in ``CaseClock`` (column name → value) and any problem to show the officer."""

    values: dict[str, Any]
    problem: str | None


STORED_FIELDS = (
    "status",
    "start_date",
    "raw_due_date",
    "due_date",
    "internal_target",
    "notice_deadline",
    "extended",
    "excluded_days",
    "paused_since",
    "closed_on",
    "answered_on_time",
    "response_days",
    "problem",
)
# The fields whose change is worth an audit event (the rest follow from them).
AUDITED_FIELDS = ("due_date", "internal_target", "notice_deadline", "status", "extended", "closed_on")


def outcome(derived: Derived, *, region: str, target_days: int) -> Outcome:
    """Run the pure clock over the derived inputs. Raises :class:`deadlines.DeadlineError` for impossible inputs."""
    problem = None
    extended = False
    if derived.extension_notice is not None:
        # Re-checked on every recalculation: voiding a pause can shorten the notice window after the fact.
        try:
            deadlines.check_extension_notice(
                derived.extension_notice,
                derived.received,
                id_received=derived.id_received,
                authority_received=derived.authority_received,
                fee_paid=derived.fee_paid,
                pauses=derived.pauses,
            )
            extended = True
        except deadlines.DeadlineError as refused:
            problem = f"The recorded extension does not count: {refused}"
    clock = derived.inputs(extended=extended, region=region, target_days=target_days).compute()
    closed_on = derived.closed_on
    values: dict[str, Any] = {
        "status": derived.status,
        "start_date": clock.start,
        "raw_due_date": clock.raw_due,
        "due_date": clock.due,
        "internal_target": clock.internal_target,
        "notice_deadline": clock.notice_deadline,
        "extended": extended,
        "excluded_days": clock.excluded_days,
        "paused_since": derived.open_pause,
        "closed_on": closed_on,
        "answered_on_time": None if closed_on is None else closed_on <= clock.due,
        "response_days": None if closed_on is None else max((closed_on - derived.received).days, 0),
        "problem": problem,
    }
    return Outcome(values, problem)


def facts(rows: Sequence[tuple[EventKind, date, date | None]]) -> list[EventFact]:
    return [EventFact(kind, on, notice) for kind, on, notice in rows]
