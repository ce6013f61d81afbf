"""The case state machine: which status may follow which, and what closing with each outcome needs.

Pure rules (no database): ``check_transition`` raises :class:`TransitionError` with a message for the
person making the change; ``sar.cases.service.transition`` applies and audits it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sar.cases.models import EXEMPTION_CODES, CaseStatus, Outcome, Right, TransferTarget
from sar.errors import DomainError

S = CaseStatus

_OPEN_WAITING = (S.AWAITING_ID, S.AWAITING_AUTHORITY, S.AWAITING_FEE, S.AWAITING_CLARIFICATION)

# The graph. Every open status may also close (a request can be withdrawn or transferred at any point);
# CLOSED may only be left by reopening, which needs a reason like any other move.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.RECEIVED: frozenset({*_OPEN_WAITING, S.GATHERING, S.CLOSED}),
    S.AWAITING_ID: frozenset({S.RECEIVED, S.AWAITING_AUTHORITY, S.AWAITING_FEE, S.GATHERING, S.CLOSED}),
    S.AWAITING_AUTHORITY: frozenset({S.RECEIVED, S.AWAITING_ID, S.AWAITING_FEE, S.GATHERING, S.CLOSED}),
    S.AWAITING_FEE: frozenset({S.RECEIVED, S.GATHERING, S.CLOSED}),
    S.AWAITING_CLARIFICATION: frozenset({S.RECEIVED, S.GATHERING, S.IN_REVIEW, S.CLOSED}),
    S.GATHERING: frozenset({S.AWAITING_CLARIFICATION, S.AWAITING_FEE, S.IN_REVIEW, S.CLOSED}),
    S.IN_REVIEW: frozenset({S.GATHERING, S.AWAITING_CLARIFICATION, S.AWAITING_SIGN_OFF, S.CLOSED}),
    S.AWAITING_SIGN_OFF: frozenset({S.IN_REVIEW, S.READY_TO_SEND, S.CLOSED}),
    S.READY_TO_SEND: frozenset({S.IN_REVIEW, S.CLOSED}),
    S.CLOSED: frozenset({S.RECEIVED, S.GATHERING, S.IN_REVIEW}),
}

# Outcomes that only make sense from one waiting status: closing for want of what was asked for.
_OUTCOME_ONLY_FROM: dict[Outcome, frozenset[CaseStatus]] = {
    Outcome.ID_NOT_PROVIDED_CLOSED: frozenset({S.AWAITING_ID}),
    Outcome.AUTHORITY_NOT_PROVIDED_CLOSED: frozenset({S.AWAITING_AUTHORITY}),
    Outcome.FEE_UNPAID_CLOSED: frozenset({S.AWAITING_FEE}),
    Outcome.CLARIFICATION_NOT_PROVIDED_CLOSED: frozenset({S.AWAITING_CLARIFICATION}),
    # A disclosure decision needs the records to have been gathered and reviewed first.
    Outcome.FULL: frozenset({S.IN_REVIEW, S.AWAITING_SIGN_OFF, S.READY_TO_SEND}),
    Outcome.PARTIAL: frozenset({S.IN_REVIEW, S.AWAITING_SIGN_OFF, S.READY_TO_SEND}),
    Outcome.WITHHELD_ALL: frozenset({S.IN_REVIEW, S.AWAITING_SIGN_OFF, S.READY_TO_SEND}),
}

_ACCESS_OUTCOMES = frozenset({Outcome.FULL, Outcome.PARTIAL, Outcome.NONE_HELD, Outcome.WITHHELD_ALL, Outcome.NCND})
_OTHER_RIGHT_OUTCOMES = frozenset({Outcome.OTHER_RIGHT_ACTIONED, Outcome.OTHER_RIGHT_REFUSED})

REASON_MAX = 5000


class TransitionError(DomainError):
    """The change is not allowed; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "to_status") -> None:
        super().__init__(message, field)


@dataclass(frozen=True)
class Closure:
    """What closing needs beyond the outcome code (sar-rules section 6)."""

    outcome: Outcome
    exemption_codes: tuple[str, ...] = ()
    transferred_to: TransferTarget | None = None
    transferred_to_detail: str = ""


def allowed_targets(current: CaseStatus) -> list[CaseStatus]:
    """The statuses a case may move to next, in the order of the enum (for the form's radios)."""
    targets = TRANSITIONS[current]
    return [status for status in CaseStatus if status in targets]


def allowed_outcomes(current: CaseStatus, rights: Collection[Right]) -> list[Outcome]:
    """Outcomes a case in ``current`` with these rights may close with."""
    if current is S.CLOSED:
        return []
    result = []
    for outcome in Outcome:
        only_from = _OUTCOME_ONLY_FROM.get(outcome)
        if only_from is not None and current not in only_from:
            continue
        if outcome in _ACCESS_OUTCOMES and Right.ACCESS not in rights:
            continue
        if outcome in _OTHER_RIGHT_OUTCOMES and not set(rights) - {Right.ACCESS}:
            continue
        result.append(outcome)
    return result


def check_transition(
    current: CaseStatus,
    target: CaseStatus,
    *,
    reason: str,
    rights: Collection[Right],
    closure: Closure | None = None,
    actor_is_dpo: bool = False,
) -> None:
    """Raise TransitionError unless ``current`` → ``target`` is allowed with what was supplied."""
    if target == current:
        raise TransitionError(f"The case is already ‘{current.label}’")
    if target not in TRANSITIONS[current]:
        raise TransitionError(f"A case that is ‘{current.label}’ cannot move to ‘{target.label}’")
    if not reason.strip():
        message = "Enter why the case is being reopened" if current is S.CLOSED else "Enter the reason for the change"
        raise TransitionError(message, "reason")
    if len(reason) > REASON_MAX:
        raise TransitionError(f"The reason must be {REASON_MAX} characters or fewer", "reason")
    if target is not S.CLOSED:
        if closure is not None:
            raise TransitionError("Only closing a case records an outcome", "outcome")
        return
    if closure is None:
        raise TransitionError("Select the outcome", "outcome")
    _check_closure(current, closure, rights, actor_is_dpo)


def _check_closure(current: CaseStatus, closure: Closure, rights: Collection[Right], actor_is_dpo: bool) -> None:
    outcome = closure.outcome
    if outcome not in allowed_outcomes(current, rights):
        raise TransitionError(f"A case that is ‘{current.label}’ cannot close as ‘{outcome.label}’", "outcome")
    if outcome is Outcome.PARTIAL:
        if not closure.exemption_codes:
            raise TransitionError("Select the exemptions applied", "exemption_codes")
        unknown = sorted(set(closure.exemption_codes) - set(EXEMPTION_CODES))
        if unknown:
            raise TransitionError(f"Unknown exemption code: {', '.join(unknown)}", "exemption_codes")
    elif closure.exemption_codes:
        raise TransitionError("Exemption codes are recorded only for a partial disclosure", "exemption_codes")
    if outcome is Outcome.TRANSFERRED:
        if closure.transferred_to is None:
            raise TransitionError("Select where the request was transferred to", "transferred_to")
        if closure.transferred_to is TransferTarget.OTHER and not closure.transferred_to_detail.strip():
            raise TransitionError("Enter the name of the organisation", "transferred_to_detail")
    elif closure.transferred_to is not None:
        raise TransitionError("Where it was transferred to is recorded only for a transfer", "transferred_to")
    if outcome is Outcome.NCND and not actor_is_dpo:
        # sar-rules section 6: NCND only with the DPO's sign-off and a recorded rationale (the reason).
        raise TransitionError("Only the Data Protection Officer can sign off ‘neither confirm nor deny’", "outcome")
