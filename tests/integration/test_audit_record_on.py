"""Events about one row are filed under that row's kind, id and case, whoever records them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sar import audit
from sar.auth.models import User
from sar.cases.models import Case, CasePerson, PersonRole
from sar.extensions import db


def test_an_event_about_a_case_is_filed_under_that_case(make_case: Callable[..., Case], officer: User) -> None:
    case = make_case(date(2026, 11, 2))
    event = audit.record_on(case, "case.viewed", "Viewed the case", by=officer)
    assert (event.object_type, event.object_id, event.case_id) == ("case", str(case.id), case.id)
    assert (event.actor_id, event.summary) == (officer.id, "Viewed the case")


def test_an_event_about_a_row_of_a_case_is_filed_under_its_case(make_case: Callable[..., Case], officer: User) -> None:
    make_case(date(2026, 11, 2))
    case = make_case(date(2026, 11, 3))
    person = CasePerson(case_id=case.id, role=PersonRole.THIRD_PARTY, full_name="Dana Whitlock")
    db.session.add(person)
    db.session.flush()
    event = audit.record_on(person, "case.person_added", by=officer, after={"name": "Dana Whitlock"})
    assert (event.object_type, event.object_id, event.case_id) == ("case_person", str(person.id), case.id)
    assert event.after == {"name": "Dana Whitlock"}


def test_an_event_about_a_row_outside_any_case_has_no_case(officer: User) -> None:
    event = audit.record_on(officer, "user.updated", "Changed the name", by=audit.SYSTEM)
    assert (event.object_type, event.object_id, event.case_id) == ("user", str(officer.id), None)
    assert event.actor_label == "system"
