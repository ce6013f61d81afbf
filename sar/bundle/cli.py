"""The bundle's operator command (a contract other tools rely on)::

    flask --app sar bundle build REF --out OUT.pdf --password-file PW.txt [--as EMAIL] [--only-new]

Builds the bundle of a signed-off case, runs the release gate and, only when it passes, releases it: the AES-256
encrypted file is written to OUT.pdf and its password to PW.txt, and the command exits 0. Otherwise it exits non-zero
and prints what leaked (page and string), or why the case cannot be bundled. The build and the release go through
the same service functions as the page, so the gate cannot be skipped from here either. A case large enough for
rolling disclosure writes OUT-part-2.pdf and so on beside OUT.pdf, and one password line per part.

Without ``--as`` the command acts as itself ("command line" in the audit trail) and the cover letter is signed by
the case owner.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from sar.audit import Author, SystemActor
from sar.auth.models import Role, User
from sar.bundle import queries, service
from sar.bundle.release import BundleRefused, release_bundle
from sar.cases.models import Case
from sar.extensions import db

COMMAND_LINE = SystemActor("command line")
bundle_cli = AppGroup("bundle", help="Build and release a case's disclosure bundle.")


def _case(reference: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise click.ClickException(f"There is no case {reference}.")
    return case


def _author(email: str | None) -> Author:
    if not email:
        return COMMAND_LINE
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not getattr(user, "is_active", True):
        raise click.ClickException(f"There is no active member of staff with the email address {email}.")
    if not user.has_role(Role.DPO, Role.IG_OFFICER):
        raise click.ClickException(
            f"{user.email} is not the Data Protection Officer or an information governance officer."
        )
    return user


def _part_path(out: Path, part: int) -> Path:
    return out if part == 1 else out.with_name(f"{out.stem}-part-{part}{out.suffix}")


@bundle_cli.command("build")
@click.argument("reference")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Encrypted PDF.")
@click.option("--password-file", "password_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "email", default=None, help="Email address of the officer building and releasing.")
@click.option("--only-new", is_flag=True, help="Repeat request: only documents not disclosed before.")
def build(reference: str, out: Path, password_file: Path, email: str | None, only_new: bool) -> None:
    """Build, check and release the bundle of a signed-off case."""
    case = _case(reference)
    by = _author(email)
    try:
        parts = service.build_bundle(case, by=by, only_new=only_new)
    except BundleRefused as refused:
        db.session.rollback()
        raise click.ClickException(refused.message) from refused
    db.session.commit()
    failed = [p for p in parts if p.gate_passed is not True]
    if failed:
        for part in failed:
            click.echo(f"{case.reference}: {part.title} did not pass the release check:", err=True)
            click.echo(part.error or part.gate_report, err=True)
        raise SystemExit(1)
    passwords = []
    for part in parts:
        try:
            released = release_bundle(part, by=by)
        except BundleRefused as refused:
            db.session.commit()  # keep the audited refusal
            raise click.ClickException(refused.message) from refused
        db.session.commit()
        target = _part_path(out, part.part)
        with target.open("wb") as handle:
            for chunk in queries.stream_released(part, by=by, purpose="command line"):
                handle.write(chunk)
        db.session.commit()
        passwords.append(released.password)
    password_file.write_text("\n".join(passwords) + "\n", encoding="utf-8")
    os.chmod(password_file, 0o600)
    pages = sum(p.page_count for p in parts)
    click.echo(
        f"{case.reference}: released {len(parts)} part(s), {pages} pages, to {out}; password in {password_file}."
    )
