"""The one place the application asks what day it is.

sar.deadlines never reads the date itself; every page, reminder and export that needs "today" calls
:func:`today`, so a test (or a replay of a past day's reminders) can pin it with ``app.config["CLOCK_TODAY"]``.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """Today's date in the council's calendar (Europe/London), unless the config pins it."""
    if has_app_context():
        pinned = current_app.config.get("CLOCK_TODAY")
        if isinstance(pinned, date) and not isinstance(pinned, datetime):
            return pinned
        if isinstance(pinned, str) and pinned:
            return date.fromisoformat(pinned)
    return datetime.now(LONDON).date()


def london_date(moment: datetime) -> date:
    """The UK calendar day of a stored UTC timestamp (a response sent at 00:30 BST is the next day's)."""
    return moment.astimezone(LONDON).date()
