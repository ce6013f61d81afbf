"""Secure delivery: the officer sends a link and the password apart, the requester downloads, links run out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from support import Inbox, audit_events, error_summary, response_text, running_smtp

from sar import mail
from sar.auth.models import Role
from sar.bundle.delivery import service
from sar.bundle.delivery.models import DeliveryLink, LinkState, PasswordChannel
from sar.bundle.models import BundleStatus
from sar.db import utcnow
from sar.extensions import db

from .conftest import PASSWORD, REQUESTER_EMAIL, Released, pdf_text

LINK = re.compile(r"https?://[^/\s]+(/records/[A-Za-z0-9_\-]+)")


def _outbox() -> list[mail.OutboxMessage]:
    return list(db.session.scalars(select(mail.OutboxMessage).order_by(mail.OutboxMessage.id)))


def _send(client: FlaskClient, released: Released, **changes: object):
    form = {
        "bundle_id": str(released.bundle.id),
        "to_address": REQUESTER_EMAIL,
        "password_channel": "email",
        "password": released.password,
        "days": "28",
        "max_downloads": "3",
    }
    form.update({key: str(value) for key, value in changes.items()})
    return client.post(f"/cases/{released.case.id}/delivery/new", data=form)


def _path_from_outbox() -> str:
    [message] = [m for m in _outbox() if m.kind == "delivery:link"][-1:]
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def smtp(app: Flask) -> Iterator[Inbox]:
    with running_smtp(app) as inbox:
        yield inbox


# --- sending ----------------------------------------------------------------------------------------------


def test_the_link_and_the_password_reach_the_requester_in_two_emails_and_leave_no_secret_behind(
    released: Released, officer_client: FlaskClient, officer, smtp: Inbox
) -> None:
    case = released.case
    panel = officer_client.get(f"/cases/{case.id}")
    assert "Send a download link" in response_text(panel)
    form = officer_client.get(f"/cases/{case.id}/delivery/new")
    assert form.status_code == 200 and REQUESTER_EMAIL in response_text(form)
    assert any("send a download link" in event.summary for event in audit_events("case.viewed"))

    made = _send(officer_client, released)

    assert made.status_code == 200 and "Download link sent" in response_text(made)
    report = mail.deliver_pending(commit=db.session.commit)
    assert (report.sent, report.failed) == (2, 0)
    link_mail, password_mail = smtp.messages
    link_body = link_mail.get_payload(decode=True).decode()
    password_body = password_mail.get_payload(decode=True).decode()
    assert link_mail["To"] == password_mail["To"] == REQUESTER_EMAIL
    assert LINK.search(link_body) and PASSWORD not in link_body
    assert PASSWORD in password_body and not LINK.search(password_body)
    assert "Alex" not in link_body + password_body  # names stay inside the encrypted file
    # Nothing that opens the records stays in the database: the token only as its hash, the sent bodies removed.
    token = LINK.search(link_body).group(1).rsplit("/", 1)[1]  # type: ignore[union-attr]
    link = db.session.scalars(select(DeliveryLink)).one()
    assert link.token_hash != token and len(link.token_hash) == 64
    for message in _outbox():
        assert token not in message.body and PASSWORD not in message.body
    [created] = audit_events("delivery.link_created")
    [password_sent] = audit_events("delivery.password_sent")
    assert created.actor_id == password_sent.actor_id == officer.id
    assert token not in str(created.after) and PASSWORD not in str(password_sent.after)


def test_a_wrong_password_or_an_address_not_on_the_case_sends_nothing(
    released: Released, officer_client: FlaskClient
) -> None:
    wrong_password = _send(officer_client, released, password="Tulip-Harbour-4822")
    wrong_address = _send(officer_client, released, to_address="someone@else.example")
    empty = officer_client.post(f"/cases/{released.case.id}/delivery/new", data={})

    assert wrong_password.status_code == 422 and "not the password this bundle was encrypted with" in error_summary(
        wrong_password
    )
    assert wrong_address.status_code == 422
    assert "Select one of the requester's email addresses" in error_summary(wrong_address)
    assert empty.status_code == 422 and "Enter the bundle" in error_summary(empty)
    assert db.session.scalar(select(func.count()).select_from(DeliveryLink)) == 0
    assert _outbox() == []


def test_an_unreleased_bundle_cannot_be_sent(released: Released, officer_client: FlaskClient, make_bundle) -> None:
    built = make_bundle(released.case, status=BundleStatus.BUILT)

    response = _send(officer_client, released, bundle_id=built.id)

    assert response.status_code == 422 and "Select a released bundle of this case" in error_summary(response)
    assert _outbox() == []


def test_the_sms_password_is_shown_once_to_the_officer_and_never_emailed(
    released: Released, officer_client: FlaskClient
) -> None:
    made = _send(officer_client, released, password_channel="sms")

    assert made.status_code == 200
    sms = BeautifulSoup(made.data, "html.parser").select_one("#sms-text")
    assert sms is not None and PASSWORD in sms.get_text() and released.case.reference in sms.get_text()
    assert [m.kind for m in _outbox()] == ["delivery:link"]
    case_page = officer_client.get(f"/cases/{released.case.id}")
    assert PASSWORD not in case_page.get_data(as_text=True)


def test_the_password_letter_for_post_is_a_pdf_the_officer_prints(
    released: Released, officer_client: FlaskClient, officer
) -> None:
    made = _send(officer_client, released, password_channel="post")
    link = db.session.scalars(select(DeliveryLink)).one()

    letter = officer_client.get(f"/cases/{released.case.id}/delivery/links/{link.id}/password-letter.pdf")

    assert made.status_code == 200 and "Print the password letter" in response_text(made)
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    text = pdf_text(letter.data)
    assert PASSWORD in text and "12 Mill Lane" in text and "/records/" not in text
    assert [m.kind for m in _outbox()] == ["delivery:link"]
    assert audit_events("delivery.password_letter_printed")[0].actor_id == officer.id
    officer_client.post(f"/cases/{released.case.id}/delivery/links/{link.id}/revoke")
    gone = officer_client.get(f"/cases/{released.case.id}/delivery/links/{link.id}/password-letter.pdf")
    assert gone.status_code == 404, "revoking the link deletes the letter that holds its password"


# --- the requester's page ---------------------------------------------------------------------------------


def test_the_requester_downloads_the_encrypted_bundle_and_opens_it_with_the_password(
    released: Released, officer_client: FlaskClient, client: FlaskClient
) -> None:
    _send(officer_client, released)
    path = _path_from_outbox()

    page = client.get(path)
    downloaded = client.post(path)

    assert page.status_code == 200
    text = response_text(page)
    assert released.case.reference in text and "Downloads left 3" in text
    assert "Alex" not in text and REQUESTER_EMAIL not in text  # nothing of the case beyond its reference
    assert downloaded.status_code == 200 and downloaded.mimetype == "application/pdf"
    assert downloaded.data == released.encrypted
    assert f"{released.case.reference} Bundle page 1 of 1" in pdf_text(downloaded.data, PASSWORD)
    link = db.session.scalars(select(DeliveryLink)).one()
    db.session.refresh(link)
    assert link.downloads == 1
    [event] = audit_events("delivery.downloaded")
    assert event.actor_id is None and REQUESTER_EMAIL in event.actor_label and event.case_id == released.case.id
    assert audit_events("bundle.file_read")  # the release's own record of every read of the file


def test_the_page_refuses_a_form_posted_without_its_token(released: Released, officer_client, app: Flask) -> None:
    _send(officer_client, released)
    path = _path_from_outbox()
    app.config["WTF_CSRF_ENABLED"] = True
    fresh = app.test_client()

    response = fresh.post(path)

    assert response.status_code == 400 and "Nothing was saved" in response_text(response)
    assert response.mimetype == "text/html"
    assert db.session.scalars(select(DeliveryLink)).one().downloads == 0


def test_a_link_runs_out_after_its_downloads_and_then_looks_like_any_unknown_link(
    released: Released, officer_client: FlaskClient, client: FlaskClient
) -> None:
    _send(officer_client, released, max_downloads=2)
    path = _path_from_outbox()
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200

    used_up = client.get(path)
    unknown = client.get("/records/" + "x" * 43)

    assert used_up.status_code == unknown.status_code == 404
    assert response_text(used_up) == response_text(unknown) and "This link does not work" in response_text(used_up)
    reasons = [event.summary for event in audit_events("delivery.refused")]
    assert reasons[0].endswith("all downloads used") and reasons[1].endswith("no such link")


def test_revoked_and_expired_links_get_the_same_answer_as_unknown_ones(
    released: Released, officer_client: FlaskClient, client: FlaskClient, officer
) -> None:
    _send(officer_client, released)
    path = _path_from_outbox()
    link = db.session.scalars(select(DeliveryLink)).one()

    revoked = officer_client.post(f"/cases/{released.case.id}/delivery/links/{link.id}/revoke")
    after_revoke = client.post(path)
    link.revoked_at = None
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    after_expiry = client.get(path)

    assert revoked.status_code == 302
    assert after_revoke.status_code == after_expiry.status_code == 404
    assert response_text(after_revoke) == response_text(after_expiry) == response_text(client.get("/records/unknown"))
    assert audit_events("delivery.link_revoked")[0].actor_id == officer.id
    assert link.state() is LinkState.EXPIRED


def test_resending_replaces_the_link_and_the_old_one_stops_working(
    released: Released, officer_client: FlaskClient, client: FlaskClient
) -> None:
    _send(officer_client, released)
    old_path = _path_from_outbox()
    old = db.session.scalars(select(DeliveryLink)).one()

    resent = officer_client.post(f"/cases/{released.case.id}/delivery/links/{old.id}/resend")
    new_path = _path_from_outbox()

    assert resent.status_code == 200 and "earlier link no longer works" in response_text(resent)
    assert new_path != old_path
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    assert [m.kind for m in _outbox()] == ["delivery:link", "delivery:password", "delivery:link"]


def test_guessing_links_is_rate_limited_per_address(
    released: Released, client: FlaskClient, app: Flask, officer_client
) -> None:
    _send(officer_client, released)
    path = _path_from_outbox()
    app.config["DELIVERY_RATE_LIMIT"] = 3
    for attempt in range(3):
        assert client.get(f"/records/guess-{attempt}").status_code == 404

    blocked = client.get(path)  # even the right link waits: the address has been guessing

    assert blocked.status_code == 429 and "Too many attempts" in response_text(blocked)


# --- the print-ready copy ---------------------------------------------------------------------------------


def test_the_print_ready_copy_is_the_checked_plain_bundle_and_is_audited(
    released: Released, officer_client: FlaskClient, officer, make_bundle
) -> None:
    url = f"/cases/{released.case.id}/delivery/bundles/{released.bundle.id}/print-ready.pdf"

    response = officer_client.get(url)

    assert response.status_code == 200 and response.data == released.plain
    [event] = audit_events("delivery.print_copy_downloaded")
    assert event.actor_id == officer.id and event.object_id == str(released.bundle.id)
    failed = make_bundle(released.case, status=BundleStatus.GATE_FAILED, gate_passed=False)
    refused = officer_client.get(f"/cases/{released.case.id}/delivery/bundles/{failed.id}/print-ready.pdf")
    assert refused.status_code == 404
    # A failed verdict edited to "passed" in the database breaks the gate's seal: still no plain copy.
    failed.gate_passed, failed.status = True, BundleStatus.BUILT
    db.session.commit()
    edited = officer_client.get(f"/cases/{released.case.id}/delivery/bundles/{failed.id}/print-ready.pdf")
    assert edited.status_code == 404


def test_an_auditor_sees_the_links_but_cannot_send_or_print(
    released: Released, officer_client: FlaskClient, client_as
) -> None:
    _send(officer_client, released)
    auditor = client_as(Role.AUDITOR)
    link = db.session.scalars(select(DeliveryLink)).one()

    page = auditor.get(f"/cases/{released.case.id}")

    assert REQUESTER_EMAIL in response_text(page) and "Send a download link" not in response_text(page)
    assert auditor.get(f"/cases/{released.case.id}/delivery/new").status_code == 403
    assert auditor.post(f"/cases/{released.case.id}/delivery/links/{link.id}/revoke").status_code == 403
    url = f"/cases/{released.case.id}/delivery/bundles/{released.bundle.id}/print-ready.pdf"
    assert auditor.get(url).status_code == 403


def test_limits_outside_the_settings_are_refused_beside_their_fields(
    released: Released, officer, officer_client: FlaskClient
) -> None:
    too_long = _send(officer_client, released, days=365)
    not_a_number = _send(officer_client, released, max_downloads="lots")

    assert too_long.status_code == 422 and "between 1 and 90 days" in error_summary(too_long)
    assert not_a_number.status_code == 422 and "must be a whole number" in error_summary(not_a_number)
    with pytest.raises(service.DeliveryRefused, match="between 1 and 20"):
        service.create_link(
            released.case,
            released.bundle,
            to_address=REQUESTER_EMAIL,
            channel=PasswordChannel.EMAIL,
            password=PASSWORD,
            by=officer,
            max_downloads=50,
        )
    assert _outbox() == []
