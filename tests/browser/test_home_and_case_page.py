"""Issue 9 in the browser: each role's home page, the case page's summary and sections, and tables that fit a
390 px phone (scrolling inside the table, never the page) and the audit log at 1,280 px. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sar.auth.models import Role
from sar.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
_PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _demo_page(page: Page, staff: Any, email: str, role: Role) -> Page:
    """Sign in as one of the demo council's officers, whose home page has real cases on it."""
    account = staff.existing_account(email, DEMO_PASSWORD, role)
    staff.enter_password(page, account)
    staff.complete_sign_in(page, account)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def test_an_ig_officers_home_page_lists_their_cases_by_urgency(
    page: Page, staff: Any, axe: Callable[..., None]
) -> None:
    officer = _demo_page(page, staff, "priya.raman@council.example", Role.IG_OFFICER)
    officer.goto("/")
    expect(officer.locator("h1")).to_have_text("Your work")
    for heading in ("My cases by urgency", "Due this week", "Awaiting my action", "Returned to me"):
        expect(officer.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    mine = officer.get_by_role("table", name="My open cases, most urgent first")
    expect(mine.get_by_role("row").nth(1)).to_be_visible()
    axe(officer, what="the IG officer's home page")
    officer.set_viewport_size(PHONE)
    assert officer.evaluate(_PAGE_OVERFLOW) <= 0, "the home page scrolls sideways on a phone"
    axe(officer, what="the IG officer's home page on a phone")


def test_the_dpos_home_page(page_as: Callable[..., Page], axe: Callable[..., None]) -> None:
    # A new DPO account: the demo DPO's first sign-in belongs to test_sign_in.py. The DPO's lists are council-wide.
    dpo = page_as(Role.DPO)
    dpo.goto("/")
    for heading in (
        "Overdue or at risk",
        "Awaiting my sign-off",
        "Extension notices falling due",
        "This month's on-time rate",
    ):
        expect(dpo.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(dpo.get_by_role("table", name="Cases overdue or at risk").get_by_role("row").nth(1)).to_be_visible()
    axe(dpo, what="the DPO's home page")


@pytest.mark.parametrize(
    ("role", "heading", "says"),
    [
        (Role.RECORD_HOLDER, "My search tasks", "See my tasks"),
        (Role.AUDITOR, "What you can do as an auditor", "You cannot change a case"),
        (Role.ADMIN, "What you can do as an administrator", "You cannot see cases"),
    ],
)
def test_other_roles_home_pages_say_plainly_what_they_can_do(
    page_as: Callable[..., Page], axe: Callable[..., None], role: Role, heading: str, says: str
) -> None:
    page = page_as(role)
    page.goto("/")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("main")).to_contain_text(says)
    axe(page, what=f"the {role.label} home page")


def _busy_case_id(live_server: Any) -> int:
    """An open demo case with a long history (paged) and a full people register."""
    from sqlalchemy import func

    from sar.audit import AuditEvent
    from sar.cases.models import Case, CaseStatus
    from sar.extensions import db

    with live_server.app.app_context():
        counts = (
            select(AuditEvent.case_id, func.count().label("n"))
            .where(AuditEvent.action != "case.viewed")
            .group_by(AuditEvent.case_id)
            .subquery()
        )
        return db.session.scalars(
            select(Case.id)
            .join(counts, counts.c.case_id == Case.id)
            .where(Case.status != CaseStatus.CLOSED)
            .order_by(counts.c.n.desc())
        ).first()  # type: ignore[return-value]


def test_the_case_page_leads_with_a_summary_and_sections(
    page_as: Callable[..., Page], live_server: Any, axe: Callable[..., None]
) -> None:
    case_id = _busy_case_id(live_server)
    page = page_as(Role.IG_OFFICER)
    page.goto(f"/cases/{case_id}")
    summary = page.locator("#summary")
    for key in (
        "Reference",
        "Data subject",
        "Requester",
        "Stage",
        "Statutory due date",
        "Internal target",
        "Owner",
        "Next action",
    ):
        expect(summary.locator("dt", has_text=key)).to_have_count(1)
    expect(summary).to_contain_text("The law counts calendar days")
    nav = page.get_by_role("navigation", name="Sections of this case")
    nav.get_by_role("link", name="History").click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case_id}#history")
    history = page.get_by_role("table", name="Case history")
    expect(history).not_to_contain_text("person.updated")
    expect(history).not_to_contain_text("case.created")
    if page.get_by_role("link", name="Older history entries").count():
        page.get_by_role("link", name="Older history entries").click()
        expect(page.locator("#history + p")).to_contain_text("page 2 of")
    expect(page.locator("main")).not_to_contain_text("sar-rules")
    axe(page, what="the case page")
    page.set_viewport_size(PHONE)
    page.goto(f"/cases/{case_id}")
    assert page.evaluate(_PAGE_OVERFLOW) <= 0, "the case page scrolls sideways on a phone"
    axe(page, what="the case page on a phone")


@pytest.mark.parametrize("url", ["/cases", "/deadlines", "/"])
def test_lists_fit_a_phone_with_tables_scrolling_inside_themselves(
    page_as: Callable[..., Page], axe: Callable[..., None], url: str
) -> None:
    page = page_as(Role.DPO)
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert page.evaluate(_PAGE_OVERFLOW) <= 0, f"{url} scrolls sideways on a phone"
    for region in page.locator(".sar-table-scroll").all():
        box = region.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"] + 1
    axe(page, what=f"{url} on a phone")


def test_the_audit_log_fits_a_1280_pixel_screen(page_as: Callable[..., Page], axe: Callable[..., None]) -> None:
    page = page_as(Role.AUDITOR)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/audit/")
    table = page.get_by_role("table").first
    expect(table).to_be_visible()
    assert page.evaluate(_PAGE_OVERFLOW) <= 0
    scroll = page.evaluate(
        "() => { const r = document.querySelector('.sar-table-scroll'); return r.scrollWidth - r.clientWidth; }"
    )
    assert scroll <= 0, "the audit table needs no sideways scrolling at 1,280 px"
    axe(page, what="the audit log at 1,280 px")
