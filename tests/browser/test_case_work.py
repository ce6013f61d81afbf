"""Working a case after intake, managing staff, and checking the audit trail, through the pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sar.auth.models import Role

pytestmark = pytest.mark.browser


def _open_case_in(page: Page, status_label: str, right_label: str | None = None) -> str:
    """Open the first demo case with this status (and right) from the case list; returns its reference."""
    page.goto("/cases")
    page.get_by_label("Status").select_option(label=status_label)
    if right_label:
        page.get_by_label("Right", exact=True).select_option(label=right_label)
    page.get_by_role("button", name=re.compile("Search|Apply")).click()
    link = page.locator("tbody tr").first.get_by_role("link").first
    reference = link.inner_text().strip()
    link.click()
    expect(page.get_by_text(reference).first).to_be_visible()
    return reference


def test_an_officer_adds_a_third_party_to_the_people_register(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    _open_case_in(page, "Received")
    page.get_by_role("link", name="Add a person to the register").click()
    expect(page.get_by_role("heading", name="Add a person to the register")).to_be_visible()
    page.get_by_role("group", name="Role in the records").get_by_label("Third party").check()
    page.get_by_label("Full name").fill("Declan Fairweather")
    page.get_by_label("Relationship to the data subject").fill("referrer (neighbour)")
    page.get_by_label("Phone numbers").fill("07700 900461")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Person added to the register")
    register = page.get_by_role("table", name="People register")
    row = register.get_by_role("row").filter(has_text="Declan Fairweather")
    expect(row).to_contain_text("referrer (neighbour)")
    expect(row).to_contain_text("07700 900461")
    axe(page, what="the case page after adding a person")


def test_a_bad_phone_number_in_the_register_is_refused_with_a_clear_message(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    _open_case_in(page, "Received")
    page.get_by_role("link", name="Add a person to the register").click()
    page.get_by_role("group", name="Role in the records").get_by_label("Third party").check()
    page.get_by_label("Full name").fill("Tanisha Crowther")
    page.get_by_label("Phone numbers").fill("call me")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("phone number")
    expect(page.get_by_label("Full name")).to_have_value("Tanisha Crowther")
    axe(page, what="the add-person form with an error")


def test_an_officer_records_a_withdrawal_and_closes_the_case_as_withdrawn(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    """Issue 9: an outcome is a decision whose facts must be recorded first; disclosure is not on offer yet."""
    page = page_as(Role.IG_OFFICER)
    reference = _open_case_in(page, "Received", "Access")
    page.get_by_role("link", name="Record the outcome").click()
    not_yet = page.get_by_role("table", name="Outcomes not available yet and what each needs")
    expect(not_yet.get_by_role("row").filter(has_text="Disclosed in part")).to_contain_text("verified and released")
    expect(page.get_by_role("group", name="Outcome").get_by_label("Withdrawn by the requester")).to_have_count(0)
    page.get_by_label("Reason").fill("Trying to close")
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the outcome")
    axe(page, what="the outcome form with an error")

    page.get_by_role("link", name="record the withdrawal").click()
    today = page.evaluate("() => { const d = new Date(); return [d.getDate(), d.getMonth() + 1, d.getFullYear()]; }")
    page.get_by_label("Day").fill(str(today[0]))
    page.get_by_label("Month").fill(str(today[1]))
    page.get_by_label("Year").fill(str(today[2]))
    page.get_by_label("How did they tell us?").fill("Phoned the case owner; confirmed by email")
    axe(page, what="the withdrawal form")
    page.get_by_role("button", name="Record the withdrawal").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Withdrawal recorded")
    expect(page.locator("#summary")).to_contain_text("The requester has withdrawn")

    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_role("group", name="Outcome").get_by_label("Withdrawn by the requester").check()
    page.get_by_label("Reason").fill("The requester withdrew by phone")
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Case closed")
    expect(page.locator("h1")).to_contain_text("Closed")
    expect(page.get_by_text(reference).first).to_be_visible()
    axe(page, what="a closed case")


def test_an_administrator_adds_a_user_who_then_signs_in_and_sets_up_mfa(
    page_as: Callable[..., Page], page: Page, staff: Any, axe: Callable[..., None]
) -> None:
    admin = page_as(Role.ADMIN)
    admin.goto("/admin/users")
    admin.get_by_role("link", name="Add a user").click()
    expect(admin.get_by_role("heading", name="Add a user")).to_be_visible()
    email = f"ruby.{uuid.uuid4().hex[:6]}@council.example"
    admin.get_by_label("Full name").fill("Ruby Haigh")
    admin.get_by_label("Job title").fill("Information Governance Officer")
    admin.get_by_label("Email address").fill(email)
    admin.get_by_label("Temporary password").fill("a long temporary passphrase")
    admin.get_by_role("group", name="Roles").get_by_label("Information governance officer").check()
    axe(admin, what="the add-user form")
    admin.get_by_role("button", name="Create account").click()
    expect(admin.get_by_text("Ruby Haigh").first).to_be_visible()

    admin.goto("/admin/users")
    expect(admin.get_by_role("link", name="Ruby Haigh")).to_be_visible()

    # The IG officer role opens children's cases, so a second person, the DPO, approves it.
    dpo = page_as(Role.DPO)
    dpo.goto("/admin/role-requests")
    axe(dpo, what="the role approvals page")
    dpo.get_by_role("button", name=re.compile(r"Approve.*Ruby Haigh")).click()
    expect(dpo.get_by_text("role for Ruby Haigh approved")).to_be_visible()

    newcomer = staff.existing_account(email, "a long temporary passphrase", Role.IG_OFFICER)
    staff.enter_password(page, newcomer)
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-authenticator"))
    staff.complete_sign_in(page, newcomer)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_text("Ruby Haigh").first).to_be_visible()
    expect(page.get_by_role("link", name="Log a request").first).to_be_visible()


def test_an_auditor_checks_the_audit_trail_has_not_been_tampered_with(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.AUDITOR)
    page.goto("/audit/")
    page.get_by_role("link", name="Check the log has not been tampered with").click()
    page.get_by_role("button", name="Check the audit log").click()
    expect(page.get_by_role("heading", name="The audit log is intact")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ events checked"))).to_be_visible()
    axe(page, what="the audit check result")


def test_an_auditor_filters_the_audit_log_by_date_and_is_told_about_an_impossible_one(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.AUDITOR)
    page.goto("/audit/")
    start = page.get_by_role("group", name="From")
    start.get_by_label("Day").fill("31")
    start.get_by_label("Month").fill("2")
    start.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="The start date must be a real date")).to_be_visible()
    axe(page, what="the audit log with a date error")
    summary.get_by_role("link", name="The start date must be a real date").click()
    expect(start.get_by_label("Day")).to_be_focused()
    start.get_by_label("Day").fill("1")
    start.get_by_label("Year").fill("2000")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text(re.compile(r"Showing events 1 to \d+ of \d+ matching the filters"))).to_be_visible()


def test_an_auditor_cannot_change_a_case(page_as: Callable[..., Page], live_server: Any) -> None:
    from sar.cases.models import Case, CaseStatus
    from sar.extensions import db

    with live_server.app.app_context():
        case_id = db.session.scalars(select(Case.id).where(Case.status != CaseStatus.CLOSED)).first()
    page = page_as(Role.AUDITOR)
    page.goto(f"/cases/{case_id}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("link", name="Record the outcome")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a person to the register")).to_have_count(0)
    response = page.goto(f"/cases/{case_id}/outcome")
    assert response is not None and response.status == 403


def test_after_an_administrator_resets_mfa_the_user_sets_up_a_new_authenticator(
    page_as: Callable[..., Page], page: Page, staff: Any
) -> None:
    name = f"Harvey Sutcliffe {uuid.uuid4().hex[:4]}"
    account = staff.new_account(Role.RECORD_HOLDER, full_name=name)
    staff.enter_password(page, account)
    staff.complete_sign_in(page, account)
    old_secret = account.totp_secret
    page.get_by_role("button", name="Sign out").click()

    admin = page_as(Role.ADMIN)
    admin.goto("/admin/users")
    admin.get_by_role("link", name=name).click()
    admin.get_by_role("button", name="Reset authenticator app").click()
    expect(admin.locator(".govuk-notification-banner")).to_be_visible()
    expect(admin.get_by_role("button", name="Reset authenticator app")).to_have_count(0)

    # The password alone no longer reaches the set-up page: the reset emailed a new one-time link.
    staff.enter_password(page, account)
    expect(page.locator(".govuk-error-summary")).to_contain_text("not set up yet")
    account.totp_secret = None
    account.enrolment_link = staff.server.enrolment_link(account.email)
    staff.enter_password(page, account)
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-authenticator"))
    account.last_step = -1
    staff.complete_sign_in(page, account)
    assert account.totp_secret != old_secret, "a reset gives a new secret"
    expect(page.get_by_text(name).first).to_be_visible()


def test_a_deactivated_account_cannot_sign_in(page_as: Callable[..., Page], page: Page, staff: Any) -> None:
    name = f"Yasmin Okafor {uuid.uuid4().hex[:4]}"
    account = staff.new_account(Role.IG_OFFICER, full_name=name)
    admin = page_as(Role.ADMIN)
    admin.goto("/admin/users")
    admin.get_by_role("link", name=name).click()
    admin.get_by_role("button", name="Deactivate account").click()
    expect(admin.get_by_role("button", name="Reactivate account")).to_be_visible()

    staff.enter_password(page, account)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
