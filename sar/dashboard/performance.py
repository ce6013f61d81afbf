"""Performance over time: the share of requests answered on time each month, and the median days to respond.

"Answered" means the clock recorded the case as closed (response sent) that month; "on time" means on or before
the statutory due date stored at closure. Days to respond are calendar days from receipt to the response.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from sar.clock.models import CaseClock
from sar.extensions import db

MONTHS = 12


@dataclass(frozen=True)
class Month:
    first_day: date
    answered: int
    on_time: int
    median_days: float | None

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %Y}"

    @property
    def short_label(self) -> str:
        return f"{self.first_day:%b %y}"

    @property
    def percent_on_time(self) -> float | None:
        return None if not self.answered else round(100 * self.on_time / self.answered, 1)


def _month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def monthly(today: date, months: int = MONTHS) -> list[Month]:
    """The last ``months`` calendar months up to and including this one (the current month so far).

    One aggregate query: each closure is put in its month by a CASE over the month boundaries (portable between
    SQLite and PostgreSQL, unlike date functions) and counted per month and per number of days to respond. The
    median comes from that small histogram, so no per-case rows reach Python however many cases were closed.
    """
    starts = _month_starts(today, months)
    bucket = case(
        *((CaseClock.closed_on < boundary, index) for index, boundary in enumerate(starts[1:])),
        else_=len(starts) - 1,
    )
    on_time = func.sum(case((CaseClock.answered_on_time.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(bucket, CaseClock.response_days, func.count(), on_time)
        .where(CaseClock.closed_on >= starts[0], CaseClock.closed_on <= today)
        .group_by(bucket, CaseClock.response_days)
    )
    histograms: list[dict[int, int]] = [{} for _ in starts]
    on_time_counts = [0 for _ in starts]
    for index, days, count, punctual in rows:
        histograms[index][int(days or 0)] = histograms[index].get(int(days or 0), 0) + count
        on_time_counts[index] += int(punctual or 0)
    return [
        Month(
            first_day=start,
            answered=sum(histogram.values()),
            on_time=on_time_counts[index],
            median_days=_median(histogram),
        )
        for index, (start, histogram) in enumerate(zip(starts, histograms, strict=True))
    ]


def _median(histogram: dict[int, int]) -> float | None:
    """The median of the values a histogram (value -> how many) describes."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # the two middle positions (the same one when the count is odd)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return float(statistics.mean(found))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    month: Month


@dataclass(frozen=True)
class Chart:
    """Geometry for the server-rendered SVG (templates/dashboard/_chart.svg.html): no script, no inline style."""

    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    gridlines: list[tuple[float, int]]  # (y, percent)
    median_points: list[tuple[float, float, Month]]
    median_max: int


def chart(months: list[Month], *, width: int = 720, height: int = 320) -> Chart:
    left, right, top, bottom = 48, 48, 16, height - 40
    plot_width = width - left - right
    slot = plot_width / max(len(months), 1)
    bar_width = slot * 0.6
    scale = (bottom - top) / 100
    bars = []
    for index, month in enumerate(months):
        percent = month.percent_on_time or 0.0
        x = left + index * slot + (slot - bar_width) / 2
        bar_height = percent * scale
        bars.append(Bar(x, bottom - bar_height, bar_width, bar_height, left + index * slot + slot / 2, month))
    medians = [m.median_days for m in months if m.median_days is not None]
    # The median line uses the right-hand axis, scaled to a round number of days above the largest median.
    median_max = max(35, int((max(medians, default=0) + 9) // 10 * 10))
    median_points = [
        (left + i * slot + slot / 2, bottom - (m.median_days / median_max) * (bottom - top), m)
        for i, m in enumerate(months)
        if m.median_days is not None
    ]
    gridlines = [(bottom - p * scale, p) for p in (0, 25, 50, 75, 100)]
    return Chart(width, height, left, top, bottom, bars, gridlines, median_points, median_max)
