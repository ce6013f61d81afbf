"""Building a signed-off case's bundle and opening it: cover letter with every Art 15 item, index, truly redacted
documents, a stand-in for the withheld page, furniture on every page, the key, bookmarks; the gate's verdict."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pikepdf
import pytest
from pypdf import PdfReader

from sar.bundle import service
from sar.bundle.models import BundleStatus
from sar.bundle.release import BundleRefused
from sar.extensions import db
from sar.review import signoff
from tests.integration.bundle.conftest import ART15, SignedOff, built_bytes, page_texts


def test_a_signed_off_case_builds_a_clean_bundle_a_reader_can_follow(signed_off: SignedOff) -> None:
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert bundle.status is BundleStatus.BUILT, bundle.gate_report
    assert bundle.gate_passed and "Clean" in bundle.gate_report
    content = built_bytes(bundle)
    texts = page_texts(content)
    assert len(texts) == bundle.page_count
    everything = " ".join(texts)

    # Cover letter: every Art 15 item the council configured, the rights, the ICO, what was withheld and why.
    for value in ART15.values():
        mark = re.search(r"[A-Z0-9]+-MARK", value)
        assert mark and mark.group(0) in everything
    for words in (
        "rectification",
        "erasure",
        "restriction",
        "objection",
        "judicial remedy",
        "TP: information about other people",
    ):
        assert words in everything
    assert "3 documents" in texts[0]

    # Index: one row per document with its page range; the withheld page is noted.
    index = next(t for t in texts if t.startswith("Index of documents"))
    entries = bundle.entries
    assert [e.position for e in entries] == [1, 2, 3]
    assert entries[2].pages_withheld == 1 and "1 page withheld" in index
    for entry in entries:
        pages = f"{entry.first_page}–{entry.last_page}" if entry.last_page > entry.first_page else str(entry.first_page)
        assert pages in index

    # Documents: Gary Pollard (TP) and "Friday" (a drawn box) are gone; the subject and the rest remain.
    assert "Gary Pollard" not in everything and "Friday" not in everything
    assert "Ayesha Khan was seen at home" in everything and "Jo Bloggs recorded the call" in everything
    report = entries[2]
    stand_in = texts[report.first_page]  # the report's second page is replaced by the stand-in
    assert "Page 2 of this document has been withheld" in stand_in and "TP" in stand_in
    assert "(page 2)" not in everything  # what was on the withheld page

    # Furniture on every page: reference, page n of N, running bundle number, who and when.
    for number, text in enumerate(texts, start=1):
        assert signed_off.case.reference in text
        assert f"Page {number} of {bundle.page_count}" in text
        assert f"Bundle no. {number:06d}" in text
        assert "Disclosed to Ayesha Khan on" in text

    # Key to the codes at the end.
    assert texts[-1].startswith("Key to the codes") and "DPA 2018 Sch 2 Pt 3 para 16" in texts[-1]

    # Bookmarks: the letter, the index, one per document (numbered as in the index), the key.
    with pikepdf.open(io.BytesIO(content)) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles[:2] == ["Letter", "Index of documents"] and titles[-1] == "Key to the codes"
    assert titles[2:-1] == [f"{e.position}. {e.title}" for e in entries]
    # Metadata scrubbed to a title.
    assert PdfReader(io.BytesIO(content)).metadata == {"/Title": "Disclosure"}


def test_a_case_that_is_not_signed_off_cannot_be_bundled(signed_off: SignedOff) -> None:
    signoff.void(signed_off.case.id, "a decision changed", by=signed_off.dpo)
    db.session.commit()
    with pytest.raises(BundleRefused, match="not been signed off"):
        service.build_bundle(signed_off.case, by=signed_off.dpo)


def test_rolling_disclosure_splits_into_parts_with_running_numbers(signed_off: SignedOff, app) -> None:  # type: ignore[no-untyped-def]
    app.config["BUNDLE_PART_PAGE_LIMIT"] = 3
    part1, part2 = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert (part1.part, part2.part, part1.parts_total) == (1, 2, 2)
    assert part1.status is BundleStatus.BUILT and part2.status is BundleStatus.BUILT, part2.gate_report
    assert [e.position for e in part1.entries] == [1, 2] and [e.position for e in part2.entries] == [3]
    # The running bundle number carries on from part 1; only part 1 carries the cover letter.
    assert part2.first_page_number == part1.page_count + 1
    first, second = page_texts(built_bytes(part1)), page_texts(built_bytes(part2))
    assert "Dear Ayesha Khan" in first[0] and "Dear Ayesha Khan" not in " ".join(second)
    assert f"Part 2 of 2 · Page 1 of {part2.page_count} · Bundle no. {part1.page_count + 1:06d}" in second[0]
    assert "Part 1 of this disclosure holds documents 1 to 2" in second[0]


def test_a_repeat_request_discloses_only_what_is_new_and_lists_what_went_before(
    signed_off: SignedOff,
    run_jobs: Callable[[], None],  # noqa: F811
) -> None:
    from sar.bundle.release import release_bundle
    from sar.review import service as review
    from sar.sources import ingest
    from tests.integration.sources.conftest import make_pdf

    [first] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    release_bundle(first, by=signed_off.dpo)
    db.session.commit()
    new = ingest.add_file(
        signed_off.case,
        "later.pdf",
        io.BytesIO(make_pdf(["A later visit to Ayesha Khan."])),
        source="upload",
        by=None,
        by_label="test",
    ).document
    assert new is not None
    run_jobs()
    case = signed_off.case
    review.accept_all_proposed(case, by=signed_off.reviewer)
    db.session.commit()
    if not signoff.is_signed_off(case):
        signoff.mark_ready(case, by=signed_off.reviewer)
        signoff.sign_off(case, by=signed_off.dpo)
        db.session.commit()
    [repeat] = service.build_bundle(case, by=signed_off.dpo, only_new=True)
    db.session.commit()
    assert repeat.status is BundleStatus.BUILT, repeat.gate_report
    assert [e.document_id for e in repeat.entries] == [new.id] and repeat.only_new
    assert repeat.first_page_number == first.page_count + 1  # the running number carries on
    texts = page_texts(built_bytes(repeat))
    index = next(t for t in texts if t.startswith("Index of documents"))
    assert "Disclosed to you before" in index and "Bundle 1, released on" in index
    assert "A later visit to Ayesha Khan" in " ".join(texts)
    assert "Ayesha Khan was seen at home" not in " ".join(texts)
    # The first release stays released; nothing new means nothing to build.
    db.session.refresh(first)
    assert first.is_released and not first.superseded
    release_bundle(repeat, by=signed_off.dpo)
    db.session.commit()
    with pytest.raises(BundleRefused, match="Nothing new"):
        service.build_bundle(case, by=signed_off.dpo, only_new=True)


def test_documents_are_redacted_in_worker_processes_when_there_are_many(
    signed_off: SignedOff,
    app,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from sar.bundle import builder

    monkeypatch.setattr(builder, "PARALLEL_FROM_PAGES", 0)
    monkeypatch.setitem(app.config, "BUNDLE_WORKERS", 2)
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert bundle.status is BundleStatus.BUILT, bundle.gate_report
    everything = " ".join(page_texts(built_bytes(bundle)))
    assert "Gary Pollard" not in everything and "Jo Bloggs recorded the call" in everything


def test_furniture_typeset_a_few_pages_at_a_time_lands_on_every_page_in_order(
    signed_off: SignedOff, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sar.bundle import builder

    monkeypatch.setattr(builder, "FURNITURE_PAGES", 2)
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert bundle.status is BundleStatus.BUILT, bundle.gate_report
    content = built_bytes(bundle)
    texts = page_texts(content)
    assert len(texts) == bundle.page_count
    assert all(f"Page {n} of {bundle.page_count}" in text for n, text in enumerate(texts, start=1))
    assert "Page 2 of this document has been withheld" in " ".join(texts)
    with pikepdf.open(io.BytesIO(content)) as pdf, pdf.open_outline() as outline:
        assert [item.title for item in outline.root][2:-1] == [f"{e.position}. {e.title}" for e in bundle.entries]


def test_a_second_build_waits_for_the_first_unless_its_job_gave_up(signed_off: SignedOff) -> None:
    from sar.jobs import Job, JobStatus

    first = service.start_build(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    with pytest.raises(BundleRefused, match="already being built"):
        service.start_build(signed_off.case, by=signed_off.dpo)
    db.session.get_one(Job, first.job_id).status = JobStatus.FAILED
    db.session.commit()
    second = service.start_build(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert first.status is BundleStatus.FAILED and second.job_id != first.job_id
