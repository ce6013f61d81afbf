"""Letters through the pages: an officer writes and posts a letter; the DPO previews and saves a template."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sar.auth.models import Role

pytestmark = pytest.mark.browser


def _case(live_server: Any, status: str) -> tuple[int, str]:
    from sar.cases.models import Case, CaseStatus, RequesterType
    from sar.extensions import db

    with live_server.app.app_context():
        case = db.session.scalars(
            select(Case)
            .where(Case.status == CaseStatus(status), Case.requester_type == RequesterType.SELF)
            .order_by(Case.id.desc())
        ).first()
        assert case is not None, f"the demo has no {status} case asked by the subject"
        return case.id, case.reference


def test_an_officer_writes_a_refusal_and_records_it_posted(
    live_server: Any, page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    case_id, reference = _case(live_server, "gathering")
    page = page_as(Role.IG_OFFICER)
    page.goto(f"/cases/{case_id}")
    letters = page.get_by_role("region", name="Letters")
    expect(letters.get_by_role("link", name="Acknowledgement", exact=True)).to_be_visible()  # the demo's own letter
    letters.get_by_role("link", name=re.compile("Write a letter")).click()

    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select which letter to write")
    axe(page, what="choosing a letter, with an error")
    page.get_by_label("Refusal").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Refusal")).to_be_visible()
    page.get_by_role("button", name="Write the letter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reasons for the refusal")
    page.get_by_label("Reasons").fill("The request repeats one answered in full last month.")
    page.get_by_role("button", name="Write the letter").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Refusal written")
    main = page.locator("main")
    expect(main).to_contain_text("The request repeats one answered in full last month.")
    expect(main).to_contain_text("judicial remedy")
    expect(main).to_contain_text("Wycliffe House")  # the demo's Art 15 information, from the privacy notice
    axe(page, what="a letter ready to send")
    page.get_by_role("button", name="Mark as printed for post").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("recorded as printed for post")
    expect(page.get_by_role("button", name="Mark as printed for post")).to_have_count(0)
    axe(page, what="a letter sent by post")

    page.goto(f"/cases/{case_id}")
    row = page.get_by_role("region", name="Letters").get_by_role("row").filter(has_text="Refusal")
    expect(row).to_contain_text("Printed for post")
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("Download")).click()
    assert download.value.suggested_filename.startswith(f"{reference}-refusal-")


def test_the_dpo_previews_a_template_with_a_real_case_and_saves_a_version(
    live_server: Any, page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    _, reference = _case(live_server, "in_review")
    page = page_as(Role.DPO)
    page.goto("/letters/templates")
    page.get_by_role("link", name="Fee request (plain language for a child or young person)").click()
    expect(page.get_by_role("heading", name=re.compile("Fee request: version 1"))).to_be_visible()
    page.get_by_role("link", name="Edit this template").click()

    body = page.get_by_label("Letter text")
    body.fill(body.input_value().replace("Before we can do it", "Before we can start, {{ config }}"))
    page.get_by_label("Case to preview with").fill(reference)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("placeholder that does not exist")
    axe(page, what="the template editor with a template problem")

    body = page.get_by_label("Letter text")
    body.fill(body.input_value().replace("{{ config }}", "{{ requester.first_name }},"))
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("heading", name=f"Preview with {reference}")
    expect(preview).to_be_visible()
    expect(page.locator("main")).to_contain_text("Before we can start,")
    axe(page, what="the template editor showing a preview")
    page.get_by_label("What changed (optional)").fill("Friendlier first sentence")
    page.get_by_role("button", name="Save as a new version").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("version 2 saved")
    expect(page.get_by_role("heading", name=re.compile("Fee request: version 2"))).to_be_visible()
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", name=re.compile("version 1"))).to_contain_text("Old version")
    axe(page, what="an old version of a template")
