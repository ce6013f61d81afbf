"""The case state machine: allowed moves, and what closing with each outcome needs."""

from __future__ import annotations

import pytest

from sar.cases.models import CaseStatus, Outcome, Right, TransferTarget
from sar.cases.workflow import (
    TRANSITIONS,
    Closure,
    TransitionError,
    allowed_outcomes,
    allowed_targets,
    check_transition,
)

S = CaseStatus
ACCESS = frozenset({Right.ACCESS})


def test_every_status_has_an_entry_and_every_open_status_can_close():
    assert set(TRANSITIONS) == set(CaseStatus)
    for status in CaseStatus:
        if status is not S.CLOSED:
            assert S.CLOSED in TRANSITIONS[status]
    assert S.CLOSED not in TRANSITIONS[S.CLOSED]


def test_every_status_is_reachable_from_received():
    seen, frontier = {S.RECEIVED}, [S.RECEIVED]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(CaseStatus)


def test_allowed_targets_are_in_enum_order():
    assert allowed_targets(S.READY_TO_SEND) == [S.IN_REVIEW, S.CLOSED]


def test_a_move_off_the_graph_is_refused():
    with pytest.raises(TransitionError, match="cannot move to"):
        check_transition(S.RECEIVED, S.READY_TO_SEND, reason="x", rights=ACCESS)
    with pytest.raises(TransitionError, match="already"):
        check_transition(S.RECEIVED, S.RECEIVED, reason="x", rights=ACCESS)


def test_every_move_needs_a_reason():
    with pytest.raises(TransitionError) as refused:
        check_transition(S.RECEIVED, S.GATHERING, reason="  ", rights=ACCESS)
    assert refused.value.field == "reason"
    with pytest.raises(TransitionError, match="reopened"):
        check_transition(S.CLOSED, S.GATHERING, reason="", rights=ACCESS)
    check_transition(S.CLOSED, S.GATHERING, reason="Requester sent more information", rights=ACCESS)


def test_closing_needs_an_outcome_and_other_moves_refuse_one():
    with pytest.raises(TransitionError, match="Select the outcome"):
        check_transition(S.GATHERING, S.CLOSED, reason="x", rights=ACCESS)
    with pytest.raises(TransitionError, match="Only closing"):
        check_transition(S.RECEIVED, S.GATHERING, reason="x", rights=ACCESS, closure=Closure(Outcome.FULL))


def test_waiting_outcomes_only_from_their_waiting_status():
    assert Outcome.ID_NOT_PROVIDED_CLOSED in allowed_outcomes(S.AWAITING_ID, ACCESS)
    assert Outcome.ID_NOT_PROVIDED_CLOSED not in allowed_outcomes(S.GATHERING, ACCESS)
    assert Outcome.FEE_UNPAID_CLOSED in allowed_outcomes(S.AWAITING_FEE, ACCESS)
    with pytest.raises(TransitionError, match="cannot close as"):
        check_transition(S.GATHERING, S.CLOSED, reason="x", rights=ACCESS, closure=Closure(Outcome.FEE_UNPAID_CLOSED))


def test_disclosure_outcomes_need_review_first():
    assert Outcome.FULL not in allowed_outcomes(S.RECEIVED, ACCESS)
    assert Outcome.FULL in allowed_outcomes(S.READY_TO_SEND, ACCESS)
    assert Outcome.WITHDRAWN in allowed_outcomes(S.RECEIVED, ACCESS)


def test_outcomes_follow_the_rights_requested():
    erasure = frozenset({Right.ERASURE})
    assert Outcome.NONE_HELD not in allowed_outcomes(S.GATHERING, erasure)
    assert Outcome.OTHER_RIGHT_REFUSED in allowed_outcomes(S.GATHERING, erasure)
    assert Outcome.OTHER_RIGHT_REFUSED not in allowed_outcomes(S.GATHERING, ACCESS)
    assert allowed_outcomes(S.CLOSED, ACCESS) == []


def test_partial_needs_known_exemption_codes():
    with pytest.raises(TransitionError, match="Select the exemptions"):
        check_transition(S.IN_REVIEW, S.CLOSED, reason="x", rights=ACCESS, closure=Closure(Outcome.PARTIAL))
    with pytest.raises(TransitionError, match="Unknown exemption code: XYZ"):
        check_transition(
            S.IN_REVIEW,
            S.CLOSED,
            reason="x",
            rights=ACCESS,
            closure=Closure(Outcome.PARTIAL, exemption_codes=("TP", "XYZ")),
        )
    check_transition(
        S.IN_REVIEW,
        S.CLOSED,
        reason="x",
        rights=ACCESS,
        closure=Closure(Outcome.PARTIAL, exemption_codes=("TP", "SW-SH")),
    )
    with pytest.raises(TransitionError, match="only for a partial"):
        check_transition(
            S.IN_REVIEW, S.CLOSED, reason="x", rights=ACCESS, closure=Closure(Outcome.FULL, exemption_codes=("TP",))
        )


def test_transferred_needs_where_to():
    with pytest.raises(TransitionError, match="transferred to"):
        check_transition(S.RECEIVED, S.CLOSED, reason="x", rights=ACCESS, closure=Closure(Outcome.TRANSFERRED))
    with pytest.raises(TransitionError, match="name of the organisation"):
        check_transition(
            S.RECEIVED,
            S.CLOSED,
            reason="x",
            rights=ACCESS,
            closure=Closure(Outcome.TRANSFERRED, transferred_to=TransferTarget.OTHER),
        )
    check_transition(
        S.RECEIVED,
        S.CLOSED,
        reason="x",
        rights=ACCESS,
        closure=Closure(Outcome.TRANSFERRED, transferred_to=TransferTarget.SCHOOL_RECORD),
    )


def test_ncnd_needs_the_dpo():
    with pytest.raises(TransitionError, match="Data Protection Officer"):
        check_transition(
            S.GATHERING,
            S.CLOSED,
            reason="Would prejudice an investigation",
            rights=ACCESS,
            closure=Closure(Outcome.NCND),
        )
    check_transition(
        S.GATHERING,
        S.CLOSED,
        reason="Would prejudice an investigation",
        rights=ACCESS,
        closure=Closure(Outcome.NCND),
        actor_is_dpo=True,
    )


def test_overlong_reason_is_refused():
    with pytest.raises(TransitionError, match="5000 characters"):
        check_transition(S.RECEIVED, S.GATHERING, reason="x" * 5001, rights=ACCESS)
