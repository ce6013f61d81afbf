"""Property-based tests (hypothesis) for the invariants of the statutory clock (sar-rules section 1.2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sar.deadlines import (
    EARLIEST_DATE,
    REGIONS,
    ExtensionNoticeTooLate,
    NotADate,
    add_months,
    add_working_days,
    check_extension_notice,
    complaint_acknowledgement_due,
    compute_clock,
    days_left,
    due_date,
    excluded_days,
    extension_notice_deadline,
    internal_target,
    is_working_day,
    next_working_day,
    previous_working_day,
    raw_due_date,
    roll_forward,
    start_date,
    working_days_between,
)

# Holiday years load lazily (~ms each): no per-example deadline, so first loads never flake.  Applied per test
# rather than as a loaded profile so other teams' hypothesis settings are left alone.
_SETTINGS = settings(deadline=None, max_examples=150)

LATEST_RECEIVED = date(2098, 12, 31)  # leaves room for evidence and pause offsets inside the accepted range
received_dates = st.dates(min_value=EARLIEST_DATE, max_value=LATEST_RECEIVED)
regions = st.sampled_from(REGIONS)
offsets = st.one_of(st.none(), st.integers(min_value=0, max_value=90))
pause_specs = st.lists(
    st.tuples(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=45)), max_size=4
)

Pauses = list[tuple[date, date]]
# Keyword arguments for due_date and friends; Any because each key has its own type.
Case = dict[str, Any]


def _after(d: date, offset: int | None) -> date | None:
    return None if offset is None else d + timedelta(days=offset)


def _pauses(anchor: date, specs: list[tuple[int, int]]) -> Pauses:
    return [(anchor + timedelta(days=a), anchor + timedelta(days=a + length)) for a, length in specs]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    received = draw(received_dates)
    return {
        "received": received,
        "id_received": _after(received, draw(offsets)),
        "authority_received": _after(received, draw(offsets)),
        "fee_paid": _after(received, draw(offsets)),
        "pauses": _pauses(received, draw(pause_specs)),
        "extended": draw(st.booleans()),
        "region": draw(regions),
    }


def _due(case: Case, **override: object) -> date:
    merged = {**case, **override}
    received = merged.pop("received")
    return due_date(received, **merged)


def _raw(case: Case, **override: object) -> date:
    merged = {**case, **override}
    received = merged.pop("received")
    merged.pop("region")
    return raw_due_date(received, **merged)


# --------------------------------------------------------------------------- the due date


@_SETTINGS
@given(cases())
def test_due_date_is_a_working_day(case: Case) -> None:
    assert is_working_day(_due(case), case["region"])


@_SETTINGS
@given(cases())
def test_due_date_is_the_first_working_day_on_or_after_raw(case: Case) -> None:
    raw, due = _raw(case), _due(case)
    assert due >= raw
    assert (due - raw).days < 7  # the longest UK run of non-working days is 5 (Scottish Christmas/New Year)
    day = raw
    while day < due:
        assert not is_working_day(day, case["region"])
        day += timedelta(days=1)


@_SETTINGS
@given(cases())
def test_due_date_is_after_start_by_at_least_28_days(case: Case) -> None:
    start = start_date(
        case["received"],
        id_received=case["id_received"],
        authority_received=case["authority_received"],
        fee_paid=case["fee_paid"],
    )
    assert (_raw(case) - start).days >= 28


@_SETTINGS
@given(received_dates, received_dates, offsets, pause_specs, st.booleans(), regions)
def test_due_date_never_decreases_when_request_arrives_later(
    r1: date, r2: date, evidence: int | None, specs: list[tuple[int, int]], extended: bool, region: str
) -> None:
    early, late = sorted((r1, r2))
    # Evidence and pauses are dated relative to the later receipt so they are valid for both requests.
    kwargs: Case = {
        "id_received": _after(late, evidence),
        "pauses": _pauses(late, specs),
        "extended": extended,
        "region": region,
    }
    assert due_date(early, **kwargs) <= due_date(late, **kwargs)
    assert raw_due_date(early, **{k: v for k, v in kwargs.items() if k != "region"}) <= raw_due_date(
        late,
        **{k: v for k, v in kwargs.items() if k != "region"},
    )


@_SETTINGS
@given(received_dates, st.integers(0, 90), st.integers(0, 90), regions, st.booleans())
def test_later_evidence_never_shortens_the_deadline_without_pauses(
    received: date, a: int, b: int, region: str, extended: bool
) -> None:
    lo, hi = sorted((a, b))
    assert due_date(received, id_received=received + timedelta(days=lo), region=region, extended=extended) <= (
        due_date(received, id_received=received + timedelta(days=hi), region=region, extended=extended)
    )


@_SETTINGS
@given(cases())
def test_extension_never_shortens(case: Case) -> None:
    assert _due(case, extended=True) >= _due(case, extended=False)
    assert (_raw(case, extended=True) - _raw(case, extended=False)).days >= 59  # two further months


@_SETTINGS
@given(cases(), st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_adding_a_pause_never_shortens(case: Case, at: int, length: int) -> None:
    received: date = case["received"]
    extra = (received + timedelta(days=at), received + timedelta(days=at + length))
    more: Pauses = [*case["pauses"], extra]
    assert _due(case, pauses=more) >= _due(case)
    assert _raw(case, pauses=more) >= _raw(case)


@_SETTINGS
@given(received_dates, offsets, st.data(), st.integers(min_value=0, max_value=60), st.booleans(), regions)
def test_a_pause_in_the_period_pushes_raw_date_by_its_inclusive_length(
    received: date, evidence: int | None, data: st.DataObject, length: int, extended: bool, region: str
) -> None:
    id_received = _after(received, evidence)
    start = start_date(received, id_received=id_received)
    base = raw_due_date(received, id_received=id_received, extended=extended)
    # Asked any day from the receipt to the last day of the period (clipped to the start if before it).
    asked = data.draw(st.dates(min_value=received, max_value=base))
    answered = asked + timedelta(days=length)
    assume(answered >= start)
    inclusive = (answered - max(asked, start)).days + 1
    raw = raw_due_date(received, id_received=id_received, pauses=[(asked, answered)], extended=extended)
    assert raw == base + timedelta(days=inclusive)
    assert raw > answered  # the clock restarts after the answer arrives
    due = due_date(received, id_received=id_received, pauses=[(asked, answered)], extended=extended, region=region)
    assert due == roll_forward(raw, region)


@_SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_pause_order_and_duplicates_do_not_matter(case: Case, rnd: Random) -> None:
    pauses: Pauses = list(case["pauses"])
    shuffled = pauses + pauses[:1]
    rnd.shuffle(shuffled)
    assert _due(case, pauses=shuffled) == _due(case)
    assert _raw(case, pauses=shuffled) == _raw(case)


@_SETTINGS
@given(cases())
def test_excluded_days_never_exceed_the_union_of_pauses(case: Case) -> None:
    days: set[date] = set()
    for asked, answered in case["pauses"]:
        days.update(asked + timedelta(days=i) for i in range((answered - asked).days + 1))
    kwargs = {k: v for k, v in case.items() if k not in ("received", "region")}
    excluded = excluded_days(case["received"], **kwargs)
    assert 0 <= excluded <= len(days)


# --------------------------------------------------------------------------- companions


@_SETTINGS
@given(cases(), st.integers(min_value=1, max_value=31))
def test_internal_target_never_after_due_and_never_before_start(case: Case, target_days: int) -> None:
    clock = compute_clock(**case, target_days=target_days)
    assert clock.start <= clock.internal_target <= clock.due
    if target_days == 28 and not case["extended"]:
        assert clock.internal_target <= clock.raw_due
    assert clock.internal_target == internal_target(**case, target_days=target_days)


@_SETTINGS
@given(cases())
def test_clock_agrees_with_the_single_functions(case: Case) -> None:
    clock = compute_clock(**case)
    assert clock.due == _due(case)
    assert clock.raw_due == _raw(case)
    assert clock.unextended_due == _due(case, extended=False)
    evidence = {k: case[k] for k in ("id_received", "authority_received", "fee_paid", "pauses")}
    assert clock.notice_deadline == extension_notice_deadline(case["received"], **evidence)
    assert clock.start == start_date(
        case["received"],
        id_received=case["id_received"],
        authority_received=case["authority_received"],
        fee_paid=case["fee_paid"],
    )
    assert clock.notice_deadline <= clock.raw_due


@_SETTINGS
@given(cases(), st.integers(min_value=-40, max_value=40))
def test_extension_notice_accepted_exactly_up_to_the_deadline(case: Case, shift: int) -> None:
    evidence = {k: case[k] for k in ("id_received", "authority_received", "fee_paid", "pauses")}
    deadline = extension_notice_deadline(case["received"], **evidence)
    notice = deadline + timedelta(days=shift)
    assume(notice >= case["received"])
    if shift <= 0:
        assert check_extension_notice(notice, case["received"], **evidence) == deadline
    else:
        try:
            check_extension_notice(notice, case["received"], **evidence)
        except ExtensionNoticeTooLate as exc:
            assert exc.deadline == deadline
        else:
            raise AssertionError("a late extension notice was accepted")


@_SETTINGS
@given(received_dates, st.integers(min_value=0, max_value=3), regions)
def test_month_arithmetic_keeps_the_day_or_clamps_to_month_end(received: date, months: int, region: str) -> None:
    later = add_months(received, months)
    assert (later.year * 12 + later.month) - (received.year * 12 + received.month) == months
    if later.day != received.day:
        assert later.day < received.day
        assert (later + timedelta(days=1)).day == 1  # clamped to the last day of the month


@_SETTINGS
@given(received_dates)
def test_complaint_acknowledgement_is_day_30(received: date) -> None:
    assert (complaint_acknowledgement_due(received) - received).days + 1 == 30


@_SETTINGS
@given(received_dates, received_dates)
def test_days_left_is_antisymmetric(a: date, b: date) -> None:
    assert days_left(a, b) == -days_left(b, a)
    assert days_left(a, a) == 0


# --------------------------------------------------------------------------- working days


@_SETTINGS
@given(received_dates, regions)
def test_roll_forward_and_neighbours(d: date, region: str) -> None:
    rolled = roll_forward(d, region)
    assert rolled >= d and is_working_day(rolled, region)
    assert roll_forward(rolled, region) == rolled
    nxt = next_working_day(d, region)
    assert nxt > d and is_working_day(nxt, region)
    assert previous_working_day(nxt, region) <= d or not is_working_day(d, region)
    prev = previous_working_day(d, region)
    assert prev < d and is_working_day(prev, region)


@_SETTINGS
@given(received_dates, st.integers(min_value=-40, max_value=40), regions)
def test_add_working_days_round_trips_with_counting(d: date, n: int, region: str) -> None:
    moved = add_working_days(d, n, region)
    if n >= 0:
        assert working_days_between(d, moved, region) == n
    else:
        # Counting backwards the working days are those in [moved, d): one step before ``moved`` counts them.
        assert working_days_between(previous_working_day(moved, region), previous_working_day(d, region), region) == -n
    if n != 0:
        assert is_working_day(moved, region)
        assert (moved > d) == (n > 0)


@_SETTINGS
@given(st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2090, 1, 1)))
def test_datetimes_are_always_refused(moment: datetime) -> None:
    try:
        due_date(moment)
    except NotADate:
        pass
    else:
        raise AssertionError("a datetime was accepted as a date")
