"""``flask --app sar send-reminders`` and ``flask --app sar recalculate-clocks``."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import click
from flask import Flask

from sar import daily, mail
from sar.audit import SystemActor
from sar.clock import reminders, service
from sar.extensions import db


def send_reminders(on: date) -> tuple[int, int, mail.DeliveryReport]:
    """Queue the day's reminders (committed first, so none is lost), then deliver everything queued."""
    queued, skipped = reminders.queue_reminders(on)
    db.session.commit()
    report = mail.deliver_pending(commit=db.session.commit)
    db.session.commit()
    return queued, skipped, report


@click.command("send-reminders")
@daily.day_option("send reminders for")
def send_reminders_command(day: date) -> None:
    """Email the day's deadline reminders and retry any mail still queued."""
    queued, skipped, report = send_reminders(day)
    click.echo(
        f"Reminders for {day.isoformat()}: {queued} queued, {skipped} already queued earlier today. "
        f"Mail: {report.sent} sent, {report.failed} failed and kept in the outbox for the next run."
    )


@click.command("recalculate-clocks")
@click.option("--reason", default="bulk recalculation", help="Recorded in the audit trail for each changed case.")
def recalculate_clocks_command(reason: str) -> None:
    """Recalculate every case's stored due date (after a bank-holiday or internal-target change)."""
    started = time.perf_counter()
    result = service.recalculate_all(reason, by=SystemActor("recalculate-clocks command"))
    db.session.commit()
    click.echo(
        f"{result.cases} cases recalculated in {time.perf_counter() - started:.1f} s: {result.changed} changed, "
        f"{result.problems} with problems."
    )


def reminders_job(payload: dict[str, Any]) -> None:
    """Job handler ("clock.send_reminders", payload {"date": "YYYY-MM-DD"} or {}): the same work as the command.

    The worker commits when the handler returns, so delivery here does not commit per message: a worker that dies
    mid-run may send a message twice (at least once), never lose one.
    """
    reminders.queue_reminders(daily.payload_day(payload))
    mail.deliver_pending()


def register(app: Flask) -> None:
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(recalculate_clocks_command)
