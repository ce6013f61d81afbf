"""The facts each stage records about a case, and the registry through which later stages report them.

A case's status is never set by hand: ``sar.cases.workflow`` derives it from these facts, and
``sar.cases.status.refresh`` stores the result. Intake reads its own facts (evidence, withdrawal, the outcome
decision) straight from its tables; every later stage reports its facts through a *provider* registered at
start-up, so intake never imports the stages that come after it.

The facts-provider interface (for the clock, gathering, review and bundle engineers)
-------------------------------------------------------------------------------------
1. Register one provider per stage when your blueprint is set up::

       @bp.record_once
       def _setup(state):
           register_facts_provider(state.app, "gathering", gathering_facts)

   ``stage`` is one of ``"clock"``, ``"gathering"``, ``"review"``, ``"bundle"``; the provider is a function
   ``(case: Case) -> ClockFacts | GatheringFacts | ReviewFacts | BundleFacts`` (the dataclass named for the stage).
   It must only read (no writes, no audit events) and must be cheap for one case: it runs on every change.
2. After your service records a fact that can change what the case is waiting for (a search task sent or
   returned, a document reviewed, review marked ready, sign-off given or returned, a bundle built, verified or
   released, a letter sent), call ``sar.cases.status.refresh(case, reason="...", by=user)`` in
   the same transaction. It re-derives the status and audits any change, naming the fact as the reason.
3. A stage with no provider registered contributes ``None``: every precondition that needs its facts is unmet.
   So before the bundle stage exists no case can be closed as disclosed, and before gathering exists none can be
   closed as "no information held". That is deliberate, not a gap to work around.
4. Fields you cannot fill yet keep their defaults ("nothing has happened"), which never satisfy a precondition.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from flask import Flask, current_app

from sar.cases.models import Case, EvidenceKind, Outcome, Right
from sar.enums import LabelledEnum


class Letter(LabelledEnum):
    """Letters the bundle stage sends; each is a fact some outcome needs."""

    RESPONSE = "response", "the response letter"  # the covering letter sent with (or instead of) the records
    # a refusal with reasons, the right to complain to the ICO and to go to court
    REFUSAL = "refusal", "the refusal letter"


@dataclass(frozen=True)
class IntakeFacts:
    """What intake itself knows (read from its own tables by sar.cases.status)."""

    rights: frozenset[Right]
    outcome: Outcome | None = None
    # Evidence asked for and not yet received, and received but not yet verified.
    evidence_awaited: frozenset[EvidenceKind] = frozenset()
    evidence_unverified: frozenset[EvidenceKind] = frozenset()
    withdrawal_recorded: bool = False
    has_owner: bool = False
    scope_teams: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClockFacts:
    """What the clock knows: waits the law recognises and the dates it worked out."""

    fee_awaited: bool = False
    clarification_open: bool = False
    # Identity or authority asked for through the clock's own (older) events and not yet received.
    id_awaited: bool = False
    authority_awaited: bool = False
    due_date: date | None = None
    internal_target: date | None = None
    extended: bool = False
    paused_since: date | None = None
    # Calendar days from the clock's today to each date (negative once passed): the law counts calendar days.
    days_left: int | None = None
    target_days_left: int | None = None


@dataclass(frozen=True)
class GatheringFacts:
    """Search tasks sent to record holders (sar.sources)."""

    tasks_total: int = 0
    tasks_open: int = 0
    # Returned tasks whose record holder gave no search statement (what was searched, how, what was found).
    returned_without_statement: int = 0
    teams_awaited: tuple[str, ...] = ()  # teams with an open task, for the next action


class SignOff(enum.StrEnum):
    GIVEN = "given"
    RETURNED = "returned"


@dataclass(frozen=True)
class ReviewFacts:
    """Findings and decisions on the gathered documents (sar.review)."""

    documents_total: int = 0
    documents_awaiting_review: int = 0
    marked_ready: bool = False
    # The latest sign-off decision since review was last marked ready; None while none has been made.
    sign_off: SignOff | None = None


@dataclass(frozen=True)
class BundleFacts:
    """The response bundle and the letters (sar.bundle)."""

    built: bool = False
    verified: bool = False
    released: bool = False
    letters_sent: frozenset[Letter] = frozenset()


@dataclass(frozen=True)
class CaseFacts:
    """Everything the derivation reads. ``None`` for a stage means "that stage is not installed"."""

    intake: IntakeFacts
    clock: ClockFacts | None = None
    gathering: GatheringFacts | None = None
    review: ReviewFacts | None = None
    bundle: BundleFacts | None = None


Stage = Literal["clock", "gathering", "review", "bundle"]
StageFacts = ClockFacts | GatheringFacts | ReviewFacts | BundleFacts
FactsProvider = Callable[[Case], StageFacts]
_EXPECTED: dict[str, type] = {
    "clock": ClockFacts,
    "gathering": GatheringFacts,
    "review": ReviewFacts,
    "bundle": BundleFacts,
}
_KEY = "sar_case_facts_providers"


def register_facts_provider(app: Flask, stage: Stage, provider: FactsProvider) -> None:
    """Make ``provider`` the source of ``stage``'s facts. One provider per stage: a second is a wiring mistake."""
    if stage not in _EXPECTED:
        raise ValueError(f"Unknown stage {stage!r}: expected one of {', '.join(_EXPECTED)}")
    providers: dict[str, FactsProvider] = app.extensions.setdefault(_KEY, {})
    if stage in providers and providers[stage] is not provider:
        raise RuntimeError(f"A facts provider for {stage!r} is already registered")
    providers[stage] = provider


def stage_facts(case: Case) -> dict[str, StageFacts]:
    """Each registered stage's facts about ``case``, checked to be the dataclass the stage promised."""
    result: dict[str, StageFacts] = {}
    providers: dict[str, FactsProvider] = current_app.extensions.get(_KEY, {})
    for stage, provider in providers.items():
        reported: StageFacts = provider(case)
        if type(reported) is not _EXPECTED[stage]:
            raise TypeError(f"The {stage} facts provider returned {type(reported).__name__}")
        result[stage] = reported
    return result
