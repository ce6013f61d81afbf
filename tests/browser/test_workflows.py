"""What staff do most: log a request, find it again, watch the deadlines; and what admins and auditors see."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from sar.auth.models import Role
from tests.browser.steps import fill_date, received_today

pytestmark = pytest.mark.browser


def test_an_officer_logs_a_request_made_by_a_parent_and_lands_on_the_new_case(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.get_by_role("link", name="Log a request").first.click()
    expect(page.get_by_role("heading", name="Log a request")).to_be_visible()

    today = received_today(page, "Email", "00:01")
    page.get_by_role("group", name="Which rights are being exercised?").get_by_label(
        "Access (a copy of their records)"
    ).check()
    page.get_by_label("What is the request for?").fill(
        "Mother asks for the records of the child in need assessment about her daughter."
    )
    teams = page.get_by_role("group", name="Which teams' records does it cover?")
    teams.get_by_label("Children's Social Care").check()
    page.get_by_role("group", name="Who is making the request?").get_by_label(
        "A parent or carer with parental responsibility"
    ).check()
    page.get_by_label("Requester's full name").fill("Roxanne Pemberton")
    page.get_by_label("Relationship to the data subject").fill("mother")
    page.get_by_label("Data subject's full name").fill("Lily Rose Pemberton")
    fill_date(page, "Date of birth", 14, 3, 2019)
    page.get_by_role("textbox", name="NHS number").fill("999 945 8076")
    axe(page, what="the intake form, filled in")
    page.get_by_role("button", name="Log the request").click()

    expect(page.get_by_role("heading", name=re.compile("Lily Rose Pemberton"))).to_be_visible()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(re.compile(r"Request logged as SAR-\d{4}-\d{5}"))
    reference = re.search(r"SAR-\d{4}-\d{5}", banner.inner_text())
    assert reference and reference.group(0).startswith(f"SAR-{today.year}-")
    expect(page.get_by_text(reference.group(0)).first).to_be_visible()
    expect(page.get_by_text("Roxanne Pemberton").first).to_be_visible()
    expect(page.get_by_text("999 945 8076").first).to_be_visible()
    axe(page, what="the new case page")

    page.get_by_role("link", name="Cases").first.click()
    page.get_by_label("Search").fill("Pemberton")
    page.get_by_role("button", name=re.compile("Search|Apply")).click()
    expect(page.get_by_role("link", name=reference.group(0))).to_be_visible()


def test_the_intake_form_refuses_an_impossible_date_and_keeps_what_was_typed(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto("/cases/new")
    fill_date(page, "Date received", 31, 2, 2026)
    page.get_by_label("Data subject's full name").fill("Keira Lister")
    page.get_by_role("button", name="Log the request").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("must be a real date")
    expect(summary).to_contain_text("Select how the request arrived")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Data subject's full name")).to_have_value("Keira Lister")
    axe(page, what="the intake form with errors")


def test_the_deadline_dashboard_shows_overdue_and_due_soon_cases(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.get_by_role("link", name="Deadlines").first.click()
    expect(page.get_by_role("heading", name="Deadlines", exact=True)).to_be_visible()
    urgency = page.get_by_role("list", name="Open cases by urgency")
    overdue = urgency.get_by_role("link", name=re.compile("Overdue"))
    expect(overdue).to_be_visible()
    assert int(re.search(r"\d+", overdue.inner_text()).group(0)) >= 1  # type: ignore[union-attr]
    axe(page, what="the deadline dashboard")

    overdue.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Overdue \(\d+\)"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"SAR-\d{4}-\d{5}")).first).to_be_visible()
    axe(page, what="the deadline dashboard, overdue cases")


def test_the_case_list_filters_by_status_and_opens_a_case(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto("/cases")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d+ cases"))
    page.get_by_label("Status").select_option(label="Awaiting proof of identity")
    page.get_by_role("button", name=re.compile("Search|Apply")).click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        expect(row).to_contain_text("Awaiting proof of identity")
    axe(page, what="the filtered case list")
    rows.first.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Awaiting proof of identity")


def test_administrators_see_every_member_of_staff(page_as: Callable[..., Page], axe: Callable[..., None]) -> None:
    page = page_as(Role.ADMIN)
    page.get_by_role("link", name="Users").first.click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    table = page.get_by_role("table")
    for name in ("Margaret Oyelaran", "Priya Raman", "Graham Tate", "Lena Fischer"):
        expect(table.get_by_text(name)).to_be_visible()
    axe(page, what="the users page")


def test_auditors_browse_the_audit_log_and_see_case_activity(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.AUDITOR)
    page.get_by_role("link", name="Audit log").first.click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Showing events 1 to \d+ of \d+"))).to_be_visible()
    table = page.get_by_role("table")
    expect(table.locator("tbody tr").first).to_be_visible()
    axe(page, what="the audit log")


def test_a_role_without_access_gets_a_clear_forbidden_page(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.RECORD_HOLDER)
    response = page.goto("/admin/users")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You do not have permission to see this page")).to_be_visible()
    axe(page, what="the 403 page")


def test_double_clicking_log_the_request_logs_it_once(page_as: Callable[..., Page]) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto("/cases/new")
    received_today(page, "Post", "00:02")
    page.get_by_role("group", name="Which rights are being exercised?").get_by_label("Erasure (delete records)").check()
    page.get_by_role("group", name="Who is making the request?").get_by_label(
        "The data subject (an adult asking for their own records)"
    ).check()
    page.get_by_label("Data subject's full name").fill("Wiktoria Nowakowska")
    page.get_by_role("button", name="Log the request").dblclick()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(re.compile("Request logged as|already logged"))

    page.goto("/cases?q=Wiktoria+Nowakowska")
    expect(page.get_by_role("status")).to_contain_text("1 case matches")

    page.go_back()
    page.go_back()
    expect(page.get_by_role("heading", name="Log a request")).to_be_visible()
    # Pages are never cached (Cache-Control: no-store), so going back shows a fresh, empty form, not the
    # personal details typed before.
    expect(page.get_by_label("Data subject's full name")).to_have_value("")
