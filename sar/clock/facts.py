"""The clock's facts about a case, for intake's status derivation (sar.cases.facts)."""

from __future__ import annotations

from flask import current_app

from sar import deadlines
from sar.calendar import today
from sar.cases.facts import ClockFacts
from sar.cases.models import Case
from sar.clock import service
from sar.clock.history import outcome


def clock_facts(case: Case) -> ClockFacts:
    """Waits and dates replayed from the case's whole non-void history (one case: cheap, and never stale)."""
    derived = service.derive_case(case, service.events_for(case))
    due = target = None
    extended = False
    try:
        values = outcome(
            derived,
            region=current_app.config["BANK_HOLIDAY_REGION"],
            target_days=int(current_app.config["INTERNAL_TARGET_DAYS"]),
        ).values
        due, target, extended = values["due_date"], values["internal_target"], values["extended"]
    except deadlines.DeadlineError:
        pass  # an impossible history: the clock panel explains it; the waits below still hold
    now = today()
    return ClockFacts(
        fee_awaited=derived.awaiting_fee,
        clarification_open=derived.open_pause is not None,
        id_awaited=derived.awaiting_id,
        authority_awaited=derived.awaiting_authority,
        due_date=due,
        internal_target=target,
        extended=extended,
        paused_since=derived.open_pause,
        days_left=(due - now).days if due else None,
        target_days_left=(target - now).days if target else None,
    )
