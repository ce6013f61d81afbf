"""What a letter template can see: plain dicts, lists, strings, numbers and booleans, never model objects.

The sandbox (sar.bundle.letters.sandbox) stops a template reaching Python internals; giving it only plain data
means there is nothing behind a value to reach in the first place (a model object would lead to its session, its
relationships and the application). Dates are already written out as a letter gives them ("3 March 2026").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from flask import current_app

from sar import deadlines
from sar.auth.models import User
from sar.bundle.letters.exemptions import describe
from sar.bundle.letters.models import ART15_NAMES, SupplementaryInformation
from sar.calendar import long_date
from sar.cases.models import Case, CasePerson, Outcome
from sar.clock import service as clock_service
from sar.clock.panel import clock_view

# The details an officer gives for one letter; every key is always present (empty when unused), so a template can
# test ``{% if letter.reasons %}`` without tripping over a missing name.
DETAIL_NAMES = ("reasons", "evidence_kind", "what_we_need", "questions", "fee_amount", "fee_reason", "note")


def _lines(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\n,]", text) if part.strip()]


def _first_name(full_name: str) -> str:
    return full_name.split()[0] if full_name.split() else full_name


def _person(person: CasePerson | None) -> dict[str, Any]:
    if person is None:
        return {"name": "", "first_name": "", "address_lines": [], "email": "", "emails": [], "organisation": ""}
    return {
        "name": person.full_name,
        "first_name": _first_name(person.full_name),
        "address_lines": _lines(person.addresses[0]) if person.addresses else [],
        "email": person.emails[0] if person.emails else "",
        "emails": list(person.emails),
        "organisation": person.organisation,
    }


@dataclass
class DisclosureContext:
    """What the cover letter says about the disclosure itself.

    Today it holds what the case already records (the teams searched, the closure's exemption codes, NCND);
    the bundle stage builds one from the bundle it made (documents, pages, systems searched, each redaction's
    code) and passes it to :func:`letter_context` instead.
    """

    teams_searched: list[str] = field(default_factory=list)
    systems_searched: list[str] = field(default_factory=list)
    withheld: list[dict[str, str]] = field(default_factory=list)  # each: code, law, meaning
    ncnd: bool = False
    outcome: str = ""
    documents: int | None = None
    pages: int | None = None
    how_sent: str = ""

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["documents"] = self.documents if self.documents is not None else ""
        values["pages"] = self.pages if self.pages is not None else ""
        return values


def known_disclosure(case: Case) -> DisclosureContext:
    ncnd = case.outcome is Outcome.NCND
    return DisclosureContext(
        teams_searched=sorted(row.team.name for row in case.scope_teams),
        # Neither confirm nor deny: saying what was withheld, or why, would itself reveal it (sar-rules section 6).
        withheld=[] if ncnd else [describe(code) for code in case.exemption_codes],
        ncnd=ncnd,
        outcome=case.outcome.label if case.outcome else "",
    )


def _clock(case: Case) -> dict[str, Any]:
    view = clock_view(case)
    if view is None:
        return {"due_date": "", "start_date": "", "notice_deadline": "", "extended": False, "extended_due_date": ""}
    extended_due = view.due_date
    if not view.extended:
        derived = clock_service.derive_case(case, clock_service.events_for(case))
        try:
            extended_due = (
                derived.inputs(
                    extended=True,
                    region=current_app.config["BANK_HOLIDAY_REGION"],
                    target_days=int(current_app.config["INTERNAL_TARGET_DAYS"]),
                )
                .compute()
                .due
            )
        except deadlines.DeadlineError:
            extended_due = view.due_date
    return {
        "due_date": long_date(view.due_date),
        "start_date": long_date(view.start_date),
        "notice_deadline": long_date(view.notice_deadline),
        "extended": view.extended,
        "extended_due_date": long_date(extended_due),
    }


def council() -> dict[str, Any]:
    config = current_app.config
    address = str(config.get("COUNCIL_ADDRESS") or "")
    return {
        "name": str(config["COUNCIL_NAME"]),
        "address": address,
        "address_lines": _lines(address),
        "email": str(config.get("COUNCIL_EMAIL") or ""),
        "phone": str(config.get("COUNCIL_PHONE") or ""),
        "team": str(config.get("COUNCIL_LETTER_TEAM") or "Information Governance"),
    }


def art15(info: SupplementaryInformation | None) -> dict[str, str]:
    return info.values() if info is not None else dict.fromkeys(ART15_NAMES, "")


def letter_context(
    case: Case,
    *,
    officer: User,
    on: date,
    details: dict[str, str],
    info: SupplementaryInformation | None,
    disclosure: DisclosureContext | None = None,
) -> dict[str, Any]:
    requester = case.requester or case.subject
    subject = case.subject
    return {
        "council": council(),
        "letter": {name: str(details.get(name, "") or "") for name in DETAIL_NAMES} | {"date": long_date(on)},
        "case": {
            "reference": case.reference,
            "received_on": long_date(case.received_on),
            "rights": [right.label for right in case.sorted_rights],
            "is_access_request": case.is_access_request,
            "scope_description": case.scope_description,
            "scope_from": long_date(case.scope_from),
            "scope_to": long_date(case.scope_to),
        }
        | _clock(case),
        "requester": _person(requester) | {"is_subject": case.requester_type.is_subject},
        "subject": _person(subject) | {"date_of_birth": long_date(subject.date_of_birth) if subject else ""},
        "officer": {"name": officer.full_name, "job_title": officer.job_title, "email": officer.email},
        "art15": art15(info),
        "disclosure": (disclosure or known_disclosure(case)).as_dict(),
    }


# Shown beside the template editor: every placeholder a template can use.
PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("council.name", "The council's name (configuration)"),
    ("council.address_lines", "The council's address, one line each"),
    ("council.email / council.phone / council.team", "How to contact the team that sends letters"),
    ("letter.date", "The date of the letter"),
    ("letter.reasons", "Reasons the officer gave (extension, refusal)"),
    ("letter.evidence_kind / letter.what_we_need", "ID or authority, and what is asked for"),
    ("letter.questions", "What the clarification asks"),
    ("letter.fee_amount / letter.fee_reason", "The fee and why it is charged"),
    ("letter.note", "Anything else the officer added"),
    ("case.reference", "The case reference"),
    ("case.received_on / case.start_date", "When the request arrived; when the clock started"),
    ("case.due_date / case.notice_deadline", "The statutory due date; the last day to extend"),
    ("case.extended / case.extended_due_date", "Whether the time limit is extended; the due date if it is"),
    ("case.rights / case.is_access_request", "The rights asked for (a list); whether it is a subject access request"),
    ("case.scope_description / case.scope_from / case.scope_to", "What the request covers"),
    ("requester.name / requester.first_name", "Who the letter is to"),
    ("requester.address_lines / requester.email", "Their address (a list) and email"),
    ("requester.is_subject", "Whether they asked for their own records"),
    ("subject.name / subject.first_name / subject.date_of_birth", "The person the records are about"),
    ("officer.name / officer.job_title", "Who wrote the letter"),
    (
        "art15.purposes, art15.categories, art15.recipients, art15.transfers, art15.retention, art15.sources, "
        "art15.automated_decisions, art15.ico_contact, art15.complaint_route, art15.support_offer",
        "The council's Art 15 supplementary information",
    ),
    ("disclosure.teams_searched / disclosure.systems_searched", "Where the records were searched for (lists)"),
    ("disclosure.withheld", "What was withheld: a list, each with code, law and meaning"),
    ("disclosure.ncnd", "True when the council neither confirms nor denies: say nothing about what was withheld"),
    ("disclosure.documents / disclosure.pages / disclosure.how_sent", "The bundle (filled in by the bundle stage)"),
)
