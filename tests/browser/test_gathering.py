"""A record holder answers a search: the upload shows progress with JavaScript and still works without it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sar.auth.models import Role

pytestmark = pytest.mark.browser


def _search_for_team(live_server: Any, team_name: str) -> int:
    """A new search task for the team on a demo case that is gathering records, commissioned through the service."""
    from sar.auth.models import Team, User
    from sar.calendar import today
    from sar.cases.models import Case, CaseStatus
    from sar.extensions import db
    from sar.sources import tasks

    with live_server.app.app_context():
        case = db.session.scalars(select(Case).where(Case.status == CaseStatus.GATHERING).order_by(Case.id)).first()
        team = db.session.scalars(select(Team).where(Team.name == team_name)).one()
        officer = db.session.scalars(select(User).where(User.email.like("priya.raman@%"))).one()
        assert case is not None
        due = tasks.default_due_date(case)
        assert due >= today()
        made = tasks.commission(
            case,
            tasks.Commission(
                teams=(team,), instructions="Browser test: all records of contact", search_terms="", due_date=due
            ),
            by=officer,
        )
        db.session.commit()
        return made[0].id


def _signed_in_holder(live_server: Any, browser_session: Any, staff: Any, team_name: str) -> Page:
    """A new record holder of the team, signed in through its emailed enrolment link (MFA set up on the way)."""
    email = live_server.create_user(Role.RECORD_HOLDER, full_name="Rita Holder", team_name=team_name)
    account = staff.existing_account(email, live_server.password, Role.RECORD_HOLDER)
    page = browser_session.new_context().new_page()
    staff.enter_password(page, account)
    staff.complete_sign_in(page, account)
    return page


FILES = [
    {"name": "visit-note.txt", "mimeType": "text/plain", "buffer": b"Home visit note: the family were at home."},
    {"name": "contact-log.txt", "mimeType": "text/plain", "buffer": b"Contact log for the family, 2019 to 2024."},
]


def test_a_record_holder_sends_files_with_a_progress_bar(
    live_server: Any, browser_session: Any, staff: Any, axe: Callable[..., None]
) -> None:
    task_id = _search_for_team(live_server, "Early Help")
    page = _signed_in_holder(live_server, browser_session, staff, "Early Help")
    expect(page.locator("main")).to_contain_text("open search task")
    page.get_by_role("link", name="My tasks").first.click()
    page.get_by_role("link", name=f"Search {task_id}").click()
    expect(page.get_by_role("heading", name=re.compile(f"Search {task_id}"))).to_be_visible()
    axe(page, what="a record holder's search task")

    page.get_by_label("Files").set_input_files(FILES)
    with page.expect_response(lambda r: r.request.resource_type == "xhr" and f"/tasks/{task_id}" in r.url):
        page.get_by_role("button", name="Send the files").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 files sent")
    expect(page).to_have_url(re.compile(f"/tasks/{task_id}$"))
    expect(page.locator("main")).to_contain_text("visit-note.txt")
    axe(page, what="the search task after sending files")


def test_without_javascript_the_upload_is_a_plain_form(live_server: Any, browser_session: Any, staff: Any) -> None:
    task_id = _search_for_team(live_server, "Early Help")
    signed_in = _signed_in_holder(live_server, browser_session, staff, "Early Help")
    context = browser_session.browser.new_context(
        base_url=live_server.url, java_script_enabled=False, storage_state=signed_in.context.storage_state()
    )
    try:
        page = context.new_page()
        page.goto(f"/tasks/{task_id}")
        page.get_by_label("Files").set_input_files(FILES[:1])
        page.get_by_role("button", name="Send the files").click()
        expect(page.locator("main")).to_contain_text("1 file sent")
        expect(page.locator("main")).to_contain_text("visit-note.txt")
    finally:
        context.close()
