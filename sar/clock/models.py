"""The clock on each case: the events that move it, and the dates worked out from them.

``ClockEvent`` is the history (append-only in spirit: a mistaken event is voided with a reason, never deleted, so
the audit trail and the timeline always agree). ``CaseClock`` is one row per case holding the *results* of the
last recalculation, so the dashboard can filter and sort 50,000 cases on indexed columns instead of running the
clock for every case on every page view.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.auth.models import User
from sar.db import Base, string_enum, utcnow
from sar.enums import LabelledEnum


class EventKind(LabelledEnum):
    ID_REQUESTED = "id_requested", "Proof of identity asked for"
    ID_RECEIVED = "id_received", "Proof of identity received"
    AUTHORITY_REQUESTED = "authority_requested", "Evidence of authority asked for"
    AUTHORITY_RECEIVED = "authority_received", "Evidence of authority received"
    FEE_REQUESTED = "fee_requested", "Fee asked for"
    FEE_PAID = "fee_paid", "Fee paid"
    CLARIFICATION_ASKED = "clarification_asked", "Clarification asked for (clock paused)"
    CLARIFICATION_ANSWERED = "clarification_answered", "Clarification received (clock restarted)"
    EXTENSION_DECIDED = "extension_decided", "Extension by two months decided"
    CASE_CLOSED = "case_closed", "Response sent and case closed"
    CASE_REOPENED = "case_reopened", "Case reopened"


class ClockStatus(LabelledEnum):
    """Where the clock stands; the dashboard groups and filters on it (urgency comes from the due date)."""

    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused for clarification"  # clarification asked, not yet answered (access requests only)
    AWAITING_ID = "awaiting_id", "Awaiting proof of identity"
    AWAITING_AUTHORITY = "awaiting_authority", "Awaiting evidence of authority"
    AWAITING_FEE = "awaiting_fee", "Awaiting fee"
    CLOSED = "closed", "Closed"


class ClockEvent(Base):
    __tablename__ = "clock_events"
    audit_type: ClassVar[str] = "clock_event"
    __table_args__ = (Index("ix_clock_events_case_date", "case_id", "event_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, 30))
    # The day it happened in the council's calendar (Europe/London), which is what the law counts.
    event_date: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    # Extension only: why (complexity or number of requests) and when the requester was told.
    reasons: Mapped[str | None] = mapped_column(Text)
    notice_date: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Mistakes are voided, not deleted: the timeline keeps them (struck through) and recalculation ignores them.
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class CaseClock(Base):
    """The stored result of the last recalculation of one case's clock."""

    __tablename__ = "case_clocks"
    __table_args__ = (
        # The dashboard only lists open cases, a tenth or less of the table: a partial index on the due date of open
        # cases serves "the 50 most urgent" and the band counts without touching the closed ones. Queries must say
        # exactly ``status != 'closed'`` (as a literal, see OPEN_CLOCK) for SQLite to use it.
        Index(
            "ix_case_clocks_open_due",
            "due_date",
            "status",  # so the band counts (status and due date only) can be answered from the index alone
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
        Index("ix_case_clocks_status_due", "status", "due_date"),
        Index("ix_case_clocks_status_notice", "status", "extended", "notice_deadline"),
        # Covering index for the performance chart: a year of closures is aggregated from the index alone.
        Index("ix_case_clocks_closed", "closed_on", "response_days", "answered_on_time"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[ClockStatus] = mapped_column(string_enum(ClockStatus, 20), default=ClockStatus.RUNNING)
    start_date: Mapped[date]
    raw_due_date: Mapped[date]
    due_date: Mapped[date]  # indexed through ix_case_clocks_open_due and ix_case_clocks_status_due
    internal_target: Mapped[date]
    notice_deadline: Mapped[date]
    extended: Mapped[bool] = mapped_column(default=False)
    excluded_days: Mapped[int] = mapped_column(default=0)
    # Open clarification (asked, not answered): the stored due date leaves it out, so it is the earliest the
    # deadline can now be; the case page adds the days paused so far.
    paused_since: Mapped[date | None]
    closed_on: Mapped[date | None]
    answered_on_time: Mapped[bool | None]
    # Calendar days from receipt (day 1) to the response, for the performance chart's median.
    response_days: Mapped[int | None]
    # A clock that could not be worked out (bad dates in the history) is kept with the last good dates and why.
    problem: Mapped[str | None] = mapped_column(String(500))
    last_recalculated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_reason: Mapped[str] = mapped_column(String(200), default="")


# The open-case condition, written exactly as the partial index's predicate (a literal, not a bound parameter: SQLite
# can only use a partial index when the query repeats its WHERE clause).
OPEN_CLOCK: ColumnElement[bool] = CaseClock.__table__.c.status != literal_column("'closed'")
