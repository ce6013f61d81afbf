"""The operator commands other tools rely on: ``cases import`` and ``documents add``, names and output as written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from sar.auth.models import Role, User
from sar.cases.export import people_register
from sar.cases.models import Case, Channel, PersonRole, RequesterType, Right
from sar.extensions import db
from tests.integration.sources.conftest import LETTER, encrypted_pdf, make_pdf

REGISTER = {
    "subject": {
        "id": "S",
        "name": "Ayesha Khan",
        "aliases": ["Ay"],
        "date_of_birth": "2004-05-06",
        "addresses": ["14 Elm Road, Netherfield, Calderbridge, HX3 5TT"],
        "phones": ["07700 900123"],
        "emails": [],
        "nhs_number": "943 476 5919",
        "ni_number": None,
    },
    "people": [
        {
            "id": "P1",
            "name": "Sharon Khan",
            "role": "third_party",
            "relationship": "mother",
            "phones": ["07700 900456"],
        },
        {
            "id": "P2",
            "name": "Jo Bloggs",
            "role": "professional",
            "relationship": "social worker",
            "job_title": "Social Worker",
            "organisation": "Calderbridge Council",
        },
    ],
}


def test_cases_import_creates_the_case_the_register_describes_and_prints_its_reference(
    app: Flask, make_user: Callable[..., User], tmp_path: Path
) -> None:
    make_user(Role.DPO)
    path = tmp_path / "people.json"
    path.write_text(json.dumps(REGISTER), encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["cases", "import", "--people", str(path), "--received", "2026-11-02"])

    assert result.exit_code == 0, result.output
    reference = result.output.strip()
    case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
    assert case.received_on.isoformat() == "2026-11-02"
    assert case.right_values == {Right.ACCESS} and case.channel is Channel.EMAIL
    assert case.requester_type is RequesterType.SELF
    assert [p.role for p in case.people] == [PersonRole.DATA_SUBJECT, PersonRole.THIRD_PARTY, PersonRole.PROFESSIONAL]
    # The export of the imported case gives the register back.
    assert people_register(case) == REGISTER


def test_cases_import_refuses_a_bad_register_in_plain_words(
    app: Flask, make_user: Callable[..., User], tmp_path: Path
) -> None:
    make_user(Role.DPO)
    bad = tmp_path / "people.json"
    bad.write_text(json.dumps({"subject": {**REGISTER["subject"], "nhs_number": "123 456 7890"}}), encoding="utf-8")
    runner = app.test_cli_runner()

    result = runner.invoke(args=["cases", "import", "--people", str(bad), "--received", "2026-11-02"])
    assert result.exit_code != 0 and "NHS number" in result.output
    result = runner.invoke(args=["cases", "import", "--people", str(bad), "--received", "2 Nov"])
    assert result.exit_code != 0 and "2026-03-14" in result.output
    assert db.session.scalar(select(Case.id)) is None


def test_documents_add_with_wait_prints_one_json_line_per_file(
    app: Flask, make_case: Callable[..., Case], files: Callable[[str, bytes], Path]
) -> None:
    from datetime import date

    case = make_case(date(2026, 11, 2))
    reference, case_id = case.reference, case.id
    letter = files("letter.pdf", make_pdf(LETTER, pages=3))
    locked = files("locked.pdf", encrypted_pdf())
    copy = files("copy.pdf", make_pdf(LETTER, pages=3))
    db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["documents", "add", reference, str(letter), str(locked), str(copy), "--source", "Early Help", "--wait"]
    )

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(line["reference"], line["file"], line["status"]) for line in lines] == [
        (reference, "letter.pdf", "ready"),
        (reference, "locked.pdf", "refused"),
        (reference, "copy.pdf", "duplicate"),
    ]
    assert lines[0]["pages"] == 3 and len(lines[0]["document_ids"]) == 1
    assert "password" in lines[1]["reason"] and lines[1]["refusal_code"] == "encrypted"
    assert lines[2]["duplicate_of"] == lines[0]["document_ids"][0]
    db.session.expire_all()
    from sar.sources.models import Document

    assert {d.source for d in db.session.scalars(select(Document).where(Document.case_id == case_id))} == {"Early Help"}


def test_documents_add_names_an_unknown_case(app: Flask, files: Callable[[str, bytes], Path]) -> None:
    result = app.test_cli_runner().invoke(args=["documents", "add", "SAR-2026-99999", str(files("a.txt", b"x"))])
    assert result.exit_code != 0 and "There is no case SAR-2026-99999" in result.output
