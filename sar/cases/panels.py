"""Panels later stages add to the case page, so the page can show everything known about a case
without intake importing the stages that come after it.

A stage registers a panel at start-up::

    register_case_panel(app, CasePanel("deadline", "clock/_case_panel.html", build_context, order=10))

and the case page includes each panel's template with the context its function returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask, current_app

from sar.cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    name: str
    template: str
    build_context: Callable[[Case], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class CaseListDates:
    """The due dates a later stage (the clock) keeps for every case, so the case list can show and sort by them.

    ``entity`` is the mapped class holding one row per case, ``case_id`` and ``due_date`` its columns; ``today``
    is the day days left are counted from (the stage's own "today", so pinned test dates agree).
    """

    entity: Any
    case_id: Any
    due_date: Any
    today: Callable[[], date]


def register_case_list_dates(app: Flask, dates: CaseListDates) -> None:
    app.extensions["sar_case_list_dates"] = dates


def case_list_dates() -> CaseListDates | None:
    return current_app.extensions.get("sar_case_list_dates")


def register_case_panel(app: Flask, panel: CasePanel) -> None:
    panels: list[CasePanel] = app.extensions.setdefault("sar_case_panels", [])
    panels.append(panel)
    panels.sort(key=lambda p: p.order)


def panels_for(case: Case) -> list[tuple[CasePanel, dict[str, Any]]]:
    return [(panel, panel.build_context(case)) for panel in current_app.extensions.get("sar_case_panels", [])]
