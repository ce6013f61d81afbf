"""What goes into a case's bundle, read from the database once into plain values the builder works from.

The documents a reviewer left in (not set aside as not relevant or duplicate), in the order a reader follows:
by date, each attachment straight after the document it came with. For each: the redactions the review decided
(as the redaction library's spans and areas, with their exemption code), the pages withheld and why, or that the
whole document is withheld. Also the strings the release gate needs: every redacted text (forbidden) and the
subject's own names and identifiers that the disclosed pages show (must keep).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from redaction import Area, Span
from sar.bundle.letters.exemptions import describe
from sar.cases.models import Case, CasePerson, PersonRole
from sar.extensions import db
from sar.review.models import DocumentReview, Origin, Outcome, PageWithheld, ReviewFinding
from sar.sources.models import Document, DocumentPage, DocumentStatus, SearchTask

RedactionItem = Span | Area


@dataclass
class PlannedDocument:
    document_id: int
    title: str
    day: date | None
    source: str
    page_count: int
    working_key: str | None
    withheld_code: str | None = None  # the whole document
    withheld_pages: dict[int, str] = field(default_factory=dict)  # 1-based page -> code
    # 0-based page -> what to burn there (the library's convention)
    redactions: dict[int, list[RedactionItem]] = field(default_factory=dict)
    # 0-based page -> boxes a reviewer drew (or words read by OCR), in the viewer space gathering stores: top-left
    # origin after crop box and rotation. The builder turns them into areas with the page's geometry.
    view_boxes: dict[int, list[tuple[list[float], str]]] = field(default_factory=dict)
    redaction_count: int = 0
    codes: set[str] = field(default_factory=set)
    scanned_pages: set[int] = field(default_factory=set)  # 1-based pages whose text gathering read by OCR

    @property
    def withheld_runs(self) -> list[tuple[list[int], str]]:
        """Withheld pages grouped into runs of consecutive pages with the same code: one stand-in page each."""
        runs: list[tuple[list[int], str]] = []
        for page in sorted(self.withheld_pages):
            code = self.withheld_pages[page]
            if runs and runs[-1][1] == code and runs[-1][0][-1] == page - 1:
                runs[-1][0].append(page)
            else:
                runs.append(([page], code))
        return runs

    @property
    def output_pages(self) -> int:
        """Pages this document takes in the bundle."""
        if self.withheld_code:
            return 1
        return self.page_count - len(self.withheld_pages) + len(self.withheld_runs)

    @property
    def note(self) -> str:
        if self.withheld_code:
            return f"withheld, code {self.withheld_code}"
        if self.withheld_pages:
            count = len(self.withheld_pages)
            return f"{count} page{'s' if count != 1 else ''} withheld"
        return ""


@dataclass
class Plan:
    documents: list[PlannedDocument]
    forbidden: set[str]
    must_keep_candidates: list[str]
    codes: set[str]
    teams: list[str]
    systems: list[str]


def _source(document: Document, teams: dict[int, str]) -> str:
    team = teams.get(document.task_id or 0, "")
    system = "" if document.source in ("upload", "command line") else document.source
    if team and system:
        return f"{team} ({system})"
    return team or system or ("Uploaded by the council" if document.source == "upload" else document.source)


Geometry = tuple[float, float, float, float, int]  # crop box (left, bottom, right, top) and rotation


def to_pdf_space(box: list[float], geometry: Geometry) -> tuple[float, float, float, float]:
    """A box in viewer space (top-left origin, after crop box and rotation) in PDF user space (left, bottom, right,
    top), the inverse of gathering's ``_viewer_space``; ``geometry`` is the crop box and the rotation."""
    left, bottom, right, top, rotation = geometry
    x0, y0, x1, y1 = box
    corners = []
    for vx, vy in ((x0, y0), (x1, y1)):
        if rotation == 90:
            corners.append((left + vy, bottom + vx))
        elif rotation == 180:
            corners.append((right - vx, bottom + vy))
        elif rotation == 270:
            corners.append((right - vy, top - vx))
        else:
            corners.append((left + vx, top - vy))
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def document_order(documents: list[Document]) -> list[Document]:
    """Oldest first (undated last), each attachment straight after its parent."""
    by_parent: dict[int | None, list[Document]] = defaultdict(list)
    ids = {d.id for d in documents}
    for doc in documents:
        by_parent[doc.parent_id if doc.parent_id in ids else None].append(doc)
    ordered: list[Document] = []

    def visit(parent: int | None) -> None:
        children = by_parent.get(parent, [])
        if parent is None:
            children.sort(key=lambda d: (d.document_date is None, d.document_date or d.created_at, d.id))
        else:
            children.sort(key=lambda d: (d.child_index or 0, d.id))
        for child in children:
            ordered.append(child)
            visit(child.id)

    visit(None)
    return ordered


def _flags(case: Case) -> dict[int, DocumentReview]:
    rows = db.session.scalars(select(DocumentReview).where(DocumentReview.case_id == case.id))
    return {row.document_id: row for row in rows}


def included_documents(case: Case, exclude: set[int] | None = None) -> list[Document]:
    """The case's documents that go in the bundle: read, not duplicates, not set aside by the reviewer."""
    flags = _flags(case)
    documents = [
        doc
        for doc in db.session.scalars(
            select(Document).where(Document.case_id == case.id, Document.status == DocumentStatus.READY)
        )
        if doc.working_key
        and not (flags.get(doc.id) and (flags[doc.id].not_relevant or flags[doc.id].duplicate))
        and doc.id not in (exclude or set())
    ]
    return document_order(documents)


def _team_names(case: Case) -> dict[int, str]:
    tasks = db.session.scalars(select(SearchTask).where(SearchTask.case_id == case.id))
    return {task.id: task.team.name for task in tasks}


def _planned(case: Case, documents: list[Document], team_names: dict[int, str]) -> dict[int, PlannedDocument]:
    flags = _flags(case)
    withheld: dict[int, dict[int, str]] = defaultdict(dict)
    for row in db.session.scalars(select(PageWithheld).where(PageWithheld.case_id == case.id)):
        withheld[row.document_id][row.page_number] = row.code
    planned: dict[int, PlannedDocument] = {}
    for doc in documents:
        flag = flags.get(doc.id)
        item = PlannedDocument(
            document_id=doc.id,
            title=doc.title or doc.original_name or f"Document {doc.id}",
            day=doc.document_date.date() if doc.document_date else None,
            source=_source(doc, team_names),
            page_count=doc.page_count,
            working_key=doc.working_key,
            withheld_code=flag.withheld_code if flag and flag.withheld_code else None,
            withheld_pages=dict(withheld.get(doc.id, {})),
        )
        if item.withheld_code:
            item.codes.add(item.withheld_code)
        item.codes.update(item.withheld_pages.values())
        planned[doc.id] = item
    return planned


def _add_redactions(case: Case, planned: dict[int, PlannedDocument]) -> set[str]:
    """Every redact decision onto its document's pages; returns the forbidden strings."""
    ids = list(planned)
    forbidden: set[str] = set()
    kept_texts: set[str] = set()
    if not ids:
        return forbidden
    ocr_pages = set(
        db.session.execute(
            select(DocumentPage.document_id, DocumentPage.number).where(
                DocumentPage.document_id.in_(ids), DocumentPage.ocr.is_(True)
            )
        ).all()
    )
    for document_id, number in ocr_pages:
        planned[document_id].scanned_pages.add(number)
    for finding in db.session.scalars(
        select(ReviewFinding).where(ReviewFinding.case_id == case.id, ReviewFinding.document_id.in_(ids))
    ):
        if finding.outcome is Outcome.KEEP and finding.text.strip():
            kept_texts.add(finding.text.strip())
        target = planned[finding.document_id]
        if (
            finding.outcome is not Outcome.REDACT
            or target.withheld_code
            or finding.page_number in target.withheld_pages
        ):
            continue
        code = finding.code or finding.proposed_code or "TP"
        index = finding.page_number - 1
        if (
            finding.origin is not Origin.BOX
            and finding.start >= 0
            and (finding.document_id, finding.page_number) not in ocr_pages
        ):
            # The library finds the words by their offsets in the page text it reads (the same text gathering
            # stored), and removes them from the text layer as well as burning their boxes.
            target.redactions.setdefault(index, []).append(Span(finding.start, finding.end, code))
        else:
            target.view_boxes.setdefault(index, []).extend((list(box), code) for box in finding.boxes)
        target.redaction_count += 1
        target.codes.add(code)
        if finding.text.strip():
            forbidden.add(finding.text.strip())
    # A text deliberately disclosed somewhere (a "keep" decision) cannot be forbidden everywhere: the gate searches
    # text, not places. The review's consistency check is where such differences are explained.
    return forbidden - kept_texts


def plan_case(case: Case, *, exclude: set[int] | None = None) -> Plan:
    documents = included_documents(case, exclude)
    team_names = _team_names(case)
    planned = _planned(case, documents, team_names)
    forbidden = _add_redactions(case, planned)
    codes: set[str] = set().union(*(d.codes for d in planned.values())) if planned else set()
    return Plan(
        documents=[planned[doc.id] for doc in documents],
        forbidden=forbidden,
        must_keep_candidates=subject_identifiers(case),
        codes=codes,
        teams=sorted({row.team.name for row in case.scope_teams} | set(team_names.values())),
        systems=sorted({doc.source for doc in documents if doc.source not in ("upload", "command line")}),
    )


def subject_identifiers(case: Case) -> list[str]:
    """The subject's own names and identifiers: a bundle that lost them was over-redacted."""
    subject: CasePerson | None = next((p for p in case.people if p.role is PersonRole.DATA_SUBJECT), None)
    if subject is None:
        return []
    values = [subject.full_name, *subject.aliases, subject.nhs_number or "", subject.ni_number or ""]
    return [v.strip() for v in dict.fromkeys(values) if v and v.strip()]


def code_meanings(codes: set[str]) -> list[tuple[str, str, str]]:
    """(code, meaning, law) for the key, in code order."""
    rows = []
    for code in sorted(codes):
        described = describe(code)
        rows.append((code, described.get("meaning", ""), described.get("law", "")))
    return rows
