"""The council's calendar: its time zone, what day it is, and how dates and times are shown.

Statutory dates are counted in the council's calendar (Europe/London), not the server's zone: a response
sent at 00:30 BST counts as the next day's. Timestamps are stored in UTC and turned into council dates and
wall-clock times only here. Every page, reminder, export and service that needs "today" calls :func:`today`,
so a test (or a replay of a past day's reminders) can pin it with ``app.config["CLOCK_TODAY"]``; the pure
clock (``sar.deadlines``) never reads the date itself.

Three ways to show a date, one each for what a reader needs:

* :func:`long_date` ("3 March 2026"): in sentences, summaries and summary lists (GOV.UK style);
* :func:`short_date` ("Tue 3 Mar 2026", in a ``<time>`` element): in tables, where width matters and the day
  of the week helps plan;
* :func:`date_time` ("3 March 2026 at 14:05", or with seconds for the audit trail): moments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context
from markupsafe import Markup

COUNCIL_TZ = ZoneInfo("Europe/London")


def today() -> date:
    """Today's date in the council's calendar, unless the config pins it (``CLOCK_TODAY``)."""
    if has_app_context():
        pinned = current_app.config.get("CLOCK_TODAY")
        if isinstance(pinned, date) and not isinstance(pinned, datetime):
            return pinned
        if isinstance(pinned, str) and pinned:
            return date.fromisoformat(pinned)
    return datetime.now(COUNCIL_TZ).date()


def council_date(moment: datetime) -> date:
    """The council's calendar day of a stored UTC timestamp."""
    return moment.astimezone(COUNCIL_TZ).date()


def council_time(moment: datetime) -> datetime:
    """A stored UTC timestamp as the council's wall-clock time."""
    return moment.astimezone(COUNCIL_TZ)


def moment_of(day: date, at: time = time.min) -> datetime:
    """The UTC moment of a council wall-clock date and time (the first one, if the clocks went back)."""
    return datetime.combine(day, at, tzinfo=COUNCIL_TZ).astimezone(UTC)


def now() -> datetime:
    """The council's wall-clock time now (for file names and messages, never for stored values)."""
    return datetime.now(COUNCIL_TZ)


def parse_date_parts(day: str, month: str, year: str, label: str) -> date:
    """The three boxes of a GOV.UK date input, with the design system's messages (label: "the date of birth")."""
    day, month, year = day.strip(), month.strip(), year.strip()
    missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
    if len(missing) == 3:
        raise ValueError(f"Enter {label}")
    if missing:
        raise ValueError(f"{label[0].upper()}{label[1:]} must include a {' and '.join(missing)}")
    if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
        raise ValueError(f"{label[0].upper()}{label[1:]} must be a real date")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{label[0].upper()}{label[1:]} must be a real date") from None


# --- display ---------------------------------------------------------------------------------------------


def long_date(day: date | None) -> str:
    """ "3 March 2026" (blank when there is no date)."""
    return f"{day.day} {day:%B %Y}" if day else ""


def short_date(day: date | None) -> Markup:
    """``<time>`` with "Tue 3 Mar 2026", or an en dash when there is no date.

    Built as an f-string rather than with Markup.format: a date's own text needs no escaping, and the dashboard
    calls this hundreds of times a page.
    """
    if day is None:
        return Markup("–")
    return Markup(f'<time datetime="{day.isoformat()}">{day:%a} {day.day} {day:%b %Y}</time>')


def date_time(moment: datetime | None, *, seconds: bool = False) -> str:
    """A stored UTC timestamp as staff read it: "3 March 2026 at 14:05" in the council's time zone."""
    if moment is None:
        return ""
    local = council_time(moment)
    return (
        f"{local.day} {local:%B %Y} at {local:%H:%M:%S}" if seconds else f"{local.day} {local:%B %Y} at {local:%H:%M}"
    )


def init_app(app: Flask) -> None:
    """The template filters: ``long_date``, ``short_date``, ``date_time`` and ``timestamp`` (with seconds)."""
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(short_date, "short_date")
    app.add_template_filter(date_time, "date_time")
    app.add_template_filter(lambda moment: date_time(moment, seconds=True), "timestamp")
