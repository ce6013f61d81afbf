"""The bundle page in the browser: build in the background with the progress page, the release check's result, and
release with the password shown once; every page passes axe."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sar.auth.models import Role, User, UserRole
from sar.extensions import db
from sar.jobs import run_worker
from tests.browser.review_data import add_documents, new_case

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)


def _signed_off_case(app: Any) -> int:
    from sar.review import service, signoff

    data = add_documents(app, new_case(app, f"9{next(_numbers):03d}"))
    with app.app_context():
        from sar.cases.models import Case

        case = db.session.get_one(Case, data.case_id)
        officers = list(
            db.session.scalars(
                select(User)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role.in_([Role.DPO, Role.IG_OFFICER]))
            ).unique()
        )
        reviewer, second = officers[0], officers[1]
        service.accept_all_proposed(case, by=reviewer)
        db.session.commit()
        signoff.mark_ready(case, by=reviewer)
        signoff.sign_off(case, by=second)
        db.session.commit()
        return case.id


def test_build_check_and_release_a_bundle_in_the_browser(
    page_as: Callable[..., Page], live_server: Any, axe: Callable[..., None]
) -> None:
    case_id = _signed_off_case(live_server.app)
    page = page_as(Role.IG_OFFICER)
    page.goto(f"/cases/{case_id}/bundle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosure bundle")
    axe(page, what="bundle page before a build")
    page.get_by_role("button", name="Build the bundle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("bundle.build")
    axe(page, what="bundle build progress")
    with live_server.app.app_context():
        run_worker(once=True)
    page.goto(f"/cases/{case_id}/bundle")
    expect(page.get_by_text("Checked: ready to release")).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    axe(page, what="bundle page with a checked bundle")
    release = page.get_by_role("button", name="Release Bundle 1")
    release.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bundle 1 released")
    password = page.locator("#bundle-password").inner_text()
    assert len(password) >= 20
    axe(page, what="bundle released, password shown once")
    page.goto(f"/cases/{case_id}/bundle")
    expect(page.get_by_text(password)).to_have_count(0)
    expect(page.get_by_role("link", name="Download the encrypted file of Bundle 1")).to_be_visible()
