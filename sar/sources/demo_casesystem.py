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
episodes = sa.Table(
    "episodes_of_need",
    metadata,
    sa.Column("episode_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("need_code", sa.String(10)),
    sa.Column("referral_source", sa.String(100)),
)
cp_periods = sa.Table(
    "cp_periods",
    metadata,
    sa.Column("cp_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("category", sa.String(50)),
)
la_periods = sa.Table(
    "looked_after_periods",
    metadata,
    sa.Column("la_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("legal_status", sa.String(50)),
)
case_notes = sa.Table(
    "case_notes",
    metadata,
    sa.Column("note_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("note_date", sa.Date),
    sa.Column("author", sa.String(100)),
    sa.Column("note_type", sa.String(50)),
    sa.Column("note_text", sa.Text),
)
contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("contact_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("contact_date", sa.Date),
    sa.Column("contact_source", sa.String(100)),
    sa.Column("summary", sa.Text),
)
assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("assessment_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("completed_date", sa.Date),
    sa.Column("assessment_type", sa.String(100)),
    sa.Column("outcome", sa.Text),
)
plans = sa.Table(
    "plans",
    metadata,
    sa.Column("plan_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("plan_date", sa.Date),
    sa.Column("plan_type", sa.String(100)),
    sa.Column("actions", sa.Text),
)
placements = sa.Table(
    "placements",
    metadata,
    sa.Column("placement_id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.person_id")),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("placement_type", sa.String(100)),
    sa.Column("provider", sa.String(200)),
)

_PERSON = "person_id IN (SELECT person_id FROM people WHERE nhs_number = :nhs_number OR (lower(full_name) = lower(:full_name) AND date_of_birth = :date_of_birth))"  # noqa: E501
# The queries an administrator would configure for this system (sar.sources.connectors.database).
QUERIES: list[dict[str, str]] = [
    {
        "title": "Case note",
        "date_column": "note_date",
        "sql": f"SELECT note_date, note_type, author, note_text FROM case_notes WHERE {_PERSON} "
        "AND note_date BETWEEN :date_from AND :date_to ORDER BY note_date",
    },
    {
        "title": "Contact",
        "date_column": "contact_date",
        "sql": f"SELECT contact_date, contact_source, summary FROM contacts WHERE {_PERSON} "
        "AND contact_date BETWEEN :date_from AND :date_to ORDER BY contact_date",
    },
    {
        "title": "Assessment",
        "date_column": "completed_date",
        "sql": f"SELECT completed_date, assessment_type, outcome FROM assessments WHERE {_PERSON} "
        "ORDER BY completed_date",
    },
    {
        "title": "Plan",
        "date_column": "plan_date",
        "sql": f"SELECT plan_date, plan_type, actions FROM plans WHERE {_PERSON} ORDER BY plan_date",
    },
    {
        "title": "Episode of need",
        "date_column": "start_date",
        "sql": f"SELECT start_date, end_date, need_code, referral_source FROM episodes_of_need WHERE {_PERSON}",
    },
    {
        "title": "Child protection period",
        "date_column": "start_date",
        "sql": f"SELECT start_date, end_date, category FROM cp_periods WHERE {_PERSON}",
    },
    {
        "title": "Looked-after period",
        "date_column": "start_date",
        "sql": f"SELECT start_date, end_date, legal_status FROM looked_after_periods WHERE {_PERSON}",
    },
    {
        "title": "Placement",
        "date_column": "start_date",
        "sql": f"SELECT start_date, end_date, placement_type, provider FROM placements WHERE {_PERSON}",
    },
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
                rows: list[tuple[sa.Table, dict[str, Any]]] = [
                    (
                        people,
                        {
                            "person_id": person_id,
                            "full_name": child.full_name,
                            "date_of_birth": child.date_of_birth,
                            "nhs_number": child.nhs_number,
                            "gender": rng.choice(["female", "male", "not stated"]),
                        },
                    ),
                    (
                        episodes,
                        {
                            "person_id": person_id,
                            "start_date": start,
                            "end_date": start + timedelta(days=300),
                            "need_code": rng.choice(["N1", "N2", "N4", "N8"]),
                            "referral_source": "School",
                        },
                    ),
                    (
                        cp_periods,
                        {
                            "person_id": person_id,
                            "start_date": start + timedelta(days=40),
                            "end_date": start + timedelta(days=250),
                            "category": "Neglect",
                        },
                    ),
                    (
                        la_periods,
                        {
                            "person_id": person_id,
                            "start_date": start + timedelta(days=260),
                            "end_date": None,
                            "legal_status": "C2 (interim care order)",
                        },
                    ),
                    (
                        assessments,
                        {
                            "person_id": person_id,
                            "completed_date": start + timedelta(days=30),
                            "assessment_type": "Child and family assessment",
                            "outcome": f"{first} is a child in need; a plan is recommended.",
                        },
                    ),
                    (
                        plans,
                        {
                            "person_id": person_id,
                            "plan_date": start + timedelta(days=45),
                            "plan_type": "Child protection plan",
                            "actions": "Fortnightly visits; core group every four weeks; school reports attendance.",
                        },
                    ),
                    (
                        placements,
                        {
                            "person_id": person_id,
                            "start_date": start + timedelta(days=260),
                            "end_date": None,
                            "placement_type": "Foster placement (U1)",
                            "provider": "TACT",
                        },
                    ),
                    (
                        contacts,
                        {
                            "person_id": person_id,
                            "contact_date": start - timedelta(days=10),
                            "contact_source": "Police",
                            "summary": f"Police called to {first}'s home.",
                        },
                    ),
                ]
                for n in range(3):
                    note = _NOTES[(person_id + n) % len(_NOTES)].format(first=first)
                    when = start + timedelta(days=20 + 30 * n)
                    values = {
                        "person_id": person_id,
                        "note_date": when,
                        "author": "Sam Whitaker",
                        "note_type": "Visit",
                        "note_text": note,
                    }
                    rows.append((case_notes, values))
                for table, values in rows:
                    connection.execute(table.insert().values(**values))
                    written += 1
    finally:
        engine.dispose()
    return written
