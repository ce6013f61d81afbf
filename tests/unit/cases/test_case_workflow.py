"""The case state machine: status derived from facts, outcomes decided only when their facts are recorded.

(Replaces the tests of the hand-set status graph, which issue 9 removed: no status is set by hand any more.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sar.cases.facts import (
    BundleFacts,
    CaseFacts,
    ClockFacts,
    GatheringFacts,
    IntakeFacts,
    Letter,
    ReviewFacts,
    SignOff,
)
from sar.cases.models import CaseStatus, EvidenceKind, Outcome, Right, TransferTarget
from sar.cases.workflow import (
    OUTCOME_RULES,
    STATUS_RULES,
    Closure,
    TransitionError,
    available_outcomes,
    check_closure,
    derive,
    mermaid,
    outcome_choices,
)

S = CaseStatus
ACCESS = frozenset({Right.ACCESS})
DOCS = Path(__file__).resolve().parents[3] / "docs" / "case-lifecycle.md"


def facts(**intake: object) -> CaseFacts:
    return CaseFacts(intake=IntakeFacts(rights=intake.pop("rights", ACCESS), **intake))  # type: ignore[arg-type]


def test_the_tables_cover_every_status_and_every_outcome():
    assert {rule.status for rule in STATUS_RULES} == set(CaseStatus)
    assert set(OUTCOME_RULES) == set(Outcome)
    assert STATUS_RULES[-1].status is S.RECEIVED  # the fallback, so every set of facts has a status


def test_a_new_request_is_received_and_asks_for_an_owner_then_for_records():
    assert derive(facts()).status is S.RECEIVED
    assert derive(facts()).next_action == "Assign an owner to the case"
    teams = facts(has_owner=True, scope_teams=("Early Help",))
    assert derive(teams).next_action == "Ask Early Help for its records"


def test_waiting_for_the_requester_comes_from_the_evidence_and_the_clock():
    assert derive(facts(evidence_awaited=frozenset({EvidenceKind.IDENTITY}))).status is S.AWAITING_ID
    assert derive(facts(evidence_awaited=frozenset({EvidenceKind.PARENTAL_RESPONSIBILITY}))).status is (
        S.AWAITING_AUTHORITY
    )
    paused = replace(facts(), clock=ClockFacts(clarification_open=True))
    assert derive(paused).status is S.AWAITING_CLARIFICATION
    assert derive(paused).waiting_on == "requester"
    assert derive(replace(facts(), clock=ClockFacts(fee_awaited=True))).status is S.AWAITING_FEE


def test_later_stages_move_the_case_through_gathering_review_and_sign_off():
    base = facts(has_owner=True)
    gathering = replace(base, gathering=GatheringFacts(tasks_total=2, tasks_open=1, teams_awaited=("Early Help",)))
    assert derive(gathering).status is S.GATHERING
    assert derive(gathering).next_action == "Wait for Early Help to return its records"
    back = replace(
        base,
        gathering=GatheringFacts(tasks_total=2),
        review=ReviewFacts(documents_total=5, documents_awaiting_review=2),
    )
    assert derive(back).status is S.IN_REVIEW
    assert derive(back).next_action == "2 documents await review"
    ready = replace(back, review=ReviewFacts(documents_total=5, marked_ready=True))
    assert derive(ready).status is S.AWAITING_SIGN_OFF
    assert derive(ready).next_action == "Awaiting sign-off by another officer"
    returned = replace(back, review=ReviewFacts(documents_total=5, sign_off=SignOff.RETURNED))
    assert derive(returned).status is S.RETURNED
    signed = replace(back, review=ReviewFacts(documents_total=5, marked_ready=True, sign_off=SignOff.GIVEN))
    assert derive(signed).status is S.READY_TO_SEND
    assert derive(signed).next_action == "Build the response bundle"


def test_a_decided_outcome_closes_the_case_whatever_else_is_recorded():
    closed = replace(facts(outcome=Outcome.WITHDRAWN), clock=ClockFacts(clarification_open=True))
    assert derive(closed).status is S.CLOSED


# --- outcome preconditions ----------------------------------------------------------------------------------

RELEASED = BundleFacts(built=True, verified=True, released=True)


@pytest.mark.parametrize("outcome", [Outcome.FULL, Outcome.PARTIAL])
def test_disclosure_needs_a_verified_released_bundle(outcome):
    codes = ("TP",) if outcome is Outcome.PARTIAL else ()
    closure = Closure(outcome, exemption_codes=codes)
    signed = replace(facts(), review=ReviewFacts(marked_ready=True, sign_off=SignOff.GIVEN))
    for not_yet in (
        signed,
        replace(signed, bundle=BundleFacts(built=True, verified=True)),
        replace(signed, bundle=BundleFacts(built=True, released=True)),
    ):
        with pytest.raises(TransitionError, match="verified and released"):
            check_closure(not_yet, closure, reason="Sent")
    check_closure(replace(signed, bundle=RELEASED), closure, reason="Sent")


def test_none_held_needs_every_search_returned_with_a_statement():
    closure = Closure(Outcome.NONE_HELD)
    for gathering in (
        None,
        GatheringFacts(),
        GatheringFacts(tasks_total=2, tasks_open=1),
        GatheringFacts(tasks_total=2, returned_without_statement=1),
    ):
        with pytest.raises(TransitionError, match="search statement"):
            check_closure(replace(facts(), gathering=gathering), closure, reason="Nothing found")
    check_closure(replace(facts(), gathering=GatheringFacts(tasks_total=2)), closure, reason="Nothing found")


def test_refused_needs_the_refusal_letter_and_withdrawn_needs_the_withdrawal():
    with pytest.raises(TransitionError, match="refusal letter"):
        check_closure(facts(), Closure(Outcome.REFUSED_MUE), reason="Excessive")
    check_closure(
        replace(facts(), bundle=BundleFacts(letters_sent=frozenset({Letter.REFUSAL}))),
        Closure(Outcome.REFUSED_MUE),
        reason="Excessive",
    )
    with pytest.raises(TransitionError, match="withdrawal"):
        check_closure(facts(), Closure(Outcome.WITHDRAWN), reason="Withdrawn")
    check_closure(facts(withdrawal_recorded=True), Closure(Outcome.WITHDRAWN), reason="Withdrawn")


def test_closing_for_want_of_evidence_needs_it_to_be_awaited():
    with pytest.raises(TransitionError, match="proof of identity asked for"):
        check_closure(facts(), Closure(Outcome.ID_NOT_PROVIDED_CLOSED), reason="No ID")
    check_closure(
        facts(evidence_awaited=frozenset({EvidenceKind.IDENTITY})),
        Closure(Outcome.ID_NOT_PROVIDED_CLOSED),
        reason="No ID",
    )


def test_only_intake_and_clock_outcomes_are_available_before_the_later_stages_exist():
    waiting = replace(facts(withdrawal_recorded=True), clock=ClockFacts(fee_awaited=True))
    assert set(available_outcomes(waiting)) == {Outcome.FEE_UNPAID_CLOSED, Outcome.WITHDRAWN, Outcome.TRANSFERRED}
    needs = dict(outcome_choices(facts()))
    assert needs[Outcome.FULL] == ["a response bundle that has been verified and released"]


def test_outcomes_follow_the_rights_requested():
    erasure = facts(rights=frozenset({Right.ERASURE}))
    offered = {outcome for outcome, _ in outcome_choices(erasure)}
    assert Outcome.FULL not in offered and Outcome.OTHER_RIGHT_ACTIONED in offered
    with pytest.raises(TransitionError, match="does not answer"):
        check_closure(erasure, Closure(Outcome.NONE_HELD), reason="x")


def test_closure_details_are_checked():
    released = replace(facts(), bundle=RELEASED)
    with pytest.raises(TransitionError, match="Select the exemptions"):
        check_closure(released, Closure(Outcome.PARTIAL), reason="Sent")
    with pytest.raises(TransitionError, match="Unknown exemption code: XX"):
        check_closure(released, Closure(Outcome.PARTIAL, exemption_codes=("XX",)), reason="Sent")
    with pytest.raises(TransitionError, match="only for a partial"):
        check_closure(released, Closure(Outcome.FULL, exemption_codes=("TP",)), reason="Sent")
    with pytest.raises(TransitionError, match="Enter the reason"):
        check_closure(released, Closure(Outcome.FULL), reason="  ")
    with pytest.raises(TransitionError, match="Select where"):
        check_closure(facts(), Closure(Outcome.TRANSFERRED), reason="School")
    with pytest.raises(TransitionError, match="name of the organisation"):
        check_closure(facts(), Closure(Outcome.TRANSFERRED, transferred_to=TransferTarget.OTHER), reason="x")
    ncnd = replace(
        facts(),
        review=ReviewFacts(marked_ready=True, sign_off=SignOff.GIVEN),
        bundle=BundleFacts(letters_sent=frozenset({Letter.RESPONSE})),
    )
    with pytest.raises(TransitionError, match="Data Protection Officer"):
        check_closure(ncnd, Closure(Outcome.NCND), reason="Crime")
    check_closure(ncnd, Closure(Outcome.NCND), reason="Crime", actor_is_dpo=True)
    with pytest.raises(TransitionError, match="already closed"):
        check_closure(
            facts(outcome=Outcome.WITHDRAWN),
            Closure(Outcome.TRANSFERRED, transferred_to=TransferTarget.NHS),
            reason="x",
        )


def test_the_docs_show_the_table_as_it_is_in_code():
    text = DOCS.read_text(encoding="utf-8")
    assert "```mermaid\n" + mermaid() + "```" in text, "regenerate docs/case-lifecycle.md from workflow.mermaid()"


# --- property: no sequence of actions reaches "disclosed" without a released bundle ------------------------

ACTIONS = st.sampled_from(
    [
        "ask_id",
        "receive_id",
        "ask_fee",
        "pay_fee",
        "ask_clarification",
        "answer_clarification",
        "withdraw",
        "send_task",
        "return_task_with_statement",
        "return_task_without_statement",
        "document_arrives",
        "review_document",
        "mark_ready",
        "sign_off",
        "return_sign_off",
        "build",
        "verify",
        "release",
        "send_response_letter",
        "send_refusal_letter",
        "reopen",
        *(f"decide:{outcome.value}" for outcome in Outcome),
    ]
)


def _decide(f: CaseFacts, outcome: Outcome) -> CaseFacts:
    closure = Closure(
        outcome,
        exemption_codes=("TP",) if outcome is Outcome.PARTIAL else (),
        transferred_to=TransferTarget.NHS if outcome is Outcome.TRANSFERRED else None,
    )
    try:
        check_closure(f, closure, reason="Decided", actor_is_dpo=True)
    except TransitionError:
        return f  # refused on the server: nothing recorded
    return replace(f, intake=replace(f.intake, outcome=outcome))


def _intake_or_clock(f: CaseFacts, action: str) -> CaseFacts | None:
    i, c = f.intake, f.clock or ClockFacts()
    awaited = i.evidence_awaited
    changes = {
        "ask_id": lambda: replace(f, intake=replace(i, evidence_awaited=awaited | {EvidenceKind.IDENTITY})),
        "receive_id": lambda: replace(f, intake=replace(i, evidence_awaited=awaited - {EvidenceKind.IDENTITY})),
        "ask_fee": lambda: replace(f, clock=replace(c, fee_awaited=True)),
        "pay_fee": lambda: replace(f, clock=replace(c, fee_awaited=False)),
        "ask_clarification": lambda: replace(f, clock=replace(c, clarification_open=True)),
        "answer_clarification": lambda: replace(f, clock=replace(c, clarification_open=False)),
        "withdraw": lambda: replace(f, intake=replace(i, withdrawal_recorded=True)),
    }
    return changes[action]() if action in changes else None


def _gathering_or_review(f: CaseFacts, action: str) -> CaseFacts:
    g, r = f.gathering or GatheringFacts(), f.review or ReviewFacts()
    if action == "send_task":
        g = replace(g, tasks_total=g.tasks_total + 1, tasks_open=g.tasks_open + 1)
    elif action in ("return_task_with_statement", "return_task_without_statement") and g.tasks_open:
        missing = g.returned_without_statement + (action == "return_task_without_statement")
        g = replace(g, tasks_open=g.tasks_open - 1, returned_without_statement=missing)
    elif action == "document_arrives":
        r = replace(r, documents_total=r.documents_total + 1, documents_awaiting_review=r.documents_awaiting_review + 1)
    elif action == "review_document" and r.documents_awaiting_review:
        r = replace(r, documents_awaiting_review=r.documents_awaiting_review - 1)
    elif action == "mark_ready" and not r.documents_awaiting_review:
        r = replace(r, marked_ready=True, sign_off=None)
    elif action == "sign_off" and r.marked_ready:
        r = replace(r, sign_off=SignOff.GIVEN)
    elif action == "return_sign_off" and r.marked_ready:
        r = replace(r, marked_ready=False, sign_off=SignOff.RETURNED)
    return replace(f, gathering=g, review=r)


def _bundle(f: CaseFacts, action: str) -> CaseFacts:
    b = f.bundle or BundleFacts()
    if action == "build" and derive(f).status is S.READY_TO_SEND:
        b = replace(b, built=True, verified=False, released=False)
    elif action == "verify" and b.built:
        b = replace(b, verified=True)
    elif action == "release" and b.verified:
        b = replace(b, released=True)
    elif action == "send_response_letter":
        b = replace(b, letters_sent=b.letters_sent | {Letter.RESPONSE})
    elif action == "send_refusal_letter":
        b = replace(b, letters_sent=b.letters_sent | {Letter.REFUSAL})
    return replace(f, bundle=b)


def _apply(f: CaseFacts, action: str, *, stages: bool) -> CaseFacts:
    """One officer action, recorded as one fact. Without ``stages`` the later stages are not installed."""
    if action.startswith("decide:"):
        return _decide(f, Outcome(action.split(":")[1]))
    if action == "reopen":
        return replace(f, intake=replace(f.intake, outcome=None))
    if f.intake.outcome is not None:
        return f  # a closed case takes no new facts until reopened
    changed = _intake_or_clock(f, action)
    if changed is not None:
        return changed
    if not stages:
        return f  # the stage that records this fact is not installed
    if action in ("build", "verify", "release", "send_response_letter", "send_refusal_letter"):
        return _bundle(f, action)
    return _gathering_or_review(f, action)


DISCLOSED = {Outcome.FULL, Outcome.PARTIAL}


@settings(max_examples=400, deadline=None)
@given(st.lists(ACTIONS, max_size=40), st.booleans())
def test_no_sequence_of_actions_discloses_without_a_released_verified_bundle(actions, stages):
    f = CaseFacts(intake=IntakeFacts(rights=ACCESS, has_owner=True), clock=ClockFacts())
    for action in actions:
        f = _apply(f, action, stages=stages)
        derived = derive(f)
        if f.intake.outcome in DISCLOSED:
            assert derived.status is S.CLOSED
            assert f.bundle is not None and f.bundle.verified and f.bundle.released
            assert stages, "disclosed with no bundle stage installed"
        if f.intake.outcome is Outcome.NONE_HELD:
            assert f.gathering is not None and f.gathering.tasks_total and not f.gathering.tasks_open
        assert (derived.status is S.CLOSED) == (f.intake.outcome is not None)


@settings(max_examples=200, deadline=None)
@given(st.lists(ACTIONS, max_size=40))
def test_without_the_later_stages_only_intake_and_clock_outcomes_are_ever_decided(actions):
    f = CaseFacts(intake=IntakeFacts(rights=ACCESS), clock=ClockFacts())
    allowed = {
        None,
        Outcome.FEE_UNPAID_CLOSED,
        Outcome.ID_NOT_PROVIDED_CLOSED,
        Outcome.WITHDRAWN,
        Outcome.CLARIFICATION_NOT_PROVIDED_CLOSED,
        Outcome.TRANSFERRED,
    }
    for action in actions:
        f = _apply(f, action, stages=False)
        assert f.intake.outcome in allowed
        assert derive(f).status in {S.RECEIVED, S.AWAITING_ID, S.AWAITING_FEE, S.AWAITING_CLARIFICATION, S.CLOSED}
