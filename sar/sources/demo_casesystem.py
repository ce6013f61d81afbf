"""A fictional children's social care case system, for the demo and the connector tests.

Shaped like the systems councils run (people, episodes of need, child protection and looked-after periods,
case notes, contacts, assessments, plans, placements), built with SQLAlchemy Core so the same code makes it
on SQLite and PostgreSQL. Every person and event in it is invented at seed time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()
people = sa.Table(
    "people",
    metadata,
    sa.Column("person_id", sa.Integer, primary_key=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("date_of_birth", sa.Date),
    sa.Column("nhs_number", sa.String(12)),
    sa.Column("gender", sa.String(20)),
)


def _of_person(name: str, key: str, **columns: Any) -> sa.Table:
    """A table of things in a person's record: its own id, the person, then its columns (name=type), in order."""
    return sa.Table(
        name,
        metadata,
        sa.Column(key, sa.Integer, primary_key=True),
        sa.Column("person_id", sa.ForeignKey("people.person_id")),
        *(sa.Column(column, kind) for column, kind in columns.items()),
    )


def _period(name: str, key: str, **columns: Any) -> sa.Table:
    return _of_person(name, key, start_date=sa.Date, end_date=sa.Date, **columns)


episodes = _period("episodes_of_need", "episode_id", need_code=sa.String(10), referral_source=sa.String(100))
cp_periods = _period("cp_periods", "cp_id", category=sa.String(50))
la_periods = _period("looked_after_periods", "la_id", legal_status=sa.String(50))
placements = _period("placements", "placement_id", placement_type=sa.String(100), provider=sa.String(200))
case_notes = _of_person(
    "case_notes", "note_id", note_date=sa.Date, author=sa.String(100), note_type=sa.String(50), note_text=sa.Text
)
contacts = _of_person("contacts", "contact_id", contact_date=sa.Date, contact_source=sa.String(100), summary=sa.Text)
assessments = _of_person(
    "assessments", "assessment_id", completed_date=sa.Date, assessment_type=sa.String(100), outcome=sa.Text
)
plans = _of_person("plans", "plan_id", plan_date=sa.Date, plan_type=sa.String(100), actions=sa.Text)

_PERSON = "person_id IN (SELECT person_id FROM people WHERE nhs_number = :nhs_number OR (lower(full_name) = lower(:full_name) AND date_of_birth = :date_of_birth))"  # noqa: E501


def _query(title: str, table: sa.Table, columns: str, *, in_range: bool = False) -> dict[str, str]:
    """The query an administrator would write: the subject's rows (identifiers bound as parameters), oldest first;
    ``in_range`` also keeps to the task's date range, for the records that pile up over the years."""
    date_column = columns.split(",")[0]
    within = f" AND {date_column} BETWEEN :date_from AND :date_to" if in_range else ""
    sql = f"SELECT {columns} FROM {table.name} WHERE {_PERSON}{within} ORDER BY {date_column}"
    return {"title": title, "date_column": date_column, "sql": sql}


# The queries an administrator would configure for this system (sar.sources.connectors.database).
QUERIES: list[dict[str, str]] = [
    _query("Case note", case_notes, "note_date, note_type, author, note_text", in_range=True),
    _query("Contact", contacts, "contact_date, contact_source, summary", in_range=True),
    _query("Assessment", assessments, "completed_date, assessment_type, outcome"),
    _query("Plan", plans, "plan_date, plan_type, actions"),
    _query("Episode of need", episodes, "start_date, end_date, need_code, referral_source"),
    _query("Child protection period", cp_periods, "start_date, end_date, category"),
    _query("Looked-after period", la_periods, "start_date, end_date, legal_status"),
    _query("Placement", placements, "start_date, end_date, placement_type, provider"),
]


@dataclass(frozen=True)
class Child:
    full_name: str
    date_of_birth: date | None
    nhs_number: str | None


_NOTES = (
    "Home visit. {first} was at home and spoke about school and friends. Mum was present for part of the visit.",
    "Strategy discussion with police and health. Agreed a section 47 enquiry.",
    "{first} seen alone at school. Said things at home are calmer since the last meeting.",
    "Telephone call with the foster carer about contact arrangements for {first}.",
)


def _on(start: date, days: int) -> date:
    return start + timedelta(days=days)


def _row(start: date, end: date | None, **values: Any) -> dict[str, Any]:
    return {"start_date": start, "end_date": end, **values}


_PLAN_ACTIONS = "Fortnightly visits; core group every four weeks; school reports attendance."


def build(url: str, children: list[Child], *, seed: int = 11) -> int:
    """Create the tables and fill them for these children (plus a few strangers); returns the rows written."""
    rng = random.Random(seed)
    engine = sa.create_engine(url)
    written = 0
    try:
        metadata.drop_all(engine)
        metadata.create_all(engine)
        everyone = [
            *children,
            Child("Jordan Stranger", date(2012, 1, 1), "401 023 2137"),
            Child("Casey Unrelated", date(2010, 6, 6), None),
        ]
        with engine.begin() as connection:
            for person_id, child in enumerate(everyone, start=1):
                first = child.full_name.split()[0]
                start = (child.date_of_birth or date(2012, 1, 1)) + timedelta(days=rng.randint(400, 2500))
                connection.execute(
                    people.insert().values(
                        person_id=person_id,
                        full_name=child.full_name,
                        date_of_birth=child.date_of_birth,
                        nhs_number=child.nhs_number,
                        gender=rng.choice(["female", "male", "not stated"]),
                    )
                )
                need = rng.choice(["N1", "N2", "N4", "N8"])
                rows: list[tuple[sa.Table, dict[str, Any]]] = [
                    (episodes, _row(_on(start, 0), _on(start, 300), need_code=need, referral_source="School")),
                    (cp_periods, _row(_on(start, 40), _on(start, 250), category="Neglect")),
                    (la_periods, _row(_on(start, 260), None, legal_status="C2 (interim care order)")),
                    (placements, _row(_on(start, 260), None, placement_type="Foster placement (U1)", provider="TACT")),
                    (
                        assessments,
                        dict(
                            completed_date=_on(start, 30),
                            assessment_type="Child and family assessment",
                            outcome=f"{first} is a child in need; a plan is recommended.",
                        ),
                    ),
                    (plans, dict(plan_date=_on(start, 45), plan_type="Child protection plan", actions=_PLAN_ACTIONS)),
                    (
                        contacts,
                        dict(
                            contact_date=_on(start, -10),
                            contact_source="Police",
                            summary=f"Police called to {first}'s home.",
                        ),
                    ),
                ]
                rows += [
                    (
                        case_notes,
                        dict(
                            note_date=_on(start, 20 + 30 * n),
                            author="Sam Whitaker",
                            note_type="Visit",
                            note_text=_NOTES[(person_id + n) % len(_NOTES)].format(first=first),
                        ),
                    )
                    for n in range(3)
                ]
                for table, values in rows:
                    connection.execute(table.insert().values(person_id=person_id, **values))
                written += 1 + len(rows)
    finally:
        engine.dispose()
    return written
