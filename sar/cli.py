"""Command-line tasks: ``flask --app sar <command>``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from cryptography.fernet import Fernet
from flask import Flask

from sar import audit, audit_anchor
from sar.extensions import db

_Command = TypeVar("_Command", bound=Callable[..., Any])


def init_app(app: Flask) -> None:
    app.cli.add_command(verify_audit)
    app.cli.add_command(audit_checkpoint)
    app.cli.add_command(send_mail)
    app.cli.add_command(generate_key)
    from sar.jobs import jobs_cli

    app.cli.add_command(jobs_cli)
    from sar.auth.cli import create_user

    app.cli.add_command(create_user)


@click.command("verify-audit")
def verify_audit() -> None:
    """Check the audit trail: hash chain, seals, and the checkpoints kept outside the database."""
    checked, problems = audit.verify_all()
    last = audit_anchor.last_checkpoint()
    anchored = (
        f" Last checkpoint: event {last.seq}, written {last.at}." if last else " No checkpoint has been written yet."
    )
    if not problems:
        click.echo(f"Audit trail intact: {checked} events checked.{anchored}")
        return
    first = problems[0]
    click.echo(
        f"Audit trail BROKEN at event {first.event_id}: {first.message}. {checked} events before it are intact.",
        err=True,
    )
    for problem in problems[1:]:
        click.echo(f"Also at event {problem.event_id}: {problem.message}.", err=True)
    click.echo(anchored.strip(), err=True)
    db.session.rollback()
    sys.exit(1)


@click.command("audit-checkpoint")
@click.option("--email-dpo/--no-email-dpo", default=None, help="Also email the checkpoint to the DPOs.")
def audit_checkpoint(email_dpo: bool | None) -> None:
    """Append a signed checkpoint of the audit chain's head to AUDIT_CHECKPOINT_PATH (run from cron)."""
    checkpoint = audit_anchor.write_checkpoint(email_dpo=email_dpo)
    db.session.commit()  # the queued emails, if any
    if checkpoint is None:
        click.echo("The audit log is empty: nothing to checkpoint.")
        return
    click.echo(f"Checkpoint written: event {checkpoint.seq}, hash {checkpoint.hash}.")


@click.command("send-mail")
def send_mail() -> None:
    """Send the queued email (the job worker also does this as soon as urgent mail is queued)."""
    from sar import mail

    report = mail.deliver_pending(commit=db.session.commit)
    click.echo(f"Sent {report.sent}; {report.failed} failed and stay queued.")


@click.command("generate-key")
def generate_key() -> None:
    """Print a new random key (for SAR_FILE_ENCRYPTION_KEY, SAR_AUDIT_HMAC_KEY or SAR_SECRET_KEY)."""
    click.echo(Fernet.generate_key().decode())
