"""Operator commands (contracts other tools rely on)::

    flask --app sar review accept-proposed REF --as EMAIL
    flask --app sar review ready REF --as EMAIL
    flask --app sar review sign-off REF --as EMAIL
    flask --app sar review seed-exemptions

Each acts as the named member of staff (checked like a signed-in user: active, with a role that may do it),
is audited with that person as the author, commits on success, and exits non-zero with the reason otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import Blueprint
from flask.cli import AppGroup
from sqlalchemy import func, select

from sar.auth.models import User
from sar.cases.models import Case
from sar.extensions import db
from sar.review import catalogue, service, signoff


def _case(reference: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise click.ClickException(f"There is no case {reference}.")
    return case


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"There is no member of staff with the email address {email}.")
    if not getattr(user, "is_active", True):
        raise click.ClickException(f"{user.email}'s account is not active.")
    if not user.has_role(*signoff.SIGNERS):
        raise click.ClickException(
            f"{user.email} is not the Data Protection Officer or an information governance officer."
        )
    return user


# An AppGroup, so each command runs in an application context however it is invoked.
review_cli = AppGroup("review", help="Review and sign-off of a case's redactions.")


@review_cli.command("accept-proposed")
@click.argument("reference")
@click.option("--as", "email", required=True, help="Email address of the reviewer accepting the proposals.")
def accept_proposed(reference: str, email: str) -> None:
    """Accept every pending proposal of the case as that reviewer (one bulk decision)."""
    case, user = _case(reference), _user(email)
    if case.is_closed:
        raise click.ClickException(f"Case {case.reference} is closed.")
    accepted, left = service.accept_all_proposed(case, by=user)
    db.session.commit()
    click.echo(f"{case.reference}: {accepted} proposals accepted by {user.email}; {left} left for a person to decide.")


@review_cli.command("ready")
@click.argument("reference")
@click.option("--as", "email", required=True, help="Email address of the reviewer.")
def ready(reference: str, email: str) -> None:
    """Mark the case's review ready for a second person to sign off."""
    _sign_off_step(reference, email, signoff.mark_ready, "marked ready for sign-off")


@review_cli.command("sign-off")
@click.argument("reference")
@click.option("--as", "email", required=True, help="Email address of the second person signing off.")
def sign_off(reference: str, email: str) -> None:
    """Sign off the case's review (never by the person who marked it ready)."""
    _sign_off_step(reference, email, signoff.sign_off, "signed off")


def _sign_off_step(reference: str, email: str, step: Callable[..., object], done: str) -> None:
    """One step of the two-person sign-off as that user: a refusal is the command's error, nothing is saved."""
    case, user = _case(reference), _user(email)
    try:
        step(case, by=user)
    except signoff.SignOffRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{case.reference}: {done} by {user.email}.")


@review_cli.command("seed-exemptions")
def seed_exemptions() -> None:
    """Add the exemption catalogue's codes that are missing (never overwrites the DPO's changes)."""
    added = catalogue.seed_exemptions()
    db.session.commit()
    click.echo(f"{added} exemption codes added.")


def register(bp: Blueprint) -> None:
    bp.cli.add_command(review_cli)
