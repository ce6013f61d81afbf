"""Building a case's bundle: the service the page, the command line, the background job and the demo all call.

:func:`build_bundle` builds every part of a signed-off case now (the command line, the demo and the job run it);
:func:`start_build` queues it as a background job with a progress bar. Each part is stored, checked by the release
gate (sar.bundle.gate) and its verdict sealed; :func:`sar.bundle.release.release_bundle` is the only way out.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from sar import audit
from sar.audit import Author
from sar.auth.models import User
from sar.bundle import gate, pages
from sar.bundle.builder import BuildProblem, BuiltPart, PartSpec, build_part, cleanup
from sar.bundle.letters.context import DisclosureContext
from sar.bundle.letters.exemptions import describe
from sar.bundle.letters.models import Audience, LetterKind
from sar.bundle.letters.service import LetterRefused, audience_for, create_letter
from sar.bundle.models import Bundle, BundleEntry, BundleStatus
from sar.bundle.plan import Plan, PlannedDocument, plan_case  # noqa: F401 - plan_case for tests
from sar.bundle.queries import current_build, released_bundles
from sar.bundle.release import BundleRefused, Released, release_bundle
from sar.calendar import long_date, today
from sar.cases.models import Case, Outcome
from sar.db import utcnow
from sar.extensions import db
from sar.jobs import Job, JobStatus, enqueue, register_job, report_progress
from sar.review import is_signed_off
from sar.review.models import CaseReview
from sar.sources.models import DocumentPage
from sar.storage import get_store

__all__ = ["BundleRefused", "Released", "build_bundle", "release_bundle", "start_build"]

BUILD_JOB = "bundle.build"
DEFAULT_PART_PAGES = 2500


@dataclass(frozen=True)
class BuildOptions:
    only_new: bool = False


def _workers() -> int:
    """Processes that redact documents side by side (``BUNDLE_WORKERS``; default: every core, at most 4)."""
    configured = current_app.config.get("BUNDLE_WORKERS")
    return max(int(configured), 1) if configured else min(os.cpu_count() or 1, 4)


def _part_limit() -> int:
    return max(int(current_app.config.get("BUNDLE_PART_PAGE_LIMIT", DEFAULT_PART_PAGES) or DEFAULT_PART_PAGES), 1)


def check_buildable(case: Case) -> None:
    if not is_signed_off(case):
        raise BundleRefused(
            f"Case {case.reference} has not been signed off, so its bundle cannot be built. A second person must "
            "sign off the review first."
        )


def officer_for(case: Case, by: Author) -> User:
    """Who the cover letter is from: the person building, else the case owner, else whoever signed off."""
    if isinstance(by, User):
        return by
    if case.owner is not None:
        return case.owner
    review = db.session.get(CaseReview, case.id)
    if review is not None and review.signed_off_by is not None:
        return review.signed_off_by
    raise BundleRefused(f"Case {case.reference} has no owner to sign the cover letter. Assign an owner first.")


def split_parts(documents: list[PlannedDocument], limit: int) -> list[list[PlannedDocument]]:
    """Rolling disclosure: consecutive documents grouped so each part stays under ``limit`` pages (a document
    longer than the limit makes a part of its own)."""
    parts: list[list[PlannedDocument]] = [[]]
    size = 0
    for document in documents:
        if parts[-1] and size + document.output_pages > limit:
            parts.append([])
            size = 0
        parts[-1].append(document)
        size += document.output_pages
    return parts


def _supersede(case: Case) -> int:
    """Mark the case's unreleased builds superseded; returns the next build number."""
    for row in db.session.scalars(
        select(Bundle).where(Bundle.case_id == case.id, Bundle.status != BundleStatus.RELEASED, ~Bundle.superseded)
    ):
        row.superseded = True
    latest = db.session.scalar(select(func.max(Bundle.build_number)).where(Bundle.case_id == case.id))
    return (latest or 0) + 1


def _earlier_lines(case: Case) -> tuple[list[str], set[int], int]:
    """What was released before: lines for the index, the documents it held, and its last running page number."""
    lines: list[str] = []
    documents: set[int] = set()
    last_number = 0
    for bundle in released_bundles(case):
        when = long_date(bundle.released_at.date()) if bundle.released_at else ""
        titles = [entry.title for entry in bundle.entries]
        lines.append(
            f"{bundle.title}, released on {when}: {len(titles)} document{'s' if len(titles) != 1 else ''} "
            f"({'; '.join(titles[:20])}{'; …' if len(titles) > 20 else ''})."
        )
        documents.update(entry.document_id for entry in bundle.entries if entry.document_id)
        last_number = max(last_number, bundle.last_page_number)
    return lines, documents, last_number


def _cover_letter(case: Case, plan: Plan, officer: User, by: Author, on: date) -> Any:
    ncnd = case.outcome is Outcome.NCND
    context = DisclosureContext(
        teams_searched=plan.teams,
        systems_searched=plan.systems,
        withheld=[] if ncnd else [describe(code) for code in sorted(plan.codes)],
        ncnd=ncnd,
        outcome=case.outcome.label if case.outcome else "",
        documents=len(plan.documents),
        pages=sum(d.output_pages for d in plan.documents),
        how_sent="an encrypted PDF file",
    )
    try:
        return create_letter(case, LetterKind.DISCLOSURE_COVER, {}, by=officer, on=on, disclosure=context, author=by)
    except LetterRefused as refused:
        raise BundleRefused(f"The cover letter cannot be written: {refused.message}") from refused


def _disclosed_texts(documents: list[PlannedDocument]) -> Iterator[str]:
    """The stored text of each disclosed page with its redacted words blanked: where must-keep strings are sought."""
    by_id = {d.document_id: d for d in documents if not d.withheld_code}
    if not by_id:
        return
    rows = db.session.execute(
        select(DocumentPage.document_id, DocumentPage.number, DocumentPage.text).where(
            DocumentPage.document_id.in_(list(by_id))
        )
    )
    for document_id, number, text in rows:
        document = by_id[document_id]
        if number in document.withheld_pages or number - 1 in document.view_boxes:
            continue
        chars = list(text)
        for item in document.redactions.get(number - 1, []):
            start, end = getattr(item, "start", 0), getattr(item, "end", 0)
            chars[start:end] = " " * max(end - start, 0)
        yield "".join(chars)


def _intro(case: Case, part: int, parts: int, audience: str) -> list[str]:
    child = audience == Audience.CHILD.value
    lines = [
        "This list shows every document in this bundle, in date order, and the pages where you will find it."
        if not child
        else "This list shows every document in this bundle and the page where it starts."
    ]
    if parts > 1:
        lines.append(f"Your records are in {parts} parts because there are a lot of them. This is part {part}.")
    return lines


def build_bundle(
    case: Case,
    *,
    by: Author,
    on: date | None = None,
    only_new: bool = False,
    placeholder: Bundle | None = None,
) -> list[Bundle]:
    """Build, store and gate every part of the case's bundle now; returns the parts (each built, gate-failed or
    failed). Raises :class:`BundleRefused` when the case cannot be bundled at all (not signed off, nothing new)."""
    check_buildable(case)
    on = on or today()
    officer = officer_for(case, by)
    build_number = _supersede(case)
    earlier, disclosed_before, last_number = _earlier_lines(case) if only_new else ([], set(), 0)
    plan = plan_case(case, exclude=disclosed_before)
    if only_new and not plan.documents:
        raise BundleRefused("Nothing new has been gathered since the last disclosure, so there is nothing to build.")
    audience = audience_for(case).value
    requester = case.requester or case.subject
    disclosed_to = requester.full_name if requester is not None else "the requester"
    parts = split_parts(plan.documents, _part_limit())
    letter = _cover_letter(case, plan, officer, by, on)
    key_rows = [pages.KeyRow(code, describe(code)["meaning"], describe(code)["law"]) for code in sorted(plan.codes)]
    rows: list[Bundle] = []
    for number in range(1, len(parts) + 1):
        row = placeholder if (placeholder is not None and number == 1) else Bundle(case_id=case.id)
        row.build_number, row.part, row.parts_total = build_number, number, len(parts)
        row.status, row.superseded, row.only_new, row.audience = BundleStatus.BUILDING, False, only_new, audience
        row.disclosed_to, row.disclosed_on, row.cover_letter_id = disclosed_to, on, letter.id
        row.started_at = utcnow()
        row.built_by_id, row.built_by_label = audit.author_fields(by)
        if row.id is None:
            db.session.add(row)
        db.session.flush()
        rows.append(row)
    audit.record_on(
        rows[0],
        "bundle.build_started",
        f"Bundle {build_number} build started ({len(plan.documents)} documents, {len(parts)} part(s))",
        after={"parts": len(parts), "documents": len(plan.documents), "only_new": only_new},
        by=by,
    )
    next_number = last_number + 1
    index_number = 1
    with tempfile.TemporaryDirectory(prefix="sar-bundle-") as tmp:
        cover_path = Path(tmp) / "cover.pdf"
        letter.copy_file_to(cover_path)
        for row, documents in zip(rows, parts, strict=True):
            spec = PartSpec(
                reference=case.reference,
                disclosed_to=disclosed_to,
                disclosed_on=on,
                part=row.part,
                parts_total=row.parts_total,
                first_bundle_number=next_number,
                first_index_number=index_number,
                documents=documents,
                key_rows=key_rows,
                cover=cover_path if row.part == 1 else None,
                earlier=earlier + _earlier_parts(rows, parts, row.part),
                introduction=_intro(case, row.part, len(parts), audience),
            )
            _build_one(row, spec, plan, Path(tmp), by)
            next_number += max(row.page_count, 0)
            index_number += len(documents)
    from sar.cases import status

    status.refresh(case, reason=f"Bundle {build_number} built", by=by)
    return rows


def _earlier_parts(rows: list[Bundle], parts: list[list[PlannedDocument]], part: int) -> list[str]:
    lines = []
    first = 1
    for number, documents in enumerate(parts, start=1):
        last = first + len(documents) - 1
        if number != part and len(parts) > 1:
            lines.append(f"Part {number} of this disclosure holds documents {first} to {last}.")
        first = last + 1
    return lines


def _build_one(row: Bundle, spec: PartSpec, plan: Plan, tmp: Path, by: Author) -> None:
    workdir = tmp / f"part-{row.part}"
    workdir.mkdir()
    out = tmp / f"bundle-{row.part}.pdf"
    total_steps = len(spec.documents) + 3

    def progress(done: int, total: int, message: str) -> None:
        prefix = f"Part {row.part} of {row.parts_total}: " if row.parts_total > 1 else ""
        report_progress(done, total_steps, prefix + message)

    try:
        built = build_part(spec, out, workdir, _fetch, progress, workers=_workers())
    except BuildProblem as problem:
        row.status, row.error = BundleStatus.FAILED, str(problem)
        db.session.flush()
        audit.record_on(row, "bundle.build_failed", f"{row.title} could not be built: {problem}", by=by)
        return
    finally:
        cleanup(workdir)
    _record_built(row, built, plan)
    progress(len(spec.documents) + 2, total_steps, f"Checking {built.page_count} pages before release")
    furniture = built.furniture.lines(1) if built.furniture else ()
    keep = gate.must_keep_strings(plan.must_keep_candidates, furniture, _disclosed_texts(list(spec.documents)))
    result = gate.run_gate(
        out,
        forbidden=sorted(plan.forbidden),
        must_keep=keep,
        document_pages=built.document_pages,
        scanned_pages=built.scanned_pages,
    )
    with out.open("rb") as handle:
        stored = get_store().put(handle)
    out.unlink()
    row.built_key, row.built_size = stored.key, stored.size
    row.gate_passed, row.gate_report, row.gate_checked_at = result.passed, result.report, utcnow()
    row.gate_sha256 = result.sha256
    row.gate_seal = gate.seal(row.id, result.sha256, result.passed)
    row.forbidden_count, row.must_keep_count = result.forbidden, result.must_keep
    row.status = BundleStatus.BUILT if result.passed else BundleStatus.GATE_FAILED
    db.session.flush()
    audit.record_on(
        row,
        "bundle.built",
        f"{row.title} built: {row.page_count} pages, {row.document_count} documents",
        after={"file_key": stored.key, "pages": row.page_count, "documents": row.document_count},
        by=by,
    )
    audit.record_on(
        row,
        "bundle.gate_checked",
        f"Release check {'passed' if result.passed else 'FAILED'} for {row.title}",
        after={
            "passed": result.passed,
            "sha256": result.sha256,
            "forbidden": result.forbidden,
            "must_keep": result.must_keep,
            "report": result.report[:2000],
        },
        by=by,
    )
    progress(total_steps, total_steps, "Built and checked" if result.passed else "Built, but it failed the check")


def _fetch(key: str, path: Path) -> None:
    get_store().copy_to_path(key, path)


def _record_built(row: Bundle, built: BuiltPart, plan: Plan) -> None:
    row.page_count = built.page_count
    row.document_count = len(built.entries)
    row.first_page_number = built.furniture.first_bundle_number if built.furniture else 1
    row.redaction_count = sum(e.redactions for e in built.entries)
    row.withheld_page_count = sum(e.pages_withheld for e in built.entries)
    ids = {e.document_id for e in built.entries}
    row.codes = sorted({c for d in plan.documents if d.document_id in ids for c in d.codes})
    row.built_at = utcnow()
    row.entries = [
        BundleEntry(
            document_id=e.document_id,
            position=e.number,
            title=e.title[:500],
            document_date=e.day,
            source=e.source[:200],
            first_page=e.first_page,
            last_page=e.last_page,
            pages=e.pages,
            pages_withheld=e.pages_withheld,
            redactions=e.redactions,
            withheld_code=e.withheld_code,
        )
        for e in built.entries
    ]


# ------------------------------------------------------------------------------------------ in the background


def start_build(case: Case, *, by: User, only_new: bool = False) -> Bundle:
    """Queue a build; the placeholder row (status building, with the job's id) is what the page shows meanwhile."""
    check_buildable(case)
    for row in current_build(case):
        if row.status is not BundleStatus.BUILDING or row.superseded:
            continue
        job = job_of(row)
        if job is not None and job.status is JobStatus.FAILED:
            # The job gave up (its error is on the progress page): the build it was making will never finish.
            row.status, row.error = BundleStatus.FAILED, "The build stopped with an error and was not finished."
            continue
        raise BundleRefused("A bundle is already being built for this case. Wait for it to finish.")
    placeholder = Bundle(case_id=case.id, build_number=0, status=BundleStatus.BUILDING, only_new=only_new)
    placeholder.built_by_id, placeholder.built_by_label = audit.author_fields(by)
    db.session.add(placeholder)
    db.session.flush()
    job = enqueue(BUILD_JOB, {"case_id": case.id, "bundle_id": placeholder.id, "user_id": by.id, "only_new": only_new})
    placeholder.job_id = job.id
    audit.record_on(
        placeholder, "bundle.build_queued", "Bundle build queued", after={"job_id": job.id, "only_new": only_new}, by=by
    )
    return placeholder


def run_build_job(payload: dict[str, Any]) -> None:
    case = db.session.get(Case, int(payload["case_id"]))
    placeholder = db.session.get(Bundle, int(payload["bundle_id"]))
    user = db.session.get(User, int(payload["user_id"]))
    if case is None or placeholder is None or user is None or placeholder.status is not BundleStatus.BUILDING:
        return  # the case or the request is gone, or an earlier run finished it
    try:
        build_bundle(case, by=user, only_new=bool(payload.get("only_new")), placeholder=placeholder)
    except BundleRefused as refused:
        placeholder.status, placeholder.error = BundleStatus.FAILED, refused.message
        placeholder.superseded = False
        db.session.flush()
        audit.record_on(placeholder, "bundle.build_failed", f"Bundle build refused: {refused.message}", by=user)


def job_of(bundle: Bundle) -> Job | None:
    return db.session.get(Job, bundle.job_id) if bundle.job_id else None


register_job(BUILD_JOB, run_build_job)
