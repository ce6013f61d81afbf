"""Gathering for the demo council (called by sar.demo): search tasks in every state, documents read into pages,
duplicates and near-duplicates grouped, unreadable files kept with their reasons.

Every file is generated here at seed time (nothing binary is committed), and everything goes through the same
services the pages use, so the audit trail reads as if staff had done the work.
"""

from __future__ import annotations

import io
import mailbox
import random
import shutil
import tempfile
import zipfile
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from flask import current_app
from sqlalchemy import select

from sar import deadlines
from sar.auth.models import Role, Team, User
from sar.cases.models import Case, CaseStatus
from sar.extensions import db
from sar.sources import demo_casesystem, evidence, ingest, links, runs, tasks
from sar.sources.extract import typeset_record
from sar.sources.models import Connector, Document, DocumentStatus, SearchTask, TeamContact

MANAGERS = {
    "Children's Social Care": "csc.manager@council.example",
    "Early Help": "earlyhelp.manager@council.example",
    "Fostering and Adoption": "fostering.manager@council.example",
}
NOTES = (
    "Home visit. {first} was at home with their mother. The bedroom was tidy and {first} showed me their school "
    "reports. We talked about contact with their father, which {first} would like to happen more often.",
    "Telephone call from school. {first} has been late four times this half term. The designated safeguarding "
    "lead will meet the family next week and update the social worker.",
    "Core group meeting. Attendance from health visitor, school and Early Help. The plan was reviewed and the "
    "actions for the next four weeks agreed. {first}'s views were shared by the social worker.",
)


class _Upload:
    """What a browser upload looks like to the services: a name and a stream."""

    def __init__(self, filename: str, content: bytes) -> None:
        self.filename = filename
        self.stream = io.BytesIO(content)


def _pdf(title: str, fields: list[tuple[str, str]], subtitle: str = "") -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "record.pdf"
        typeset_record(title, fields, out, subtitle=subtitle)
        return out.read_bytes()


_DOCX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
}


def _docx(paragraphs: list[str]) -> bytes:
    """A Word document, written as the zip of XML parts it is (python-docx is only a development dependency)."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}'
        "</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in {**_DOCX_PARTS, "word/document.xml": document}.items():
            archive.writestr(name, xml)
    return out.getvalue()


def _scan(lines: list[str]) -> bytes:
    """A page as a scanner sends it: a greyscale picture of an A4 letter at 150 dpi, with no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    try:
        font: Any = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    except OSError:
        font = ImageFont.load_default()
    for number, line in enumerate(lines):
        draw.text((120, 160 + 56 * number), line, fill=0, font=font)
    out = io.BytesIO()
    page.save(out, format="PNG", dpi=(150, 150))
    return out.getvalue()


def _encrypted(content: bytes) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="demo-owner", user="demo-user"))
    return out.getvalue()


def _files_for(case: Case, rng: random.Random, *, every_format: bool = False) -> list[tuple[str, bytes]]:
    """What a team sends for a search. ``every_format`` adds a Word document and a scanned letter (converted by
    LibreOffice and read by OCR when seeded, which takes seconds, so only one case has them)."""
    subject = case.subject
    name = subject.full_name if subject else "the child"
    first = name.split()[0]
    day = case.received_on - timedelta(days=rng.randint(200, 900))
    start = rng.randrange(len(NOTES))
    note = "\n".join(NOTES[(start + i) % len(NOTES)].format(first=first) for i in range(len(NOTES)))
    fields = [
        ("Date", f"{day.day} {day:%B %Y}"),
        ("Worker", "Sam Whitaker, Social Worker"),
        ("Subject", name),
        ("Case note", note),
    ]
    letter = _pdf("Case note", fields, subtitle="Children's Social Care – case record")
    printed = _pdf(
        "Case note",
        [*fields, ("Printed", f"Printed from the case system on {case.received_on}")],
        subtitle="Children's Social Care – case record",
    )
    referral = (
        f"EARLY HELP REFERRAL\n\nChild: {name}\nReferred by: school (pastoral lead)\n\n"
        f"Reason for referral: concerns about attendance and about {first}'s wellbeing at home. The family "
        "agreed to an Early Help assessment.\n"
    ).encode()
    files = [
        ("Case note - home visit.pdf", letter),
        ("Early Help referral.txt", referral),
        ("Case note - home visit (copy).pdf", letter),
        ("Case note - home visit (printed).pdf", printed),
        ("Scanned consent form.pdf", _encrypted(_pdf("Consent form", [("Signed", name)]))),
        ("IMG_2041.HEIC", bytes(rng.randrange(256) for _ in range(2048))),
    ]
    if every_format:
        files += [
            ("Assessment summary.docx", _docx([f"Child and family assessment: {name}", *note.split("\n")])),
            (
                "Scanned letter from school.png",
                _scan([f"Dear Social Worker, re: {name}", "Attendance this term is 86%.", "Yours, Head of Year 9"]),
            ),
        ]
    return files


def _read_all(case_id: int) -> None:
    """Run the ingest work now, as the job worker would, so the demo opens with documents already read."""
    # Until nothing waits: reading an email or an archive queues its attachments and members in their turn.
    while queued := db.session.scalars(
        select(Document.id).where(Document.case_id == case_id, Document.status == DocumentStatus.QUEUED)
    ).all():
        for document_id in queued:
            ingest.ingest_document({"document_id": document_id})
    ingest.group_duplicates(case_id)  # now, not when a worker gets to the job reading the last document queued


def _holder(users: list[User], team: Team) -> User | None:
    return next((u for u in users if u.team_id == team.id and u.has_role(Role.RECORD_HOLDER)), None)


def _commission(case: Case, teams: list[Team], officer: User, on: date) -> list[SearchTask]:
    config = current_app.config
    pinned = config.get("CLOCK_TODAY")
    config["CLOCK_TODAY"] = on  # commissioned on the day the case started gathering
    try:
        due = tasks.default_due_date(case)
        statutory = tasks.statutory_due(case)
        if statutory is not None:
            due = min(due, statutory)
        due = max(due, on)
        return tasks.commission(
            case,
            tasks.Commission(
                teams=tuple(teams),
                instructions="Every record about the child and their family: case notes, assessments, plans, "
                "emails and letters.",
                search_terms="",
                due_date=due,
                date_from=case.scope_from,
                date_to=case.scope_to,
            ),
            by=officer,
        )
    finally:
        config["CLOCK_TODAY"] = pinned


def _seed_sources(cases: list[Case], teams: dict[str, Team], rng: random.Random) -> list[Connector]:
    """A fictional case system database, a shared drive and a mailbox export, with a connector for each."""
    root = Path(current_app.instance_path) / "demo-sources"
    share, export = root / "shared-drive", root / "mailbox-export"
    for folder in (share, export):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    subjects = [c.subject for c in cases if c.subject is not None]
    children = [demo_casesystem.Child(p.full_name, p.date_of_birth, p.nhs_number) for p in subjects]
    url = f"sqlite:///{root / 'case-system.sqlite'}"
    demo_casesystem.build(url, children, seed=rng.randint(1, 10_000))
    box = mailbox.mbox(str(export / "team-mailbox.mbox"))
    try:
        for person in subjects[:12]:
            first = person.full_name.split()[0]
            folder = share / rng.choice(["Early Help", "Family support", "Archive 2019"])
            folder.mkdir(exist_ok=True)
            (folder / f"{person.full_name.replace(' ', '_')}_family_plan.txt").write_text(
                f"Family plan for {person.full_name}. Actions agreed with the family at the review meeting.\n"
            )
            born = f"{person.date_of_birth:%d/%m/%Y}" if person.date_of_birth else "unknown"
            (folder / f"referral-{rng.randint(1000, 9999)}.pdf").write_bytes(
                _pdf("Referral", [("Child", person.full_name), ("Date of birth", born), ("Reason", "School concerns")])
            )
            message = EmailMessage()
            message["From"], message["To"] = "social.worker@council.example", "team@council.example"
            message["Subject"], message["Date"] = f"Visit update - {first}", "Tue, 03 Mar 2020 09:30:00 +0000"
            message.set_content(f"Quick update: I visited {person.full_name} today. Notes to follow on the system.")
            message.add_attachment(
                _pdf("Visit record", [("Child", person.full_name), ("Seen", "At home, with mother")]),
                maintype="application",
                subtype="pdf",
                filename=f"visit record {first}.pdf",
            )
            (export / f"visit-{rng.randint(1000, 9999)}.eml").write_bytes(message.as_bytes())
            box.add(message)
        (share / "Team minutes March.txt").write_text("Minutes of the team meeting: rota, training, parking.\n")
    finally:
        box.close()
    holders = {
        "database": teams.get("Children's Social Care"),
        "file_share": teams.get("Early Help"),
        "email_export": teams.get("Children's Social Care"),
    }
    made = []
    for name, kind, settings in (
        ("Children's case system (demo)", "database", {"url": url, "queries": demo_casesystem.QUERIES}),
        ("Early Help shared drive (demo)", "file_share", {"path": str(share)}),
        ("Team mailbox export (demo)", "email_export", {"path": str(export)}),
    ):
        team = holders[kind] or next(iter(teams.values()))
        connector = Connector(name=name, kind=kind, team_id=team.id, settings=settings)
        db.session.add(connector)
        made.append(connector)
    db.session.flush()
    return made


def _scan_evidence(cases: list[Case], officers: list[User]) -> None:
    """Each open case's identity and authority evidence, as scans the contact centre attached."""
    for case in cases:
        for item in case.evidence:
            if item.received_on is not None and not case.is_closed:
                scan = _pdf(
                    item.kind.label,
                    [("Received", str(item.received_on)), ("What arrived", item.what_arrived)],
                    subtitle="Scanned at the council's contact centre (demo)",
                )
                evidence.attach(item, f"{item.kind.value}-scan.pdf", scan, by=case.owner or officers[0])


def seed_gathering(
    cases: list[Case], teams: dict[str, Team], users: list[User], today: date, rng: random.Random
) -> None:
    for team_name, email in MANAGERS.items():
        team = teams.get(team_name)
        if team is not None:
            db.session.add(TeamContact(team_id=team.id, manager_email=email))
    officers = [u for u in users if u.has_role(Role.IG_OFFICER)]
    _scan_evidence(cases, officers)
    region = str(current_app.config["BANK_HOLIDAY_REGION"])
    # Searches start once nothing is outstanding from the requester (the status is derived: such a case reads
    # "Received" until its first search task is sent).
    ready = (CaseStatus.RECEIVED, CaseStatus.GATHERING, CaseStatus.IN_REVIEW)
    gathering = [c for c in cases if c.outcome is None and c.status in ready and c.received_on < today]
    for number, case in enumerate(gathering):
        officer = case.owner or officers[0]
        wanted = [row.team for row in case.scope_teams if row.team.active] or [
            t for n, t in teams.items() if n in ("Children's Social Care", "Early Help")
        ]
        providers = [t for n, t in teams.items() if n.startswith("Barnardo")]
        on = min(today, deadlines.add_working_days(case.received_on, 3 + number % 5, region))
        made = _commission(case, [*wanted, *providers[:1]], officer, on)
        for position, task in enumerate(made):
            holder = _holder(users, task.team)
            if task.team.kind.value == "provider":
                links.create_link(task, recipient=f"Data protection lead, {task.team.name}", by=officer)
            elif holder is not None and position == 0:
                ingest.add_files_for_task(
                    task,
                    [_Upload(n, c) for n, c in _files_for(case, rng, every_format=number == 0)],
                    by=holder,
                    by_label=holder.email,
                )
            elif holder is not None and position == 1 and number % 2 == 0:
                tasks.no_records_held(
                    task,
                    tasks.Statement(
                        systems_searched=f"{task.team.name} case system; team shared drive; team mailbox",
                        terms_used="\n".join(task.identifiers),
                        searched_by=holder.full_name,
                        searched_on=min(today, task.due_date),
                    ),
                    by=holder,
                )
        _read_all(case.id)
    # The cases gathering now come first, so the shared drive and the mailbox hold something about them.
    connectors = _seed_sources([*gathering, *(c for c in cases if c not in gathering)], teams, rng)
    for case in gathering[:2]:
        officer = case.owner or officers[0]
        for connector in connectors:
            task = runs.commission_from_connector(case, connector, by=officer)
            runs.run_connector_task({"task_id": task.id})
        _read_all(case.id)
