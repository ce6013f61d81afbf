"""Reviewer decisions that override the detector when a PDF is redacted.

A decisions file is JSON: either a list of decisions or ``{"decisions": [...]}``. Each decision
has an ``action`` (``redact``, ``keep`` or ``review``), an optional ``reason`` (exemption code,
default ``TP``) and says what it applies to, most specific first:

``{"page": 2, "start": 120, "end": 131, "action": "keep"}``
    the finding at exactly these offsets of page 2's text (pages count from 1; offsets are into
    the page text; ``redact-pdf`` prints each redaction's page, offsets and text); with
    ``redact`` and no such finding, those characters are redacted anyway (text the detector
    missed).
``{"page": 2, "rect": [72, 700, 300, 720], "action": "redact", "reason": "SW-SH"}``
    a box in PDF points (left, bottom, right, top; origin bottom-left) burned on page 2.
``{"page": 2, "person_id": "P3", "action": "keep"}``
    every finding for that register person on page 2.
``{"page": 2, "text": "Kayla", "action": "keep"}``
    every finding on page 2 whose text is exactly this.
``{"person_id": "P3", "action": "keep"}``
    every finding attributed to that person in the register (e.g. consent was given).
``{"text": "Kayla Smith", "action": "redact", "reason": "TP"}``
    every finding with this text, on any page.

``review`` findings that no decision settles are redacted, because releasing text nobody has
decided on is the worse mistake.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from redaction.model import ACTIONS, Action, Area, Finding, PageItem, Span


class DecisionsError(ValueError):
    """The decisions file is not in the documented format."""


@dataclass(frozen=True)
class ReviewerDecision:
    """One reviewer's decision about findings on a page (or every page), as a decisions file gives it."""

    action: Action
    reason: str | None = None
    page: int | None = None  # 0-based
    start: int | None = None
    end: int | None = None
    rect: tuple[float, float, float, float] | None = None
    text: str | None = None
    person_id: str | None = None

    def rank(self, page: int, finding: Finding) -> int | None:
        """How specifically this decision matches the finding (higher wins), or ``None``."""
        if self.page is not None and self.page != page:
            return None
        if self.start is not None:
            return 10 if (self.start, self.end) == (finding.start, finding.end) else None
        if self.rect is not None or (self.text is None and self.person_id is None):
            return None
        if self.text is not None and self.text != finding.text:
            return None
        if self.person_id is not None and self.person_id != finding.person_id:
            return None
        return (
            (4 if self.page is not None else 0)
            + (3 if self.person_id is not None else 0)
            + (2 if self.text is not None else 0)
        )


@dataclass
class ReviewerDecisions:
    """A reviewer's decisions for one PDF; the most specific decision matching a finding wins."""

    items: list[ReviewerDecision] = field(default_factory=list)

    def for_page(self, page: int, findings: Sequence[Finding]) -> list[PageItem]:
        """The findings with decisions applied, plus redactions the reviewer added by hand."""
        out: list[PageItem] = []
        matched_spans: set[tuple[int, int]] = set()
        for finding in findings:
            decision = self._best(page, finding)
            if decision is not None:
                if decision.start is not None:
                    matched_spans.add((finding.start, finding.end))
                finding = replace(
                    finding,
                    action=decision.action,
                    reason=decision.reason or finding.reason or ("TP" if decision.action != "keep" else None),
                )
            if finding.action != "keep":
                out.append(finding)
        for decision in self.items:
            if decision.page != page or decision.action == "keep":
                continue
            reason = decision.reason or "TP"
            if decision.rect is not None:
                out.append(Area(*decision.rect, reason=reason))
            elif (
                decision.start is not None
                and decision.end is not None
                and (decision.start, decision.end) not in matched_spans
            ):
                out.append(Span(decision.start, decision.end, reason))
        return out

    def _best(self, page: int, finding: Finding) -> ReviewerDecision | None:
        best: tuple[int, ReviewerDecision] | None = None
        for decision in self.items:
            rank = decision.rank(page, finding)
            if rank is not None and (best is None or rank > best[0]):
                best = (rank, decision)
        return best[1] if best else None


def load_decisions(source: str | Path | list[Any] | dict[str, Any]) -> ReviewerDecisions:
    data: Any = source
    if isinstance(source, str | Path):
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise DecisionsError(f"{source}: cannot be read ({exc.strerror or exc})") from None
        except json.JSONDecodeError as exc:
            raise DecisionsError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, dict):
        data = data.get("decisions")
    if not isinstance(data, list):
        raise DecisionsError("decisions must be a list, or an object with a 'decisions' list")
    return ReviewerDecisions([_decision(item, n) for n, item in enumerate(data, start=1)])


def _decision(item: Any, number: int) -> ReviewerDecision:
    where = f"decision {number}"
    if not isinstance(item, dict):
        raise DecisionsError(f"{where}: must be an object")
    action = item.get("action")
    if action not in ACTIONS:
        raise DecisionsError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    page = item.get("page")
    if page is not None and (not isinstance(page, int) or page < 1):
        raise DecisionsError(f"{where}: page must be a whole number from 1")
    start, end, rect = item.get("start"), item.get("end"), item.get("rect")
    if (start is None) != (end is None) or (
        start is not None and not (isinstance(start, int) and isinstance(end, int))
    ):
        raise DecisionsError(f"{where}: start and end must both be given as whole numbers")
    if (start is not None or rect is not None) and page is None:
        raise DecisionsError(f"{where}: a decision with offsets or a rect needs a page")
    if rect is not None and not (
        isinstance(rect, list) and len(rect) == 4 and all(isinstance(v, int | float) for v in rect)
    ):
        raise DecisionsError(f"{where}: rect must be [left, bottom, right, top] in points")
    if start is None and rect is None and item.get("text") is None and item.get("person_id") is None:
        raise DecisionsError(f"{where}: say what it applies to (start/end, rect, text or person_id)")
    reason = item.get("reason")
    return ReviewerDecision(
        action=action,
        reason=str(reason) if reason is not None else None,
        page=page - 1 if page is not None else None,
        start=start,
        end=end,
        rect=tuple(float(v) for v in rect) if rect is not None else None,  # type: ignore[arg-type]
        text=item.get("text"),
        person_id=item.get("person_id"),
    )
