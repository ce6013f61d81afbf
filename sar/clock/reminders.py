"""Daily reminder emails: near deadlines to the case owner, overdue cases to the DPO(s).

Reminders are queued in the mail outbox with a key of (kind, case, day, recipient), so running the job twice on a
day sends nothing twice, and a reminder that could not be sent stays queued until the SMTP server is back.
Emails carry the case reference and dates only, never the names of the people involved: email leaves the
case-management system and may be read on phones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import and_, or_, select

from sar import deadlines, mail
from sar.auth.models import Role, User, UserRole
from sar.cases.models import Case
from sar.clock.models import CaseClock, ClockStatus

# How far ahead (working days) each reminder looks.
TARGET_NEAR_DAYS = 2
DUE_NEAR_DAYS = 5
NOTICE_NEAR_DAYS = 5


@dataclass(frozen=True)
class Reminder:
    kind: str  # target_near | due_near | extension_notice | overdue
    case_id: int
    reference: str
    to_address: str
    subject: str
    body: str

    @property
    def dedup_key(self) -> str:
        return f"reminder:{self.kind}:{self.case_id}:{self.to_address.lower()}"


def _fmt(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _dpo_addresses() -> list[str]:
    from sar.extensions import db

    return sorted(
        db.session.scalars(
            select(User.email).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == Role.DPO, User.active)
        )
    )


def reminders_for(on: date) -> list[Reminder]:
    """Every reminder due on day ``on`` (nothing is written)."""
    from sar.extensions import db

    region = current_app.config["BANK_HOLIDAY_REGION"]
    target_horizon = deadlines.add_working_days(on, TARGET_NEAR_DAYS, region)
    due_horizon = deadlines.add_working_days(on, DUE_NEAR_DAYS, region)
    notice_horizon = deadlines.add_working_days(on, NOTICE_NEAR_DAYS, region)
    running = CaseClock.status == ClockStatus.RUNNING
    rows = db.session.execute(
        select(Case.id, Case.reference, User.email, User.active, CaseClock)
        .join(CaseClock, CaseClock.case_id == Case.id)
        .outerjoin(User, User.id == Case.owner_id)
        .where(
            running,
            or_(
                CaseClock.due_date <= due_horizon,
                CaseClock.internal_target.between(on, target_horizon),
                and_(CaseClock.extended.is_(False), CaseClock.notice_deadline.between(on, notice_horizon)),
            ),
        )
        .order_by(CaseClock.due_date, Case.id)
    ).all()
    dpos = _dpo_addresses()
    found: list[Reminder] = []
    for case_id, reference, owner_email, owner_active, clock in rows:
        owners = [owner_email] if owner_email and owner_active else dpos  # nobody owns it: the DPO must know
        left = deadlines.working_days_left(clock.due_date, on, region)
        if clock.due_date < on:
            body = (
                f"Case {reference} is overdue. The statutory due date was {_fmt(clock.due_date)} "
                f"({-deadlines.days_left(clock.due_date, on)} calendar days ago).\n\n"
                "A late response is a breach of UK GDPR Article 12(3). Respond as soon as possible and record the "
                "reason for the delay."
            )
            found += [Reminder("overdue", case_id, reference, dpo, f"OVERDUE: {reference}", body) for dpo in dpos]
            continue
        notes: list[tuple[str, str, str]] = []  # (kind, subject, body), each sent to every owner
        if on <= clock.due_date <= due_horizon:
            body = (
                f"Case {reference} is due on {_fmt(clock.due_date)}: {left} working day{'s' if left != 1 else ''} left."
            )
            notes.append(("due_near", f"Due {_fmt(clock.due_date)}: {reference}", body))
        if on <= clock.internal_target <= target_horizon:
            body = (
                f"Case {reference} reaches its internal target on {_fmt(clock.internal_target)}. "
                f"The statutory due date is {_fmt(clock.due_date)}."
            )
            notes.append(("target_near", f"Internal target near: {reference}", body))
        if not clock.extended and on <= clock.notice_deadline <= notice_horizon:
            body = (
                f"If case {reference} needs the two-month extension, the notice with reasons must be sent to the "
                f"requester by {_fmt(clock.notice_deadline)}. After that date the time limit cannot be extended."
            )
            notes.append(("extension_notice", f"Extension notice deadline: {reference}", body))
        found += [
            Reminder(kind, case_id, reference, to, subject, body) for kind, subject, body in notes for to in owners
        ]
    return found


def queue_reminders(on: date) -> tuple[int, int]:
    """Queue the day's reminders in the outbox; returns (queued now, already queued earlier)."""
    queued = skipped = 0
    for reminder in reminders_for(on):
        message = mail.queue(
            reminder.to_address,
            reminder.subject,
            reminder.body + f"\n\nReminder for {_fmt(on)}. Sent by the subject access request service.",
            dedup_key=f"{reminder.dedup_key}:{on.isoformat()}",
            kind=f"reminder:{reminder.kind}",
            case_id=reminder.case_id,
        )
        if message is None:
            skipped += 1
        else:
            queued += 1
    return queued, skipped
