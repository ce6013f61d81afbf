"""Command-line tasks: ``flask --app sar <command>``."""

from __future__ import annotations

import sys

import click
from cryptography.fernet import Fernet
from flask import Flask

from sar import audit
from sar.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(verify_audit)
    app.cli.add_command(generate_key)
    from sar.jobs import jobs_cli

    app.cli.add_command(jobs_cli)
    from sar.auth.cli import create_user

    app.cli.add_command(create_user)
    from sar.demo import seed_demo

    app.cli.add_command(seed_demo)


@click.command("verify-audit")
def verify_audit() -> None:
    """Check the audit trail's hash chain and report the first broken link."""
    checked, problem = audit.verify_chain()
    if problem is None:
        click.echo(f"Audit trail intact: {checked} events checked.")
        return
    click.echo(
        f"Audit trail BROKEN at event {problem.event_id}: {problem.message}. {checked} events before it are intact.",
        err=True,
    )
    db.session.rollback()
    sys.exit(1)


@click.command("generate-key")
def generate_key() -> None:
    """Print a new key for SAR_FILE_ENCRYPTION_KEY."""
    click.echo(Fernet.generate_key().decode())
