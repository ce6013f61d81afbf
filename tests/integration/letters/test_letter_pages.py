"""The letter pages: writing, reading, downloading and sending letters; editing templates; who may do what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import func, select
from support import Inbox, audit_events, error_summary, get_page, response_text, running_smtp, text_of

from sar import mail
from sar.auth.models import Role
from sar.bundle.letters import service
from sar.bundle.letters.forms import preview_digest
from sar.bundle.letters.models import Audience, Letter, LetterKind, LetterStatus, LetterTemplate
from sar.cases.models import Right
from sar.extensions import db

# --- writing, reading and downloading ----------------------------------------------------------------------


def test_an_officer_writes_a_letter_from_the_case_page(letter_case, officer_client, officer, read_pdf) -> None:
    case = letter_case(date(2026, 3, 2))
    case_page = get_page(officer_client, f"/cases/{case.id}")
    assert "No letters have been written on this case yet." in text_of(case_page.select_one("main"))
    assert case_page.find("a", href=f"/cases/{case.id}/letters/new") is not None

    chooser = officer_client.get(f"/cases/{case.id}/letters/new")
    assert chooser.status_code == 200 and "Request for clarification" in response_text(chooser)
    empty = officer_client.post(f"/cases/{case.id}/letters/new", data={"step": "kind"})
    assert empty.status_code == 422 and "Select which letter to write" in error_summary(empty)
    chosen = officer_client.post(f"/cases/{case.id}/letters/new", data={"step": "kind", "kind": "clarification"})
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("kind=clarification")
    form = officer_client.get(chosen.headers["Location"])
    assert "What do you need the requester to tell you?" in response_text(form)
    missing = officer_client.post(f"/cases/{case.id}/letters/new?kind=clarification", data={"kind": "clarification"})
    assert missing.status_code == 422 and "Enter what you need the requester to tell you" in error_summary(missing)

    written = officer_client.post(
        f"/cases/{case.id}/letters/new?kind=clarification",
        data={"kind": "clarification", "questions": "- Which placements do you remember?"},
    )

    assert written.status_code == 302
    letter = db.session.scalars(select(Letter)).one()
    shown = officer_client.get(written.headers["Location"])
    assert "Which placements do you remember?" in response_text(shown) and "pauses the clock" in response_text(shown)
    assert audit_events("letter.viewed")[0].actor_id == officer.id
    panel = response_text(officer_client.get(f"/cases/{case.id}"))
    assert "Request for clarification" in panel and "Not sent yet" in panel and "Template version 1" in panel
    download = officer_client.get(f"/cases/{case.id}/letters/{letter.id}/letter.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "Which placements do you remember?" in read_pdf(download.data)
    assert [(e.actor_id, e.case_id) for e in audit_events("letter.downloaded")] == [(officer.id, case.id)]


def test_a_letter_id_from_another_case_is_not_found(letter_case, officer_client, officer) -> None:
    mine, other = letter_case(date(2026, 3, 2)), letter_case(date(2026, 3, 3))
    letter = service.create_letter(other, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    db.session.commit()

    assert officer_client.get(f"/cases/{mine.id}/letters/{letter.id}").status_code == 404
    assert officer_client.get(f"/cases/{mine.id}/letters/{letter.id}/letter.pdf").status_code == 404
    assert officer_client.post(f"/cases/{mine.id}/letters/{letter.id}/posted").status_code == 404


def test_the_letter_style_is_chosen_on_the_case(letter_case, officer_client) -> None:
    case = letter_case(date(2026, 3, 2))

    response = officer_client.post(f"/cases/{case.id}/letters/style", data={"letters-style-audience": "child"})

    assert response.status_code == 302
    assert service.audience_for(case) is Audience.CHILD
    assert "plain language for a child or young person" in response_text(officer_client.get(f"/cases/{case.id}"))
    assert audit_events("letters.style_chosen")[0].after == {"audience": "child"}


def test_marking_a_letter_posted(letter_case, officer_client, officer) -> None:
    case = letter_case(date(2026, 3, 2))
    letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    db.session.commit()

    response = officer_client.post(f"/cases/{case.id}/letters/{letter.id}/posted")

    assert response.status_code == 302
    db.session.refresh(letter)
    assert (letter.status, letter.sent_on, letter.sent_by_id) == (LetterStatus.POSTED, date(2026, 3, 16), officer.id)
    again = officer_client.post(f"/cases/{case.id}/letters/{letter.id}/posted")
    assert again.status_code == 422 and "already printed for post" in error_summary(again)


# --- email through the outbox, to a real SMTP server --------------------------------------------------------


@pytest.fixture
def smtp(app: Flask) -> Iterator[Inbox]:
    with running_smtp(app) as inbox:
        yield inbox


def test_a_letter_is_emailed_as_a_pdf_attachment_through_the_outbox(
    letter_case, officer_client, officer, smtp: Inbox, read_pdf
) -> None:
    case = letter_case(date(2026, 3, 2))
    letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    db.session.commit()
    page = officer_client.get(f"/cases/{case.id}/letters/{letter.id}")
    assert "alex.morgan@example.org" in response_text(page)

    wrong = officer_client.post(f"/cases/{case.id}/letters/{letter.id}/email", data={"to_address": "evil@x.example"})
    assert wrong.status_code == 422 and db.session.scalar(select(func.count()).select_from(mail.OutboxMessage)) == 0
    sent = officer_client.post(
        f"/cases/{case.id}/letters/{letter.id}/email", data={"to_address": "alex.morgan@example.org"}
    )
    assert sent.status_code == 302
    report = mail.deliver_pending(commit=db.session.commit)

    assert (report.sent, report.failed) == (1, 0)
    [message] = smtp.messages
    assert message["To"] == "alex.morgan@example.org" and case.reference in str(message["Subject"])
    body, attachment = [part for part in message.walk() if not part.is_multipart()]
    assert case.reference in body.get_payload(decode=True).decode()
    assert "Alex" not in body.get_payload(decode=True).decode()  # names stay in the attachment, not the email
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == letter.original_name
    assert "We will respond by 2 April 2026" in read_pdf(attachment.get_payload(decode=True))
    db.session.refresh(letter)
    assert letter.status is LetterStatus.EMAILED and letter.sent_to == "alex.morgan@example.org"
    assert audit_events("letter.emailed")[0].actor_id == officer.id


def test_a_case_without_an_email_address_can_only_post(letter_case, officer_client, officer) -> None:
    case = letter_case(date(2026, 3, 2), email="")
    letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    db.session.commit()

    page = response_text(officer_client.get(f"/cases/{case.id}/letters/{letter.id}"))

    assert "No email address is recorded for the requester" in page and "Mark as printed for post" in page


# --- templates: preview, versions, sandbox -----------------------------------------------------------------


def _edit(client, template_id: int, *, subject: str, body: str, reference: str, save: bool = False, digest=None):
    data = {"subject": subject, "body": body, "preview_reference": reference, "note": "Warmer opening"}
    data["save" if save else "preview"] = "1"
    if digest is not None:
        data["previewed"] = digest
    return client.post(f"/letters/templates/{template_id}/edit", data=data)


def test_dpo_previews_with_a_real_case_then_saves_a_new_version(
    letter_case, dpo_client, dpo, officer, read_pdf
) -> None:
    case = letter_case(date(2026, 3, 2))
    old_letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    v1 = service.current_template(LetterKind.ACKNOWLEDGEMENT, Audience.ADULT)
    db.session.commit()
    subject = "We have your request – {{ case.reference }}"
    body = "Hello {{ requester.first_name }},\n\nYour request {{ case.reference }} is due by {{ case.due_date }}.\n"

    unpreviewed = _edit(dpo_client, v1.id, subject=subject, body=body, reference=case.reference, save=True)
    assert unpreviewed.status_code == 422 and "Preview the changed text with a case before saving it" in error_summary(
        unpreviewed
    )
    no_case = _edit(dpo_client, v1.id, subject=subject, body=body, reference="SAR-1999-99999")
    assert no_case.status_code == 422 and "There is no case with the reference SAR-1999-99999" in error_summary(no_case)

    preview = _edit(dpo_client, v1.id, subject=subject, body=body, reference=case.reference.lower())
    assert preview.status_code == 200
    assert f"Hello Alex, Your request {case.reference} is due by 2 April 2026." in response_text(preview)
    assert "Save as a new version" in response_text(preview)
    assert audit_events("letter_template.previewed")[0].case_id == case.id
    assert db.session.scalar(select(func.count()).select_from(LetterTemplate)) == 1  # a preview saves nothing

    saved = _edit(
        dpo_client,
        v1.id,
        subject=subject,
        body=body,
        reference=case.reference,
        save=True,
        digest=preview_digest(subject, body, case.reference),
    )
    assert saved.status_code == 302

    v2 = service.current_template(LetterKind.ACKNOWLEDGEMENT, Audience.ADULT)
    assert (v2.version, v2.created_by_id, v2.note) == (2, dpo.id, "Warmer opening")
    db.session.refresh(v1)
    assert v1.version == 1 and "Thank you for your request" in v1.body  # the old version is never changed
    new_letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    assert new_letter.template_id == v2.id and old_letter.template_id == v1.id
    assert "Hello Alex" in read_pdf(get_pdf(new_letter)) and "Hello Alex" not in read_pdf(get_pdf(old_letter))
    old_page = response_text(dpo_client.get(f"/letters/templates/{v1.id}"))
    assert "Old version" in old_page and "Thank you for your request" in old_page and "Version 2" in old_page
    saved_event = audit_events("letter_template.saved")[0]
    assert saved_event.actor_id == dpo.id and saved_event.before["version"] == 1 and saved_event.after["version"] == 2


def get_pdf(letter: Letter) -> bytes:
    from sar.storage import get_store

    return get_store().open(letter.file_key)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ ''.__class__.__mro__ }}", "tries to reach something letters are not allowed to use"),
        ("{{ config }}", "uses a placeholder that does not exist"),
        ("{% include '/etc/passwd' %}", "Letters cannot include, import or extend other files"),
        ("{{ cycler.__init__.__globals__ }}", "tries to reach something letters are not allowed to use"),
        ("Dear {{ requester.name }\n", "has a mistake on line 1"),
        ("{% if case.extended %}\nExtended.\n", "every {% if %} has an {% endif %}"),
    ],
)
def test_template_problems_are_shown_on_the_form_in_plain_words(letter_case, dpo_client, body, expected) -> None:
    case = letter_case(date(2026, 3, 2))
    template = service.current_template(LetterKind.ACKNOWLEDGEMENT, Audience.ADULT)
    db.session.commit()

    preview = _edit(dpo_client, template.id, subject="Subject", body=body, reference=case.reference)
    save = _edit(
        dpo_client,
        template.id,
        subject="Subject",
        body=body,
        reference=case.reference,
        save=True,
        digest=preview_digest("Subject", body, case.reference),
    )

    assert preview.status_code == 200 and expected in error_summary(preview)
    assert save.status_code == 422 and expected in error_summary(save)
    assert "SECRET_KEY" not in preview.get_data(as_text=True) and "root:" not in preview.get_data(as_text=True)
    assert service.current_template(LetterKind.ACKNOWLEDGEMENT, Audience.ADULT).version == 1


def test_templates_list_has_every_kind_in_both_styles(dpo_client) -> None:
    text = response_text(dpo_client.get("/letters/templates"))

    for kind in LetterKind:
        assert kind.label in text
    assert text.count("Plain language for a child or young person") == len(LetterKind)


# --- the Art 15 information --------------------------------------------------------------------------------


def test_dpo_edits_the_art15_information(dpo_client, dpo, art15) -> None:
    form = get_page(dpo_client, "/letters/supplementary-information/edit")
    assert any("PURPOSE-MARK" in box.get_text() for box in form.select("textarea"))
    blank = dpo_client.post("/letters/supplementary-information/edit", data={**art15, "retention": " "})
    assert blank.status_code == 422 and "Enter how long we keep it (retention)" in error_summary(blank)

    changed = {**art15, "retention": "Seventy-five years"}
    saved = dpo_client.post("/letters/supplementary-information/edit", data=changed)

    assert saved.status_code == 302
    assert service.supplementary().retention == "Seventy-five years"  # type: ignore[union-attr]
    event = audit_events("art15_information.updated")[-1]
    assert event.actor_id == dpo.id and "How long we keep it (retention)" in event.summary
    assert event.before["retention"] == art15["retention"]
    assert "Seventy-five years" in response_text(dpo_client.get("/letters/supplementary-information"))


# --- roles -------------------------------------------------------------------------------------------------


def _letter_routes(app: Flask, case_id: int, letter_id: int, template_id: int) -> list[tuple[str, str]]:
    values = {"case_id": case_id, "letter_id": letter_id, "template_id": template_id}
    found = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("letters."):
                url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
                found += [(method, url) for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})]
    return found


def test_who_may_do_what(app, letter_case, officer, client_as) -> None:
    case = letter_case(date(2026, 3, 2))
    letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    template = service.current_template(LetterKind.ACKNOWLEDGEMENT, Audience.ADULT)
    db.session.commit()
    routes = _letter_routes(app, case.id, letter.id, template.id)
    assert len(routes) >= 12

    record_holder = client_as(Role.RECORD_HOLDER)
    assert [(m, u) for m, u in routes if record_holder.open(u, method=m).status_code != 403] == []
    admin = client_as(Role.ADMIN)
    assert [(m, u) for m, u in routes if admin.open(u, method=m).status_code != 403] == []

    auditor = client_as(Role.AUDITOR)
    writes = [(m, u) for m, u in routes if m == "POST" or u.endswith("/edit") or u.endswith("/new")]
    assert [(m, u) for m, u in writes if auditor.open(u, method=m).status_code != 403] == []
    reads = [u for m, u in routes if (m, u) not in writes]
    assert {u: auditor.get(u).status_code for u in reads} == dict.fromkeys(reads, 200)

    officer_client = client_as(user=officer)
    for url in (f"/letters/templates/{template.id}/edit", "/letters/supplementary-information/edit"):
        assert officer_client.get(url).status_code == 403
        assert officer_client.post(url).status_code == 403
    assert officer_client.get(f"/cases/{case.id}/letters/new").status_code == 200


def test_the_chooser_says_which_letters_cannot_be_written_and_why(letter_case, officer_client, art15) -> None:
    case = letter_case(date(2026, 2, 2), rights=(Right.ERASURE,))  # notice deadline 2 March; today 16 March

    page = BeautifulSoup(officer_client.get(f"/cases/{case.id}/letters/new").data, "html.parser")

    offered = {radio["value"] for radio in page.find_all("input", {"name": "kind"})}
    assert "extension" not in offered and "clarification" not in offered and "acknowledgement" in offered
    text = page.get_text(" ", strip=True)
    assert "Not available on this case" in text
    assert "The extension notice had to be sent by 2 March 2026" in text
    assert "The clock can only be paused for clarification" in text
    forced = officer_client.post(
        f"/cases/{case.id}/letters/new?kind=extension", data={"kind": "extension", "reasons": "Complex"}
    )
    assert forced.status_code == 422  # the server refuses what the page does not offer
