"""The case history in plain words: "Consent recorded for Denise Bailey", not ``person.updated consent_date``.

The audit trail stores machine-readable before/after snapshots; this turns each event into the sentence an
officer would write in a case file. Events this module does not know keep their own summary (each stage writes
its summaries in plain words already), so a later stage's events read sensibly without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sar.audit import AuditEvent
from sar.cases.models import Case, PersonRole
from sar.cases.queries import CaseHistory
from sar.pagination import Page

_PERSON_FIELDS = {
    "full_name": "name",
    "aliases": "other names",
    "date_of_birth": "date of birth",
    "addresses": "addresses",
    "phones": "phone numbers",
    "emails": "email addresses",
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "relationship": "relationship",
    "job_title": "job title",
    "organisation": "organisation",
    "role": "role",
}
_CONSENT_FIELDS = {"consent_obtained", "consent_date", "consent_note"}
_CASE_FIELDS = {
    "channel": "how it arrived",
    "received_at": "date and time received",
    "received_on": "date received",
    "received_time_known": "whether the time received is known",
    "rights": "rights requested",
    "requester_type": "who is asking",
    "description": "what is asked for",
    "scope_team_ids": "teams searched",
    "scope_from": "start of the date range",
    "scope_to": "end of the date range",
    "scope_description": "scope",
    "education_record": "school record question",
    "owner_id": "owner",
}


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    text: str


def _list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _person_name(case: Case, event: AuditEvent) -> str:
    for snapshot in (event.after, event.before):
        if snapshot and snapshot.get("full_name"):
            return str(snapshot["full_name"])
    person = next((p for p in case.people if str(p.id) == event.object_id), None)
    return person.full_name if person else "a person no longer on the register"


def _consent_sentence(name: str, after: dict[str, Any]) -> str:
    given = after.get("consent_obtained")
    if "consent_obtained" not in after:
        return f"Consent details updated for {name}"
    if given is None:
        return f"Consent record cleared for {name}"
    return f"Consent recorded for {name}" if given else f"Refusal of consent recorded for {name}"


def describe(case: Case, event: AuditEvent) -> str:
    after: dict[str, Any] = event.after or {}
    action = event.action
    if action == "person.updated":
        name = _person_name(case, event)
        sentences = []
        if _CONSENT_FIELDS & after.keys():
            sentences.append(_consent_sentence(name, after))
        others = [label for key, label in _PERSON_FIELDS.items() if key in after and key != "full_name"]
        if "full_name" in after:
            sentences.append(f"Name changed to {after['full_name']}")
        if others:
            sentences.append(f"{_list(others).capitalize()} changed for {name}")
        return ". ".join(sentences) or f"Register entry for {name} saved unchanged"
    if action == "person.added":
        role = str(after.get("role") or "")
        role_text = PersonRole(role).label.lower() if role in PersonRole.__members__.values() else "person"
        return f"{_person_name(case, event)} added to the people register as {role_text}"
    if action == "person.removed":
        return f"{_person_name(case, event)} removed from the people register"
    if action == "case.created":
        return f"Request logged as {after.get('reference', case.reference)}"
    if action == "case.updated":
        changed = [label for key, label in _CASE_FIELDS.items() if key in after]
        return f"Request details changed: {_list(changed) or 'details'}"
    if action == "case.people_exported":
        return "People register downloaded for redaction"
    if action == "case.status_changed":  # status set by hand, before statuses were derived
        return f"Status changed by hand: {event.summary}"
    return event.summary or action.replace(".", " ").replace("_", " ").capitalize()


def page_of(case: Case, history: CaseHistory) -> Page[HistoryEntry]:
    """One page of the history (sar.cases.queries.case_history, newest first) in plain words."""
    return history.changes.holding([HistoryEntry(e, describe(case, e)) for e in history.changes.items])
