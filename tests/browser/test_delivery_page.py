"""Secure delivery in the browser: an officer sends a link, and the requester downloads on a 390 px phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sar.auth.models import Role
from tests.browser.delivery_data import REQUESTER_EMAIL, released_bundle
from tests.browser.steps import PHONE, download_records, open_on_a_phone

pytestmark = pytest.mark.browser


def _open_case(live_server: Any) -> int:
    from sar.cases.models import Case, CaseStatus
    from sar.extensions import db

    with live_server.app.app_context():
        case = db.session.scalars(select(Case).where(Case.status != CaseStatus.CLOSED).order_by(Case.id.desc())).first()
        assert case is not None
        return case.id


def test_an_officer_sends_a_link_and_the_requester_downloads_it_on_a_phone(
    live_server: Any, page_as: Callable[..., Page], browser_session: Any, axe: Callable[..., None], tmp_path: Path
) -> None:
    released = released_bundle(live_server.app, _open_case(live_server))
    officer = page_as(Role.IG_OFFICER)
    officer.goto(f"/cases/{released.case_id}")
    panel = officer.get_by_role("region", name="Sending the records")
    expect(panel).to_contain_text("Bundle 99")
    panel.get_by_role("link", name=re.compile("Send a download link")).click()

    officer.get_by_role("button", name="Send the link").click()
    expect(officer.locator(".govuk-error-summary")).to_contain_text("Select how the requester gets the password")
    axe(officer, what="sending a download link, with errors")
    officer.get_by_label(re.compile(r"Bundle 99 \(")).check()  # the case may have other released bundles
    officer.get_by_label(REQUESTER_EMAIL).check()
    officer.get_by_label("A text message (SMS) you send").check()
    officer.get_by_label("The bundle's password").fill(released.password)
    officer.get_by_role("button", name="Send the link").click()

    expect(officer.get_by_role("heading", name="Download link sent")).to_be_visible()
    expect(officer.locator("#sms-text")).to_have_value(re.compile(re.escape(released.password)))
    axe(officer, what="the link sent, with the SMS text")
    officer.get_by_text("The link, if the requester cannot find the email").click()
    url = officer.locator("#records-url").input_value()
    assert "/records/" in url

    phone = open_on_a_phone(browser_session, url)
    expect(phone.get_by_role("heading", name="Download your records")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(released.reference)
    expect(phone.locator("main")).to_contain_text("by text message")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    axe(phone, what="the requester's download page on a phone")
    reader = download_records(phone, tmp_path, released.password)
    assert released.reference in (reader.pages[0].extract_text() or "")

    officer.goto(f"/cases/{released.case_id}")
    panel = officer.get_by_role("region", name="Sending the records")
    expect(panel).to_contain_text("1 of 5")
    panel.get_by_role("button", name=re.compile("Revoke")).first.click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("revoked")
    phone.goto(url)
    expect(phone.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe(phone, what="a revoked link on a phone")
