"""The day a daily command or job acts for: today in the council's calendar, unless an operator names a day
(``--date``, to catch up a missed run or replay one) or the job's payload carries one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

import click

from sar.calendar import today

F = TypeVar("F", bound=Callable[..., Any])


def day_option(what: str) -> Callable[[F], F]:
    """The ``--date`` option, passed to the command as ``day``: the day named, or today. ``what`` finishes
    "The day to ..." in the help."""
    return click.option(
        "--date",
        "day",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        callback=lambda _context, _option, on: on.date() if on is not None else today(),
        help=f"The day to {what} (default: today in Europe/London).",
    )


def payload_day(payload: Mapping[str, object]) -> date:
    """The day a job's payload names (``{"date": "YYYY-MM-DD"}``), or today."""
    return date.fromisoformat(str(payload["date"])) if payload.get("date") else today()
