"""The review pages over HTTP: plain forms that work without JavaScript, role checks, audited reads, the CLI."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sar.audit import AuditEvent
from sar.auth.models import Role, User
from sar.extensions import db
from sar.review import is_signed_off
from sar.review.models import Exemption, Outcome
from tests.conftest import sign_in_as
from tests.integration.review.conftest import ReviewCase


def _page_url(reviewed: ReviewCase, number: int = 1) -> str:
    return f"/cases/{reviewed.case.id}/review/documents/{reviewed.letter.id}/pages/{number}"


def test_the_review_page_shows_the_image_boxes_findings_and_a_text_view(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient]
) -> None:
    client = client_as(Role.IG_OFFICER)
    page = client.get(_page_url(reviewed))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    gary = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    assert f'id="finding-{gary.id}"' in html
    assert 'loading="lazy"' in html and '/pages/1.png"' in html
    assert f'data-finding="{gary.id}"' in html and "sar-box--pending" in html
    assert "TP – Third-party information" in html  # the code is shown with its name
    assert "neighbour" in html  # the explanation
    assert 'class="sar-text-view"' in html and "Gary Pollard" in html

    image = client.get(_page_url(reviewed) + ".png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")
    again = client.get(_page_url(reviewed) + ".png")
    assert again.data == image.data  # from the cache
    reads = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "case.viewed")).all()
    assert any("image of document" in summary for summary in reads)


def test_accept_reject_and_change_exemption_work_as_plain_forms(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient]
) -> None:
    client = client_as(Role.IG_OFFICER)
    gary = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    ayesha = reviewed.findings("Ayesha Khan", reviewed.letter)[0]
    url = f"/cases/{reviewed.case.id}/review/findings/{gary.id}"
    response = client.post(url, data={"action": "accept"})
    assert response.status_code == 302 and "#finding-" in response.location
    assert reviewed.findings("Gary Pollard", reviewed.letter)[0].outcome is Outcome.REDACT
    client.post(f"/cases/{reviewed.case.id}/review/findings/{ayesha.id}", data={"action": "reject"})
    assert reviewed.findings("Ayesha Khan", reviewed.letter)[0].outcome is Outcome.REDACT
    client.post(url, data={"action": "exemption", "code": "CRIME", "reason": "Police enquiry"})
    changed = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    assert (changed.outcome, changed.code, changed.reason) == (Outcome.REDACT, "CRIME", "Police enquiry")
    refused = client.post(url, data={"action": "exemption", "code": "NOPE"})
    # The page again, answered 422, with one error summary linking to this finding's exemption.
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "NOPE is not an exemption" in html
    assert html.count("govuk-error-summary__title") == 1 and f'href="#code-{gary.id}"' in html


def test_adding_a_redaction_by_words_or_by_a_box_withholding_and_flagging(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient]
) -> None:
    client = client_as(Role.IG_OFFICER)
    base = _page_url(reviewed)
    client.post(base + "/redact", data={"kind": "text", "search": "late at night", "code": "TP"})
    [words] = reviewed.findings("late at night")
    assert words.outcome is Outcome.REDACT and words.boxes
    client.post(
        base + "/redact", data={"kind": "box", "x0": "300", "y0": "100", "x1": "400", "y1": "130", "code": "SW-SH"}
    )
    area = [f for f in reviewed.findings(document=reviewed.letter) if f.origin.value == "box"]
    assert len(area) == 1 and area[0].boxes == [[300.0, 100.0, 400.0, 130.0]]
    missing = client.post(base + "/redact", data={"kind": "text", "search": "elephant", "code": "TP"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "does not appear on page 1" in html and 'href="#search"' in html
    assert 'value="elephant"' in html  # what was typed is kept
    corners = client.post(base + "/redact", data={"kind": "box", "x0": "left", "y0": "1", "x1": "2", "y1": "3"})
    assert corners.status_code == 422 and 'href="#box-x0"' in corners.get_data(as_text=True)

    client.post(base + "/withhold", data={"code": "LPP", "reason": "Legal advice"})
    assert "withheld under" in client.get(base).get_data(as_text=True)
    client.post(
        f"/cases/{reviewed.case.id}/review/documents/{reviewed.note.id}/flag",
        data={"flag": "not_relevant", "reason": "About another family"},
    )
    overview = client.get(f"/cases/{reviewed.case.id}/review").get_data(as_text=True)
    assert "Not relevant" in overview and "Pages withheld" in overview


def test_apply_to_every_mention_shows_the_count_before_changing_anything_then_undo(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient]
) -> None:
    client = client_as(Role.IG_OFFICER)
    preview = client.get(f"/cases/{reviewed.case.id}/review/apply?person=P1&outcome=redact")
    assert preview.status_code == 200
    assert "<strong>2</strong> mentions in 2 documents" in preview.get_data(as_text=True)
    assert {f.outcome for f in reviewed.findings("Gary Pollard")} == {Outcome.PENDING}
    done = client.post(
        f"/cases/{reviewed.case.id}/review/apply",
        data={"person": "P1", "outcome": "redact", "confirm": "1", "code": "TP"},
    )
    assert done.status_code == 302
    assert {f.outcome for f in reviewed.findings("Gary Pollard")} == {Outcome.REDACT}
    refused = client.post(
        f"/cases/{reviewed.case.id}/review/apply",
        data={"text": "Jo Bloggs", "outcome": "redact", "confirm": "1", "code": "NOPE"},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "NOPE is not an exemption" in html and 'href="#code"' in html
    assert 'id="apply-count"' in html  # the count is shown again with the refusal
    batch_id = done.location.rsplit("#batch-", 1)[1]
    client.post(f"/cases/{reviewed.case.id}/review/batches/{batch_id}/undo")
    assert {f.outcome for f in reviewed.findings("Gary Pollard")} == {Outcome.PENDING}


def test_sign_off_over_http_enforces_the_second_person(
    reviewed: ReviewCase, make_user: Callable[..., User], app: Flask
) -> None:
    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    as_reviewer, as_dpo = sign_in_as(app.test_client(), reviewer), sign_in_as(app.test_client(), dpo)
    url = f"/cases/{reviewed.case.id}/review/sign-off"
    refused = as_reviewer.post(url, data={"step": "ready"})
    assert refused.status_code == 422 and "findings need a decision" in refused.get_data(as_text=True)
    app.test_cli_runner().invoke(args=["review", "accept-proposed", reviewed.case.reference, "--as", reviewer.email])
    as_reviewer.post(url, data={"step": "ready"})
    own = as_reviewer.post(url, data={"step": "sign_off"})
    assert own.status_code == 422 and "a second person must sign it off" in own.get_data(as_text=True)
    empty = as_dpo.post(url, data={"step": "return", "comments": " "})
    assert empty.status_code == 422 and 'href="#comments"' in empty.get_data(as_text=True)
    assert not is_signed_off(reviewed.case)
    as_dpo.post(url, data={"step": "return", "comments": "Check page 1 again"})
    page = as_reviewer.get(f"/cases/{reviewed.case.id}/review").get_data(as_text=True)
    assert "Returned with comments: Check page 1 again" in page
    as_reviewer.post(url, data={"step": "ready"})
    as_dpo.post(url, data={"step": "sign_off"})
    db.session.expire_all()
    assert is_signed_off(reviewed.case)


def test_a_record_holder_reaches_no_review_page_or_image(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient]
) -> None:
    holder = client_as(Role.RECORD_HOLDER)
    finding = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    case_id = reviewed.case.id
    for url in (
        f"/cases/{case_id}/review",
        _page_url(reviewed),
        _page_url(reviewed) + ".png",
        f"/cases/{case_id}/review/consistency",
        f"/cases/{case_id}/review/consultations",
        f"/cases/{case_id}/review/schedule.csv",
        f"/cases/{case_id}/review/apply?person=P1",
    ):
        assert holder.get(url).status_code == 403, url
    assert holder.post(f"/cases/{case_id}/review/findings/{finding.id}", data={"action": "keep"}).status_code == 403
    assert holder.post(f"/cases/{case_id}/review/sign-off", data={"step": "ready"}).status_code == 403
    assert reviewed.findings("Gary Pollard", reviewed.letter)[0].outcome is Outcome.PENDING


def test_ids_from_another_case_are_not_found(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient], make_case: Callable[..., object]
) -> None:
    from datetime import date

    other = make_case(date(2026, 11, 3))
    client = client_as(Role.IG_OFFICER)
    finding = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    path = f"/cases/{other.id}/review/documents/{reviewed.letter.id}/pages/1"  # type: ignore[attr-defined]
    assert client.get(path).status_code == 404
    assert client.get(path + ".png").status_code == 404
    decided = client.post(f"/cases/{other.id}/review/findings/{finding.id}", data={"action": "keep"})  # type: ignore[attr-defined]
    assert decided.status_code == 404
    assert reviewed.findings("Gary Pollard", reviewed.letter)[0].outcome is Outcome.PENDING


def test_the_dpo_edits_the_catalogue_and_others_cannot(client_as: Callable[..., FlaskClient]) -> None:
    officer = client_as(Role.IG_OFFICER)
    listing = officer.get("/review/exemptions")
    assert listing.status_code == 200 and "HEALTH-SH" in listing.get_data(as_text=True)
    assert officer.get("/review/exemptions/TP").status_code == 403
    dpo = client_as(Role.DPO)
    blank = dpo.post("/review/exemptions/REF", data={"name": "", "consultation": ""})
    html = blank.get_data(as_text=True)
    assert blank.status_code == 422 and "Enter a name" in html and 'href="#name"' in html
    assert html.count("govuk-error-summary__title") == 1 and "<title>Error: Change REF" in html
    form = {
        "name": "Confidential references",
        "description": "A reference given in confidence.",
        "provision": "DPA 2018 Sch 2 Pt 4 para 24",
        "test": "Given in confidence.",
        "consultation": "",
    }
    saved = dpo.post("/review/exemptions/REF", data={**form, "consultee": "", "active": "yes"})
    assert saved.status_code == 302
    assert db.session.get_one(Exemption, "REF").description == "A reference given in confidence."
    # Unticking "in use" takes the code away from reviewers (an absent checkbox is a choice, not a gap).
    dpo.post("/review/exemptions/REF", data=form)
    db.session.expire_all()
    assert db.session.get_one(Exemption, "REF").active is False


def test_the_operator_commands_keep_their_contract(
    reviewed: ReviewCase, make_user: Callable[..., User], app: Flask
) -> None:
    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    runner = app.test_cli_runner()
    ref = reviewed.case.reference

    accepted = runner.invoke(args=["review", "accept-proposed", ref, "--as", reviewer.email])
    assert accepted.exit_code == 0, accepted.output
    assert accepted.output.strip() == f"{ref}: 6 proposals accepted by {reviewer.email}; 0 left for a person to decide."
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.bulk_accepted")).one().actor_id
        == reviewer.id
    )

    ready = runner.invoke(args=["review", "ready", ref, "--as", reviewer.email])
    assert ready.exit_code == 0 and "marked ready" in ready.output
    same = runner.invoke(args=["review", "sign-off", ref, "--as", reviewer.email])
    assert same.exit_code != 0 and "second person must sign it off" in same.output
    unknown = runner.invoke(args=["review", "sign-off", "SAR-NOPE", "--as", dpo.email])
    assert unknown.exit_code != 0 and "There is no case SAR-NOPE" in unknown.output
    signed = runner.invoke(args=["review", "sign-off", ref, "--as", dpo.email])
    assert signed.exit_code == 0 and f"signed off by {dpo.email}" in signed.output
    db.session.expire_all()
    assert is_signed_off(reviewed.case)


def test_sign_off_is_refused_while_something_blocks_it(
    reviewed: ReviewCase, make_user: Callable[..., User], app: Flask
) -> None:
    reviewer = make_user(Role.IG_OFFICER)
    result = app.test_cli_runner().invoke(args=["review", "ready", reviewed.case.reference, "--as", reviewer.email])
    assert result.exit_code != 0 and "6 findings need a decision" in result.output


def test_progress_shows_on_the_case_page_and_the_document_list(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient], make_user: Callable[..., User]
) -> None:
    from sar.review import service

    reviewer = make_user(Role.IG_OFFICER)
    service.withhold_page(reviewed.note, 1, by=reviewer, code="CRIME")
    db.session.commit()
    client = client_as(Role.IG_OFFICER)
    case_page = client.get(f"/cases/{reviewed.case.id}").get_data(as_text=True)
    assert "Review and sign-off" in case_page and "6 of 6 findings" in case_page
    documents = client.get(f"/cases/{reviewed.case.id}/documents").get_data(as_text=True)
    assert "0 of 2 documents done, 6 decisions pending, 1 page withheld" in documents


def test_a_third_partys_answer_is_recorded_on_a_form_kit_page_that_refuses_bad_input_with_422(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient]
) -> None:
    client = client_as(Role.IG_OFFICER)
    gary = reviewed.person("Gary Pollard")
    url = f"/cases/{reviewed.case.id}/review/people/{gary.id}/consent"
    assert client.get(url).status_code == 200
    blank = client.post(url, data={"answered_on": ["", "", ""]})
    html = blank.get_data(as_text=True)
    assert blank.status_code == 422 and html.count("govuk-error-summary__title") == 1
    assert "Select whether they consent or refuse" in html and "Enter the date of their answer" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Record Gary Pollard" in html
    future = client.post(url, data={"answer": "no", "answered_on": ["1", "1", "2099"]})
    assert future.status_code == 422 and "must be today or in the past" in future.get_data(as_text=True)
    saved = client.post(url, data={"answer": "no", "answered_on": ["20", "11", "2026"], "note": "By letter"})
    assert saved.status_code == 302 and saved.location.endswith("#people")
    db.session.expire_all()
    assert reviewed.person("Gary Pollard").consent_obtained is False


def test_consultations_and_explanations_are_refused_with_422_beside_their_field_then_recorded(
    reviewed: ReviewCase, client_as: Callable[..., FlaskClient], make_user: Callable[..., User]
) -> None:
    from sar.review import service
    from sar.review.models import Consultation

    client = client_as(Role.IG_OFFICER)
    service.withhold_page(reviewed.note, 1, by=make_user(Role.IG_OFFICER), code="HEALTH-SH", reason="CAMHS")
    db.session.commit()
    consultation = db.session.scalars(select(Consultation)).one()
    url = f"/cases/{reviewed.case.id}/review/consultations"
    typed = {"consultation_id": consultation.id, "consultee": "Dr Patel, paediatrician", "opinion": "Serious harm"}
    bad_date = client.post(url, data={**typed, "opinion_date": ["31", "2", "2026"]})
    html = bad_date.get_data(as_text=True)
    assert bad_date.status_code == 422 and html.count("govuk-error-summary__title") == 1
    assert "must be a real date" in html and f'href="#opinion_date-{consultation.id}-day"' in html
    assert 'value="Dr Patel, paediatrician"' in html  # what was typed is kept
    no_date = client.post(
        url, data={"consultation_id": consultation.id, "consultee": "Dr Patel", "opinion": "Serious harm likely"}
    )
    assert no_date.status_code == 422 and "Enter the date of the opinion" in no_date.get_data(as_text=True)
    saved = client.post(
        url,
        data={
            "consultation_id": consultation.id,
            "consultee": "Dr Patel",
            "opinion": "Serious harm likely",
            "opinion_date": ["10", "11", "2026"],
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get_one(Consultation, consultation.id).recorded_at is not None

    gone = client.post(f"/cases/{reviewed.case.id}/review/consistency", data={"key": "x" * 64, "explanation": "So"})
    assert gone.status_code == 422 and "no longer listed" in gone.get_data(as_text=True)
