"""The statutory clock for subject access and other data-subject-rights requests.

Pure calendar arithmetic: no Flask, no database and never an implicit "today" (every function that needs the
current date takes it as an argument), so the app can recalculate any case from its event history and the tests
are deterministic. The rules are sar-rules section 1 (``../shared/docs/sar-rules.md``), above all the normative
algorithm in 1.2; its 1.6 test vectors are in ``tests/unit/test_deadlines.py``:

* **Start ("relevant time")**: the latest of the day the request was received, the day requested ID arrived, the
  day a representative's authority evidence arrived and the day a fee was paid (1.1, 1.2 rule 6).  ID, authority
  and fees *move the start*; they do not pause the clock.
* **Raw due date**: the same day of the month one month later (three months if validly extended), the receipt day
  being day 1 (rule 1); if that day does not exist, the last day of that month (rule 2).  Clarification pause days
  (access requests only, 1.3; the caller decides which requests may have pauses) are then added to the end,
  *after* the month-end clamp (rule 7; vector 18).
* **Due date**: the raw date rolled forward past weekends and bank holidays of the case's region (rule 3).  Bank
  holidays come from the maintained ``holidays`` package, substitute days included, never a hand-typed list.
* **Extension notice deadline**: one month from the start plus pause days, *not* rolled (conservative, 1.2).
* **Internal target**: see :func:`internal_target` (rule 4).
* **Complaint acknowledgement**: received + 29 days (1.5).

Pause counting (1.2): each pause counts inclusively from ``max(asked, start)`` to ``answered``; overlapping or
touching pauses are merged first so no day is excluded twice.  One refinement of 1.2, marked [U] in the spec's
sense: a pause asked *after* the period (as already lengthened by earlier pauses) had ended is not counted, because
the statute only stops days *of the period* from counting; a late clarification cannot revive an expired deadline.
For every pause asked within the period this is exactly the 1.2 sum.  Such pauses are listed in
:attr:`Clock.ignored_pauses` so the app can tell the officer.

Bank-holiday data is computed by the ``holidays`` package from rules plus its list of one-off holidays (e.g. the
2023 coronation, Scotland's 15 June 2026 World Cup holiday), and cached per region and year for the life of the
process: a newly proclaimed holiday is known only after upgrading the pinned package and restarting, after which the
app should recalculate stored due dates.

Bad input raises a subclass of :class:`DeadlineError` (a ``ValueError``) whose message is written for a council
officer, not a programmer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Final

import holidays

__all__ = [
    "DEFAULT_REGION",
    "DEFAULT_TARGET_DAYS",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "REGIONS",
    "Clock",
    "ClockInputs",
    "DateOutOfRange",
    "DeadlineError",
    "EvidenceBeforeRequest",
    "ExtensionNoticeBeforeRequest",
    "ExtensionNoticeTooLate",
    "InvalidTargetDays",
    "NotADate",
    "PauseBeforeRequest",
    "PauseEndsBeforeItStarts",
    "UnknownRegion",
    "WrongType",
    "add_months",
    "add_working_days",
    "bank_holidays",
    "check_extension_notice",
    "complaint_acknowledgement_due",
    "compute_clock",
    "days_left",
    "due_date",
    "excluded_days",
    "extension_notice_deadline",
    "holiday_name",
    "internal_target",
    "is_working_day",
    "next_working_day",
    "previous_working_day",
    "raw_due_date",
    "roll_forward",
    "start_date",
    "working_days_between",
    "working_days_left",
]

# UK GDPR and the DPA 2018 took effect on 25 May 2018; earlier requests fell under the DPA 1998 (40 days, £10 fee),
# which this clock does not implement.  The upper bound is a sanity check against mistyped years (2206 for 2026);
# it cannot be "today + n" because the module never reads today.
EARLIEST_DATE: Final = date(2018, 5, 25)
LATEST_DATE: Final = date(2100, 12, 31)

DEFAULT_REGION: Final = "england-and-wales"
DEFAULT_TARGET_DAYS: Final = 28
# Wales shares England's bank holidays, so one region covers both (gov.uk publishes them as one list).
_REGION_SUBDIVISIONS: Final[Mapping[str, str]] = MappingProxyType(
    {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
)
REGIONS: Final = tuple(_REGION_SUBDIVISIONS)

# Working-day helpers accept a wider window than case dates (they also serve dashboards looking back or ahead), but
# still a bounded one so a mistyped year fails clearly instead of overflowing date arithmetic.
_HELPER_EARLIEST: Final = date(1900, 1, 1)
_HELPER_LATEST: Final = date(2200, 12, 31)

_ONE_DAY: Final = timedelta(days=1)
_MAX_TARGET_DAYS: Final = 31


# --------------------------------------------------------------------------------------------------- errors


class DeadlineError(ValueError):
    """Base class: the inputs cannot give a lawful deadline.  The message is meant for the officer."""


class WrongType(DeadlineError, TypeError):
    """An argument has the wrong type (also a ``TypeError`` so generic type handling still catches it)."""


class NotADate(WrongType):
    """A date argument is not a ``datetime.date`` - or is a ``datetime``, which would smuggle in a time and zone."""


class DateOutOfRange(DeadlineError):
    """A date is before UK GDPR applied (25 May 2018) or implausibly far in the future (after 2100)."""


class EvidenceBeforeRequest(DeadlineError):
    """ID, authority evidence or a fee is dated before the request itself was received."""


class PauseBeforeRequest(DeadlineError):
    """A clarification was asked for before the request was received."""


class PauseEndsBeforeItStarts(DeadlineError):
    """A clarification pause was answered before it was asked."""


class UnknownRegion(DeadlineError):
    """The region is not one of :data:`REGIONS`."""


class InvalidTargetDays(DeadlineError):
    """The internal target length is not a whole number of days between 1 and 31."""


class ExtensionNoticeTooLate(DeadlineError):
    """An extension notice was sent after the last day it could validly be sent."""

    def __init__(self, message: str, *, notice_date: date, deadline: date) -> None:
        super().__init__(message)
        self.notice_date = notice_date
        self.deadline = deadline


class ExtensionNoticeBeforeRequest(DeadlineError):
    """An extension notice is dated before the request was received."""


class PauseNotAllowed(DeadlineError):
    """Clarification pauses the clock only on a subject access request."""


class AlreadyExtended(DeadlineError):
    """The time limit was already extended; it can be extended only once."""


# ---------------------------------------------------------------------------------------- the case's rules


def pause_allowed(access_request: bool) -> bool:
    """Whether asking for clarification stops the clock: only on a subject access request (UK GDPR Art 12(3A) as
    amended by the DUAA applies the pause to Art 15 requests; sar-rules 1.3: other rights keep the same period and
    extension, without pauses)."""
    return bool(access_request)


def check_pause_allowed(access_request: bool) -> None:
    if not pause_allowed(access_request):
        raise PauseNotAllowed(
            "The clock can only be paused for clarification on a subject access request (UK GDPR Article 15). "
            "For other rights the same one-month period and extension apply, without pauses."
        )


def check_can_extend(already_extended: bool) -> None:
    """Art 12(3): the period may be extended once, by up to two further months; a second extension is refused."""
    if already_extended:
        raise AlreadyExtended("The time limit has already been extended; it can only be extended once.")


# ------------------------------------------------------------------------------------------- validation


_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "received": "the date the request was received",
        "id_received": "the date the requested ID was received",
        "authority_received": "the date the evidence of authority was received",
        "fee_paid": "the date the fee was paid",
        "asked": "the date clarification was asked for",
        "answered": "the date the clarification was received",
        "notice_date": "the date the extension notice was sent",
        "today": "today's date",
        "due": "the due date",
        "d": "the date",
    }
)


def _fmt(d: date) -> str:
    # Officers read "Tue 3 Mar 2026" faster and with fewer day/month mix-ups than ISO or 03/03/2026.
    return f"{d:%a} {d.day} {d:%b %Y}"


def _check_date(value: object, name: str) -> date:
    # datetime is a subclass of date, so it must be excluded explicitly: comparing it with a date fails later with
    # an obscure TypeError, and a UTC timestamp near midnight can be the wrong UK day.  Other date subclasses (e.g.
    # freezegun's FakeDate in the app's tests) are real calendar dates and are accepted.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    label = _LABELS.get(name, name)
    if isinstance(value, datetime):
        raise NotADate(f"{label.capitalize()} must be a calendar date without a time; got {value!r}.")
    raise NotADate(f"{label.capitalize()} must be a date; got {value!r}.")


def _check_case_date(value: object, name: str) -> date:
    d = _check_date(value, name)
    if not EARLIEST_DATE <= d <= LATEST_DATE:
        label = _LABELS.get(name, name)
        raise DateOutOfRange(
            f"{label.capitalize()} ({_fmt(d)}) is outside the range this tool handles: "
            f"{_fmt(EARLIEST_DATE)} (when UK GDPR and the Data Protection Act 2018 took effect) to "
            f"{_fmt(LATEST_DATE)}. Check the year."
        )
    return d


def _check_helper_date(value: object, name: str) -> date:
    d = _check_date(value, name)
    if not _HELPER_EARLIEST <= d <= _HELPER_LATEST:
        raise DateOutOfRange(
            f"{_LABELS.get(name, name).capitalize()} ({_fmt(d)}) is outside the range of known bank holidays "
            f"({_HELPER_EARLIEST.year}-{_HELPER_LATEST.year}). Check the year."
        )
    return d


def _subdivision(region: object) -> str:
    code = _REGION_SUBDIVISIONS.get(region) if isinstance(region, str) else None
    if code is None:
        raise UnknownRegion(f"Unknown region {region!r}. Choose one of: {', '.join(REGIONS)}.")
    return code


def _check_bool(value: object, name: str) -> bool:
    # 0/1 or "no" from a form would silently mean True/False; insist on a real bool.
    if type(value) is not bool:
        raise WrongType(f"{name} must be True or False; got {value!r}.")
    return value


def _check_target_days(value: object) -> int:
    if type(value) is not int:
        raise InvalidTargetDays(f"The internal target must be a whole number of days; got {value!r}.")
    if not 1 <= value <= _MAX_TARGET_DAYS:
        raise InvalidTargetDays(
            f"The internal target must be between 1 and {_MAX_TARGET_DAYS} days; got {value}. "
            "The ICO suggests 28 so that it always falls within a calendar month."
        )
    return value


def _check_pauses(pauses: object, received: date) -> tuple[tuple[date, date], ...]:
    """Validate the pauses and return them sorted; raises for each kind of bad pause."""
    if isinstance(pauses, (str, bytes)) or not isinstance(pauses, Iterable):
        raise WrongType(f"Clarification pauses must be a list of (asked, answered) date pairs; got {pauses!r}.")
    checked: list[tuple[date, date]] = []
    for item in pauses:
        if isinstance(item, date):
            # The commonest slip: pauses=(asked, answered) instead of pauses=[(asked, answered)].
            raise WrongType(
                "Clarification pauses must be a list of (asked, answered) pairs; a single date was found. "
                "Wrap one pause in a list: pauses=[(asked, answered)]."
            )
        try:
            asked_raw, answered_raw = item
        except (TypeError, ValueError):
            raise WrongType(
                f"Each clarification pause must be a pair (date asked, date answered); got {item!r}."
            ) from None
        asked = _check_case_date(asked_raw, "asked")
        answered = _check_case_date(answered_raw, "answered")
        if answered < asked:
            raise PauseEndsBeforeItStarts(
                f"A clarification pause cannot end before it starts: the answer is dated {_fmt(answered)} "
                f"but the question was asked on {_fmt(asked)}. Check the two dates."
            )
        if asked < received:
            raise PauseBeforeRequest(
                f"Clarification is recorded as asked on {_fmt(asked)}, before the request was received on "
                f"{_fmt(received)}. The clock can only be paused after the request arrives; check the dates."
            )
        checked.append((asked, answered))
    checked.sort()
    return tuple(checked)


def _start(received: date, id_received: object, authority_received: object, fee_paid: object) -> date:
    start = received
    for name, value in (
        ("id_received", id_received),
        ("authority_received", authority_received),
        ("fee_paid", fee_paid),
    ):
        if value is None:
            continue
        d = _check_case_date(value, name)
        if d < received:
            raise EvidenceBeforeRequest(
                f"{_LABELS[name].capitalize()} ({_fmt(d)}) is before the request was received "
                f"({_fmt(received)}). ID, authority evidence and fees can only count from the day the request "
                "arrived; check both dates."
            )
        if d > start:
            start = d
    return start


# ------------------------------------------------------------------------------------------- bank holidays

# One dict per (subdivision, year): the holidays package builds a year in ~100 µs, far too slow to repeat for
# every roll of 50,000 cases, and a year's list never changes within a running process.
_HOLIDAY_CACHE: dict[tuple[str, int], Mapping[date, str]] = {}


def _holidays_for(subdiv: str, year: int) -> Mapping[date, str]:
    cached = _HOLIDAY_CACHE.get((subdiv, year))
    if cached is None:
        source = holidays.country_holidays("GB", subdiv=subdiv, years=year)
        cached = MappingProxyType({d: str(name) for d, name in source.items() if d.year == year})
        _HOLIDAY_CACHE[(subdiv, year)] = cached
    return cached


def _is_working(d: date, subdiv: str) -> bool:
    return d.weekday() < 5 and d not in _holidays_for(subdiv, d.year)


def _roll(d: date, subdiv: str) -> date:
    while not _is_working(d, subdiv):
        d += _ONE_DAY
    return d


def bank_holidays(year: int, region: str = DEFAULT_REGION) -> Mapping[date, str]:
    """The region's bank holidays in ``year`` (substitute days included), mapped to their names; read-only."""
    if type(year) is not int:
        raise WrongType(f"The year must be a whole number; got {year!r}.")
    if not _HELPER_EARLIEST.year <= year <= _HELPER_LATEST.year:
        raise DateOutOfRange(f"No bank holidays are known for {year}. Check the year.")
    return _holidays_for(_subdivision(region), year)


def holiday_name(d: date, region: str = DEFAULT_REGION) -> str | None:
    """The bank holiday's name if ``d`` is one in the region (e.g. to explain why a date rolled), else None."""
    d = _check_helper_date(d, "d")
    return _holidays_for(_subdivision(region), d.year).get(d)


def is_working_day(d: date, region: str = DEFAULT_REGION) -> bool:
    """True unless ``d`` is a Saturday, Sunday or a bank holiday in the region.

    Council closure days that are not bank holidays (e.g. 24 December) are working days for the statutory clock
    (sar-rules 1.2 rule 3).
    """
    d = _check_helper_date(d, "d")
    return _is_working(d, _subdivision(region))


def roll_forward(d: date, region: str = DEFAULT_REGION) -> date:
    """``d`` itself if it is a working day, otherwise the next working day (how a due date is rolled)."""
    d = _check_helper_date(d, "d")
    return _roll(d, _subdivision(region))


def next_working_day(d: date, region: str = DEFAULT_REGION) -> date:
    """The first working day strictly after ``d``."""
    d = _check_helper_date(d, "d")
    return _roll(d + _ONE_DAY, _subdivision(region))


def previous_working_day(d: date, region: str = DEFAULT_REGION) -> date:
    """The last working day strictly before ``d``."""
    d = _check_helper_date(d, "d")
    subdiv = _subdivision(region)
    d -= _ONE_DAY
    while not _is_working(d, subdiv):
        d -= _ONE_DAY
    return d


def add_working_days(d: date, n: int, region: str = DEFAULT_REGION) -> date:
    """The ``n``-th working day after ``d`` (before it if ``n`` is negative); ``d`` itself when ``n`` is 0.

    ``d`` need not be a working day: the count starts from the day after it, so one working day after a Saturday
    is the Monday (or the Tuesday after a bank-holiday Monday).
    """
    d = _check_helper_date(d, "d")
    if type(n) is not int:
        raise WrongType(f"The number of working days must be a whole number; got {n!r}.")
    subdiv = _subdivision(region)
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if _is_working(d, subdiv):
            remaining -= 1
    return d


def working_days_between(start: date, end: date, region: str = DEFAULT_REGION) -> int:
    """Working days in the half-open interval ``(start, end]``; negative (counting ``(end, start]``) if end < start."""
    start = _check_helper_date(start, "d")
    end = _check_helper_date(end, "d")
    subdiv = _subdivision(region)
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    d = start + _ONE_DAY
    while d <= end:
        if _is_working(d, subdiv):
            count += 1
        d += _ONE_DAY
    return sign * count


# ------------------------------------------------------------------------------------------- the clock


_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(d: date, months: int) -> date:
    """The same day of the month ``months`` later, or the last day of that month if it has no such day (rule 2)."""
    d = _check_date(d, "d")
    return _add_months(d, months)


def _add_months(d: date, months: int) -> date:
    year_offset, month_index = divmod(d.month - 1 + months, 12)
    year = d.year + year_offset
    month = month_index + 1
    last = _DAYS_IN_MONTH[month_index]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return date(year, month, min(d.day, last))


def _merge(pauses: tuple[tuple[date, date], ...], start: date) -> list[tuple[date, date]]:
    """Clip sorted pauses to the start and merge overlapping or touching ones, so no day is excluded twice."""
    merged: list[tuple[date, date]] = []
    for asked, answered in pauses:
        if answered < start:
            # Asked and answered before the clock started (e.g. while waiting for ID): nothing to exclude.
            continue
        if asked < start:
            asked = start
        if merged and asked <= merged[-1][1] + _ONE_DAY:
            if answered > merged[-1][1]:
                merged[-1] = (merged[-1][0], answered)
        else:
            merged.append((asked, answered))
    return merged


def _lengthen(
    period_end: date, merged: list[tuple[date, date]]
) -> tuple[date, int, tuple[tuple[date, date], ...], tuple[tuple[date, date], ...]]:
    """Add each pause's inclusive length to the end of the period, if it was asked while the period was running.

    Returns (new end, excluded days, counted pauses, ignored pauses).  Pauses are processed in date order so that an
    earlier pause can keep the period open for a later one.
    """
    excluded = 0
    counted: list[tuple[date, date]] = []
    ignored: list[tuple[date, date]] = []
    for asked, answered in merged:
        if asked <= period_end:
            length = (answered - asked).days + 1
            period_end += timedelta(days=length)
            excluded += length
            counted.append((asked, answered))
        else:
            ignored.append((asked, answered))
    return period_end, excluded, tuple(counted), tuple(ignored)


def _prepare(
    received: object,
    id_received: object,
    authority_received: object,
    fee_paid: object,
    pauses: object,
) -> tuple[date, list[tuple[date, date]]]:
    rec = _check_case_date(received, "received")
    start = _start(rec, id_received, authority_received, fee_paid)
    return start, _merge(_check_pauses(pauses, rec), start)


def _period(
    received: object,
    id_received: object,
    authority_received: object,
    fee_paid: object,
    pauses: object,
    extended: object,
) -> tuple[date, int]:
    """The last day of the period before rolling (one month from the start, three if extended, lengthened by the
    pauses asked while it ran) and how many pause days that added."""
    start, merged = _prepare(received, id_received, authority_received, fee_paid, pauses)
    months = 3 if _check_bool(extended, "extended") else 1
    end, excluded, _counted, _ignored = _lengthen(_add_months(start, months), merged)
    return end, excluded


def start_date(
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
) -> date:
    """The "relevant time": the latest of receipt, ID received, authority evidence received and fee paid."""
    rec = _check_case_date(received, "received")
    return _start(rec, id_received, authority_received, fee_paid)


def excluded_days(
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    extended: bool = False,
) -> int:
    """How many days the clarification pauses add to the end of the period (merged, clipped, inclusive)."""
    return _period(received, id_received, authority_received, fee_paid, pauses, extended)[1]


def raw_due_date(
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    extended: bool = False,
) -> date:
    """The last day of the period before rolling: add_months(start, 1 or 3) + excluded pause days."""
    return _period(received, id_received, authority_received, fee_paid, pauses, extended)[0]


def due_date(
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    extended: bool = False,
    region: str = DEFAULT_REGION,
) -> date:
    """The statutory due date: the raw due date rolled forward past weekends and the region's bank holidays.

    The response is in time if sent by 23:59:59 Europe/London on this date.  For a pause that is still open, pass
    (asked, today) to get the earliest the deadline can now be.
    """
    subdiv = _subdivision(region)
    return _roll(_period(received, id_received, authority_received, fee_paid, pauses, extended)[0], subdiv)


def extension_notice_deadline(
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
) -> date:
    """The last day a notice extending the period by two months can be sent: one month from the start plus pauses.

    Deliberately *not* rolled to a working day: the statute says the notice must be given within the month, and the
    ICO's next-working-day concession is only stated for the response itself (sar-rules 1.2, conservative [U]).
    Only pauses asked while this one-month window was open lengthen it.
    """
    return _period(received, id_received, authority_received, fee_paid, pauses, extended=False)[0]


def check_extension_notice(
    notice_date: date,
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
) -> date:
    """Refuse an extension notice sent too late (or dated before the request); return the notice deadline if valid."""
    notice = _check_case_date(notice_date, "notice_date")
    rec = _check_case_date(received, "received")
    if notice < rec:
        raise ExtensionNoticeBeforeRequest(
            f"The extension notice is dated {_fmt(notice)}, before the request was received on {_fmt(rec)}. "
            "Check the dates."
        )
    deadline = extension_notice_deadline(
        rec, id_received=id_received, authority_received=authority_received, fee_paid=fee_paid, pauses=pauses
    )
    if notice > deadline:
        raise ExtensionNoticeTooLate(
            f"The extension notice was sent on {_fmt(notice)}, but the last day to send it was {_fmt(deadline)} "
            "(one month from the start of the clock, plus any clarification pause). The time limit cannot be "
            "extended now; the response is due on the original date.",
            notice_date=notice,
            deadline=deadline,
        )
    return deadline


def internal_target(
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    extended: bool = False,
    region: str = DEFAULT_REGION,
    target_days: int = DEFAULT_TARGET_DAYS,
) -> date:
    """The internal target date (sar-rules 1.2 rule 4), never after the statutory due date.

    Definition: day ``target_days`` of the clock counting the start as day 1, i.e.
    ``start + (target_days - 1) days`` (for an extended case, the same count from two months after the start, so
    the cushion sits in the final month), plus the same pause days as the statutory period, then rolled *back* to
    the previous working day, then capped at the due date.

    Why this way: 28 days is the ICO's suggestion "to ensure compliance is always within a calendar month", and no
    month is shorter than 28 days, so day 28 can never pass the one-month date.  Rolling back (not forward) keeps a
    target on a weekend or bank holiday actionable and conservative; rolling forward could push it past a due date
    that is itself a working day.  It never goes back before the start; the final cap makes "never after the due
    date" hold for any configured length.
    """
    return compute_clock(
        received,
        id_received=id_received,
        authority_received=authority_received,
        fee_paid=fee_paid,
        pauses=pauses,
        extended=extended,
        region=region,
        target_days=target_days,
    ).internal_target


def days_left(due: date, today: date) -> int:
    """Calendar days from ``today`` to ``due``: 0 on the due date, negative once overdue."""
    return (_check_date(due, "due") - _check_date(today, "today")).days


def working_days_left(due: date, today: date, region: str = DEFAULT_REGION) -> int:
    """Working days after ``today`` up to and including ``due`` (0 on the due date, negative once overdue).

    "Due in 5 working days" is ``0 <= working_days_left(due, today) <= 5``.
    """
    return working_days_between(_check_date(today, "today"), _check_date(due, "due"), region)


def complaint_acknowledgement_due(received: date) -> date:
    """The date a DUAA complaint (DPA ss.164A-164B, sar-rules 1.5) must be acknowledged by: received + 29 days.

    The receipt day is day 1 of the 30; the date is not rolled (conservative).  The duty began on 19 June 2026;
    earlier complaints get the same date as good practice rather than an error.
    """
    return _check_case_date(received, "received") + timedelta(days=29)


# ------------------------------------------------------------------------------------------- bundled result


@dataclass(frozen=True, slots=True)
class ClockInputs:
    """Everything that determines a case's clock, validated on construction; rebuild it from the event history."""

    received: date
    id_received: date | None = None
    authority_received: date | None = None
    fee_paid: date | None = None
    pauses: tuple[tuple[date, date], ...] = ()
    extended: bool = False
    region: str = DEFAULT_REGION
    target_days: int = DEFAULT_TARGET_DAYS

    def __post_init__(self) -> None:
        rec = _check_case_date(self.received, "received")
        _start(rec, self.id_received, self.authority_received, self.fee_paid)
        # Store the pauses as a sorted tuple so equal histories give equal (and hashable) inputs.
        object.__setattr__(self, "pauses", _check_pauses(self.pauses, rec))
        _check_bool(self.extended, "extended")
        _subdivision(self.region)
        _check_target_days(self.target_days)

    def compute(self) -> Clock:
        """Work out every date of the clock from these inputs."""
        return _compute(self)


@dataclass(frozen=True, slots=True)
class Clock:
    """All the dates a case page or dashboard needs, computed together from one :class:`ClockInputs`."""

    inputs: ClockInputs
    start: date  # the "relevant time"
    raw_due: date  # last day of the (possibly extended) period, before rolling
    due: date  # statutory due date, rolled to a working day
    unextended_due: date  # what ``due`` is (or would be) without the extension
    notice_deadline: date  # last day an extension notice can be sent
    internal_target: date
    excluded_days: int  # pause days added to the period
    counted_pauses: tuple[tuple[date, date], ...] = field(default=())  # merged, clipped pauses that stopped it
    ignored_pauses: tuple[tuple[date, date], ...] = field(default=())  # asked after the period had ended

    def days_left(self, today: date) -> int:
        """Calendar days to the due date (negative once overdue)."""
        return days_left(self.due, today)

    def working_days_left(self, today: date) -> int:
        """Working days to the due date in the case's region (negative once overdue)."""
        return working_days_left(self.due, today, self.inputs.region)

    def is_overdue(self, today: date) -> bool:
        """True from the day after the due date."""
        return days_left(self.due, today) < 0


def _compute(inputs: ClockInputs) -> Clock:
    subdiv = _subdivision(inputs.region)
    start, merged = _prepare(
        inputs.received, inputs.id_received, inputs.authority_received, inputs.fee_paid, inputs.pauses
    )
    one_month_raw, one_month_excluded, one_month_counted, one_month_ignored = _lengthen(_add_months(start, 1), merged)
    unextended_due = _roll(one_month_raw, subdiv)
    if inputs.extended:
        raw, excluded, counted, ignored = _lengthen(_add_months(start, 3), merged)
        due = _roll(raw, subdiv)
    else:
        raw, excluded, counted, ignored = one_month_raw, one_month_excluded, one_month_counted, one_month_ignored
        due = unextended_due

    target = _add_months(start, 2) if inputs.extended else start
    target += timedelta(days=inputs.target_days - 1 + excluded)
    rolled_back = target
    while not _is_working(rolled_back, subdiv):
        rolled_back -= _ONE_DAY
    if rolled_back >= start:
        target = rolled_back
    target = min(target, due)

    return Clock(
        inputs=inputs,
        start=start,
        raw_due=raw,
        due=due,
        unextended_due=unextended_due,
        notice_deadline=one_month_raw,
        internal_target=target,
        excluded_days=excluded,
        counted_pauses=counted,
        ignored_pauses=ignored,
    )


def compute_clock(
    received: date,
    *,
    id_received: date | None = None,
    authority_received: date | None = None,
    fee_paid: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    extended: bool = False,
    region: str = DEFAULT_REGION,
    target_days: int = DEFAULT_TARGET_DAYS,
) -> Clock:
    """Every date of the clock at once (same arguments as :func:`due_date`, plus the internal target length)."""
    return ClockInputs(
        received=received,
        id_received=id_received,
        authority_received=authority_received,
        fee_paid=fee_paid,
        pauses=pauses,  # type: ignore[arg-type]  # materialised and sorted by ClockInputs.__post_init__
        extended=extended,
        region=region,
        target_days=target_days,
    ).compute()
