"""``flask --app sar cases import``: a case from a register in the people.json format (the export's inverse).

The register names the subject ("S") and the others on it; a ``requester`` entry makes the case a request by
someone else for the subject (its ``relationship`` gives the requester type), otherwise the subject asks for
themselves. Every identifier goes through intake's own checks (sar.cases.service), so an imported register is
held to the same rules as one typed in.

Who logged it: the command line has no signed-in user, so the case is logged in the name of the account
``SAR_OPERATOR_EMAIL`` names, or else the first active DPO, and the audit trail says it came from the command
line.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, current_app
from sqlalchemy import select

from sar import calendar
from sar.auth.models import Role, User, UserRole
from sar.cases import service
from sar.cases.models import Case, Channel, PersonRole, RequesterType, Right
from sar.extensions import db

_REQUESTER_TYPES = (
    ("solicitor", RequesterType.SOLICITOR),
    ("advocate", RequesterType.ADVOCATE),
    ("attorney", RequesterType.ATTORNEY),
    ("deputy", RequesterType.DEPUTY),
    ("mother", RequesterType.PARENT_PR),
    ("father", RequesterType.PARENT_PR),
    ("parent", RequesterType.PARENT_PR),
    ("carer", RequesterType.PARENT_PR),
)


class RegisterError(ValueError):
    """The register file cannot be used; the message says why in plain words."""


def _list(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegisterError(f"{entry.get('id', '?')}: {key} must be a list of text")
    return tuple(value)


def _date(entry: dict[str, Any], key: str) -> date | None:
    value = entry.get(key)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise RegisterError(f"{entry.get('id', '?')}: {key} must be a date like 2009-03-14") from error


def person_details(entry: dict[str, Any]) -> service.PersonDetails:
    name = str(entry.get("name") or "").strip()
    if not name:
        raise RegisterError(f"{entry.get('id', '?')}: every person on the register needs a name")
    return service.PersonDetails(
        full_name=name,
        aliases=_list(entry, "aliases"),
        date_of_birth=_date(entry, "date_of_birth"),
        addresses=_list(entry, "addresses"),
        phones=_list(entry, "phones"),
        emails=_list(entry, "emails"),
        nhs_number=entry.get("nhs_number") or None,
        ni_number=entry.get("ni_number") or None,
        relationship=str(entry.get("relationship") or ""),
        job_title=str(entry.get("job_title") or ""),
        organisation=str(entry.get("organisation") or ""),
        consent_obtained=True if entry.get("consent") else None,
    )


def requester_type_for(relationship: str) -> RequesterType:
    words = relationship.lower()
    return next((kind for word, kind in _REQUESTER_TYPES if word in words), RequesterType.OTHER)


def _operator() -> User:
    email = os.environ.get("SAR_OPERATOR_EMAIL") or current_app.config.get("OPERATOR_EMAIL")
    query = select(User).where(User.active)
    if email:
        user = db.session.scalar(query.where(User.email == email.lower()))
        if user is None:
            raise RegisterError(f"There is no active account {email} (SAR_OPERATOR_EMAIL) to log the case as.")
        return user
    user = db.session.scalar(
        query.join(UserRole, UserRole.user_id == User.id).where(UserRole.role == Role.DPO).order_by(User.id).limit(1)
    )
    if user is None:
        raise RegisterError("There is no active DPO account to log the case as. Set SAR_OPERATOR_EMAIL.")
    return user


def import_register(register: dict[str, Any], *, received: date, right: Right, channel: Channel) -> Case:
    if not isinstance(register, dict) or not isinstance(register.get("subject"), dict):
        raise RegisterError('The file is not a people.json register: it has no "subject".')
    people = register.get("people") or []
    if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
        raise RegisterError('"people" must be a list of people.')
    subject = person_details(register["subject"])
    requesters = [p for p in people if p.get("role") == PersonRole.REQUESTER.value]
    if len(requesters) > 1:
        raise RegisterError("The register names more than one requester.")
    requester = person_details(requesters[0]) if requesters else None
    if requester is not None:
        requester_type = requester_type_for(requester.relationship)
    else:
        born = subject.date_of_birth
        child = (
            born is not None
            and (received.year - born.year - ((received.month, received.day) < (born.month, born.day))) < 18
        )
        requester_type = RequesterType.COMPETENT_CHILD if child else RequesterType.SELF
    logged_by = _operator()
    details = service.CaseDetails(
        channel=channel,
        received_at=calendar.moment_of(received, time(9, 0)),
        rights=frozenset({right}),
        requester_type=requester_type,
        description="Imported from a people.json register on the command line.",
    )
    case = service.log_case(details, subject=subject, requester=requester, logged_by=logged_by)
    for entry in people:
        role = entry.get("role")
        if role == PersonRole.REQUESTER.value:
            continue
        if role not in (PersonRole.THIRD_PARTY.value, PersonRole.PROFESSIONAL.value):
            raise RegisterError(f"{entry.get('id', '?')}: role must be third_party, professional or requester")
        service.add_person(case, PersonRole(role), person_details(entry), by=logged_by)
    return case


@click.command("import")
@click.option(
    "--people",
    "people_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The register in the people.json format.",
)
@click.option("--received", required=True, help="The date the request was received, YYYY-MM-DD.")
@click.option("--right", type=click.Choice([r.value for r in Right]), default=Right.ACCESS.value, show_default=True)
@click.option(
    "--channel", type=click.Choice([c.value for c in Channel]), default=Channel.EMAIL.value, show_default=True
)
def import_command(people_path: Path, received: str, right: str, channel: str) -> None:
    """Create a case from a people.json register and print its reference."""
    try:
        day = datetime.strptime(received, "%Y-%m-%d").date()
    except ValueError as error:
        raise click.BadParameter("must be a date like 2026-03-14", param_hint="--received") from error
    try:
        register = json.loads(people_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{people_path} is not a readable JSON file: {error}") from error
    try:
        case = import_register(register, received=day, right=Right(right), channel=Channel(channel))
    except (RegisterError, service.CaseError) as error:
        db.session.rollback()
        raise click.ClickException(str(getattr(error, "message", error))) from error
    db.session.commit()
    click.echo(case.reference)


def register(bp: Blueprint) -> None:
    bp.cli.add_command(import_command)
