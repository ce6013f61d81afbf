"""The only writer of a case's status: gather the facts, derive, store, audit.

Every service that records a fact calls :func:`refresh` in the same transaction (intake's own services, the
clock, and later stages through the interface in sar.cases.facts). The audit event names the fact that moved the
case, so the history reads "Status now ‘Awaiting proof of identity’: proof of identity asked for".
"""

from __future__ import annotations

from sar import audit
from sar.audit import Author
from sar.cases.facts import CaseFacts, IntakeFacts, stage_facts
from sar.cases.models import Case, EvidenceKind
from sar.cases.workflow import Derived, derive


def intake_facts(case: Case) -> IntakeFacts:
    awaited: set[EvidenceKind] = set()
    unverified: set[EvidenceKind] = set()
    for item in case.evidence:
        if item.requested_on is not None and item.received_on is None:
            awaited.add(item.kind)
        elif item.received_on is not None and item.verified_on is None:
            unverified.add(item.kind)
    return IntakeFacts(
        rights=case.right_values,
        outcome=case.outcome,
        evidence_awaited=frozenset(awaited),
        evidence_unverified=frozenset(unverified),
        withdrawal_recorded=case.withdrawn_on is not None,
        has_owner=case.owner_id is not None,
        scope_teams=tuple(sorted(row.team.name for row in case.scope_teams if row.team is not None)),
    )


def facts_for(case: Case) -> CaseFacts:
    """Intake's facts with every registered stage's (``None`` for a stage that is not installed)."""
    stages = stage_facts(case)
    return CaseFacts(
        intake=intake_facts(case),
        clock=stages.get("clock"),  # type: ignore[arg-type]
        gathering=stages.get("gathering"),  # type: ignore[arg-type]
        review=stages.get("review"),  # type: ignore[arg-type]
        bundle=stages.get("bundle"),  # type: ignore[arg-type]
    )


def current(case: Case) -> Derived:
    """What the facts say now (not what is stored): for the case page's summary and next action."""
    return derive(facts_for(case))


def refresh(case: Case, *, reason: str, by: Author) -> Derived:
    """Re-derive the status from the facts; store and audit it if it changed. ``reason`` names the new fact."""
    derived = current(case)
    if derived.status is not case.status:
        before = case.status
        case.status = derived.status
        audit.record_on(
            case,
            "case.status_derived",
            f"Status now ‘{derived.status.label}’ (was ‘{before.label}’): {reason}"[:2000],
            before={"status": before},
            after={"status": derived.status, "reason": reason},
            by=by,
        )
    return derived
