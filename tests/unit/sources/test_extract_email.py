"""Email, mailboxes and Outlook files: typeset pages, metadata, attachments and messages as children."""

from __future__ import annotations

import email.policy
import mailbox
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from source_builders import (
    email_message,
    run_fixture,  # noqa: F401 - provides the "run" fixture
    shared_dir,
    text_pdf,
    zip_bytes,
)

from sar.sources.extract import Extraction, Limits, extract

Run = Callable[..., Extraction]


def as_bytes(message: object) -> bytes:
    return message.as_bytes(policy=email.policy.default)  # type: ignore[attr-defined, no-any-return]


def test_eml_is_typeset_with_its_headers_and_attachments_become_children(run: Run, tmp_path: Path) -> None:
    message = email_message(
        attachments=[
            ("visit.pdf", text_pdf(["Visit record"]), "application/pdf"),
            ("photos.zip", zip_bytes([("a.txt", b"note")]), "application/zip"),
        ],
        message_id="<abc@council.example>",
    )
    result = run(as_bytes(message), "message.eml")
    assert result.refusal is None
    assert (result.kind, result.media_type, result.title) == ("email", "message/rfc822", "Visit on Monday")
    assert result.document_date == datetime(2024, 3, 5, 14, 30, tzinfo=UTC)
    assert result.metadata["from"] == "Sam Patel <sam.patel@council.example>"
    assert result.metadata["cc"] == "Team Inbox <team@council.example>"
    assert result.metadata["message_id"] == "<abc@council.example>"
    text = result.pages[0].text
    for expected in (
        "From: Sam Patel <sam.patel@council.example>",
        "To: Jo Jones <jo.jones@council.example>",
        "Cc: Team Inbox <team@council.example>",
        "Date: Tue, 05 Mar 2024 14:30:00 +0000",
        "Subject: Visit on Monday",
        "I visited Kayla on Monday.",
        "visit.pdf",
    ):
        assert expected in text
    assert [(c.name, c.relation) for c in result.children] == [
        ("visit.pdf", "attachment"),
        ("photos.zip", "attachment"),
    ]
    child = extract(
        result.children[0].path,
        original_name="visit.pdf",
        workdir=result.children[0].path.parent,
        limits=Limits(),
        depth=1,
    )
    assert child.kind == "pdf" and "Visit record" in child.pages[0].text


def test_html_only_email_is_read_as_text_without_scripts_or_styles(run: Run) -> None:
    message = email_message(body="", html="")
    message.clear_content()
    message.set_content(
        "<html><head><style>p{color:red}</style><script>alert('steal')</script></head>"
        "<body><p>Meeting with <b>Kayla</b> moved.</p><img src='http://tracker.example/x.png'></body></html>",
        subtype="html",
    )
    result = run(as_bytes(message), "html.eml")
    text = result.pages[0].text
    assert "Meeting with Kayla moved." in text
    assert "alert" not in text and "color:red" not in text and "tracker" not in text


def test_attached_email_is_a_child_message_that_is_read_in_its_turn(run: Run, tmp_path: Path) -> None:
    inner = email_message(subject="Original referral", body="Referral text about Kayla")
    outer = email_message(subject="Fwd: Original referral", body="See below")
    outer.add_attachment(inner)
    result = run(as_bytes(outer), "fwd.eml")
    assert len(result.children) == 1 and result.children[0].relation == "attachment"
    attached = result.children[0]
    child = extract(attached.path, original_name=attached.name, workdir=tmp_path / "w2", limits=Limits(), depth=1)
    assert child.kind == "email" and child.title == "Original referral"
    assert "Referral text about Kayla" in child.pages[0].text


def test_mbox_yields_each_message_as_a_child(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "export.mbox"
    box = mailbox.mbox(str(path))
    for n in range(3):
        box.add(email_message(subject=f"Message {n}", body=f"Body {n}"))
    box.close()
    result = run(path.read_bytes(), "export")  # no extension: sniffed from content
    assert (result.kind, result.media_type, result.working_pdf) == ("mailbox", "application/mbox", None)
    assert [(c.name, c.relation) for c in result.children] == [(f"Message {n}", "message") for n in range(3)]
    second = extract(result.children[1].path, original_name="m", workdir=tmp_path / "w", limits=Limits(), depth=1)
    assert second.title == "Message 1" and "Body 1" in second.pages[0].text


def test_mailbox_with_more_messages_than_allowed_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    box = mailbox.mbox(str(path))
    for n in range(4):
        box.add(email_message(subject=f"Message {n}"))
    box.close()
    result = run(path.read_bytes(), "big.mbox", limits=Limits(max_children=3))
    assert result.refusal is not None and result.refusal.code == "too_many_items"
    assert result.children == []


def test_outlook_msg_samples_are_read(run: Run) -> None:
    samples = shared_dir() / "samples"
    blammo = run((samples / "test_Blammo.msg").read_bytes(), "test_Blammo.msg")
    assert (blammo.kind, blammo.media_type, blammo.title) == ("email", "application/vnd.ms-outlook", "BlammoBlammo")
    assert blammo.document_date == datetime(2007, 9, 29, 11, 2, 44, tzinfo=UTC)
    assert "TripleNickel@mapi32.net" in blammo.metadata["from"]
    assert 'From: "TripleNickel" <TripleNickel@mapi32.net>' in blammo.pages[0].text
    qwerty = run((samples / "qwerty_1-orig.msg").read_bytes(), "x")
    assert qwerty.title == "qwerty" and "To: asdf" in qwerty.pages[0].text and "Freehills" in qwerty.pages[0].text
    note = run((samples / "note.msg").read_bytes(), "note.msg")
    assert "Outlook note" in note.pages[0].text and "Just any information to store in Outlook" in note.pages[0].text
    contact = run((samples / "contact-unicode.msg").read_bytes(), "contact.msg")
    assert "Outlook contact" in contact.pages[0].text and contact.refusal is None


def test_outlook_pst_yields_its_items_as_child_messages(run: Run, tmp_path: Path) -> None:
    result = run((shared_dir() / "samples" / "dist-list.pst").read_bytes(), "export.pst")
    assert (result.kind, result.media_type) == ("mailbox", "application/vnd.ms-outlook-pst")
    assert [c.name for c in result.children] == ["Test appointment", "test dist list", "contact name 1"]
    assert {c.relation for c in result.children} == {"message"}
    pages = {}
    for child in result.children:
        read = extract(child.path, original_name=child.name, workdir=tmp_path / "w", limits=Limits(), depth=1)
        assert read.refusal is None
        pages[child.name] = read.pages[0].text
    assert (
        "Outlook calendar item" in pages["Test appointment"] and "This is a complete test" in pages["Test appointment"]
    )
    assert "Outlook contact" in pages["contact name 1"] and "Given name: contact" in pages["contact name 1"]


def test_password_protected_pst_is_refused_as_encrypted(run: Run) -> None:
    result = run((shared_dir() / "samples" / "passworded.pst").read_bytes(), "locked.pst")
    assert result.refusal is not None and result.refusal.code == "encrypted"
    assert "password" in result.refusal.message and result.children == []


def test_damaged_outlook_files_are_refused_as_corrupt(run: Run, tmp_path: Path) -> None:
    samples = shared_dir() / "samples"
    pst = (samples / "dist-list.pst").read_bytes()
    result = run(pst[:4096], "cut.pst")
    assert result.refusal is not None and result.refusal.code == "corrupt"
    msg = (samples / "test_Blammo.msg").read_bytes()
    cut = run(msg[:2048], "cut.msg")
    assert cut.refusal is not None and cut.refusal.code in ("corrupt", "unsupported")
    shutil.rmtree(tmp_path / "work", ignore_errors=True)
