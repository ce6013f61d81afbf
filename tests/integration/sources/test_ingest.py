"""Gathered files become documents with pages and word boxes; bad files are kept with a reason; copies collapse."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from sar.auth.models import Role
from sar.cases.models import Case
from sar.extensions import db
from sar.sources import ingest, queries
from sar.sources.models import Document, DocumentGroup, DocumentPage, DocumentStatus
from sar.storage import get_store
from tests.integration.sources.conftest import LETTER, encrypted_pdf, make_pdf


def add(case: Case, name: str, content: bytes) -> Document:
    added = ingest.add_file(case, name, io.BytesIO(content), source="upload", by=None, by_label="test")
    assert added.document is not None
    return added.document


def fresh(document_id: int) -> Document:
    db.session.expire_all()
    found = db.session.get(Document, document_id)
    assert found is not None
    return found


def test_a_pdf_and_a_text_file_are_read_into_pages_with_a_box_for_every_word(
    app: Flask, case: Case, run_jobs: Callable[[], None]
) -> None:
    pdf = add(case, "letter.pdf", make_pdf(LETTER, pages=2)).id
    note = add(case, "note.txt", b"Visit by the social worker.\nAyesha was at school.\n").id
    run_jobs()

    letter = fresh(pdf)
    assert letter.status is DocumentStatus.READY
    assert letter.kind == "pdf" and letter.media_type == "application/pdf"
    assert letter.page_count == 2 and [p.number for p in letter.pages] == [1, 2]
    assert letter.working_key is not None and get_store().open(letter.working_key).startswith(b"%PDF")
    first = letter.pages[0]
    assert "child protection conference" in first.text
    words = {first.text[int(w[0]) : int(w[1])]: w[2:] for w in first.words}
    x0, y0, x1, y1 = words["Khan,"]
    # reportlab drew the first line at y=780 from the bottom of an 842-point page: 62 points from the top.
    assert 90 < x0 < x1 < 200 and 50 < y0 < y1 < 66

    text = fresh(note)
    assert text.status is DocumentStatus.READY and text.kind == "text"
    assert "Ayesha was at school." in text.pages[0].text
    assert get_store().open(text.file_key).startswith(b"Visit")  # the original is kept as sent


def test_unreadable_files_are_kept_with_the_reason_and_listed_on_the_case(
    app: Flask, case: Case, run_jobs: Callable[[], None], client_as: Callable[..., object]
) -> None:
    ids = {
        "encrypted": add(case, "locked.pdf", encrypted_pdf()).id,
        "corrupt": add(case, "broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50).id,
        "unsupported": add(case, "photo.bin", bytes(range(256)) * 4).id,
        "empty": add(case, "blank.txt", b"   \n").id,
    }
    run_jobs()

    for code, document_id in ids.items():
        document = fresh(document_id)
        assert document.status is DocumentStatus.REFUSED, code
        assert document.refusal_code == code
        assert document.refusal_message and get_store().exists(document.file_key)
    page = client_as(Role.IG_OFFICER).get(f"/cases/{case.id}")  # type: ignore[attr-defined]
    html = page.get_data(as_text=True)
    assert "Documents that cannot be read" in html
    assert "locked.pdf" in html and "protected by a password" in html


def test_a_file_too_large_to_store_is_refused_and_says_why(app: Flask, case: Case) -> None:
    app.extensions.pop("sar_file_store", None)
    app.config["MAX_STORED_FILE_BYTES"] = 1000
    added = ingest.add_file(case, "huge.pdf", io.BytesIO(b"x" * 5000), source="upload", by=None)
    assert added.document is None and added.refusal_code == "too_large"
    assert "most this service stores" in added.refusal_message


def test_exact_copies_collapse_and_are_not_read_twice(app: Flask, case: Case, run_jobs: Callable[[], None]) -> None:
    content = make_pdf(LETTER)
    first = add(case, "letter.pdf", content).id
    second = add(case, "letter (1).pdf", content).id
    run_jobs()

    copy = fresh(second)
    assert copy.status is DocumentStatus.DUPLICATE and copy.duplicate_of_id == first
    assert db.session.scalar(select(func.count()).where(DocumentPage.document_id == second)) == 0
    summary = queries.summary(case.id)
    assert (summary.gathered, summary.exact_duplicates, summary.to_review) == (2, 1, 1)


def test_near_duplicates_are_grouped_and_a_reviewer_can_undo_the_group(
    app: Flask, case: Case, run_jobs: Callable[[], None], client_as: Callable[..., object]
) -> None:
    original = add(case, "letter.pdf", make_pdf(LETTER)).id
    resaved = add(case, "letter-final.pdf", make_pdf([*LETTER, "Printed 14 March 2024"])).id
    other = add(case, "other.txt", b"A completely different record about a school transport application form.").id
    run_jobs()

    group = db.session.scalars(select(DocumentGroup).where(DocumentGroup.case_id == case.id)).one()
    assert group.kept_document_id == resaved  # the fuller version is kept
    assert [m.document_id for m in group.members] == [original]
    assert queries.summary(case.id).to_review == 2
    assert other not in queries.set_aside_ids(case.id)

    officer = client_as(Role.IG_OFFICER)
    listing = officer.get(f"/cases/{case.id}/documents").get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Undo this group" in listing
    response = officer.post(f"/cases/{case.id}/document-groups/{group.id}/undo")  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert queries.summary(case.id).to_review == 3

    # De-duplication running again does not make the undone group again.
    ingest.dedupe_case({"case_id": case.id})
    db.session.commit()
    assert queries.summary(case.id).to_review == 3
    assert db.session.scalar(select(func.count()).select_from(DocumentGroup)) == 1


def test_documents_of_another_case_are_not_reachable_through_this_one(
    app: Flask,
    make_case: Callable[..., Case],
    case: Case,
    client_as: Callable[..., object],
    run_jobs: Callable[[], None],
) -> None:
    from datetime import date

    other_case = make_case(date(2026, 11, 3))
    theirs = add(other_case, "theirs.txt", b"Another child's record").id
    run_jobs()
    officer = client_as(Role.IG_OFFICER)
    assert officer.get(f"/cases/{case.id}/documents/{theirs}").status_code == 404  # type: ignore[attr-defined]
    assert officer.get(f"/cases/{other_case.id}/documents/{theirs}").status_code == 200  # type: ignore[attr-defined]
    holder = client_as(Role.RECORD_HOLDER)
    assert holder.get(f"/cases/{other_case.id}/documents/{theirs}").status_code == 403  # type: ignore[attr-defined]
    assert holder.get(f"/cases/{other_case.id}/documents").status_code == 403  # type: ignore[attr-defined]


def test_adding_files_through_the_upload_form(app: Flask, case: Case, client_as: Callable[..., object]) -> None:
    officer = client_as(Role.IG_OFFICER)
    response = officer.post(  # type: ignore[attr-defined]
        f"/cases/{case.id}/documents/add",
        data={"files": [(io.BytesIO(make_pdf(LETTER)), "a.pdf"), (io.BytesIO(b"note text"), "b.txt")], "source": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    documents = queries.documents_of(case.id)
    assert [d.original_name for d in documents] == ["a.pdf", "b.txt"]
    assert {d.source for d in documents} == {"upload"}
    empty = officer.post(f"/cases/{case.id}/documents/add", data={}, content_type="multipart/form-data")  # type: ignore[attr-defined]
    assert empty.status_code == 422 and "Select one or more files" in empty.get_data(as_text=True)


def test_a_batch_is_de_duplicated_and_announced_once_when_its_last_document_is_read(
    app: Flask, case: Case, run_jobs: Callable[[], None]
) -> None:
    from email.message import EmailMessage

    from sar.jobs import Job
    from sar.sources.signals import pages_ready

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "sw@council.example", "team@council.example", "Visit"
    message.set_content("Visited the family at home.")
    message.add_attachment(b"Attached note about the visit.", maintype="text", subtype="plain", filename="note.txt")
    for number in range(5):
        add(case, f"record-{number}.txt", f"Contact record {number}: the family asked for a review.".encode())
    add(case, "visit.eml", message.as_bytes())
    announced: list[int] = []

    def heard(document: Document, **extra: object) -> None:
        announced.append(document.case_id)

    pages_ready.connect(heard)
    try:
        run_jobs()
    finally:
        pages_ready.disconnect(heard)

    assert queries.summary(case.id).ready == 7  # six files and the email's attachment, all read
    # One de-duplication run and one signal for later stages, after the attachment (queued last) was read.
    assert db.session.scalar(select(func.count()).where(Job.name == ingest.DEDUPE_JOB)) == 1
    assert announced == [case.id]


def test_names_outside_western_european_letters_survive_typesetting(
    app: Flask, case: Case, run_jobs: Callable[[], None]
) -> None:
    plain = add(case, "note.txt", "Visit to Zoë Brontë: café, €5 – “fine”.".encode()).id
    polish = add(case, "notatka.txt", "Wizyta: Łukasz Żółć, Şule Yılmaz, Αθηνά.".encode()).id
    run_jobs()
    assert "Zoë Brontë: café, €5 – “fine”." in fresh(plain).pages[0].text
    assert "Łukasz Żółć, Şule Yılmaz, Αθηνά." in fresh(polish).pages[0].text
